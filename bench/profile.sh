#!/usr/bin/env bash
# Where a running broker spends its time under one `freshet perf` load, with the .NET diagnostics tools:
#   dotnet-counters: CPU, GC heap, allocation rate, GC counts and pauses, thread-pool threads and queue, lock contention;
#   dotnet-trace:    sampled managed stacks (~100 Hz), reported as the methods longest on the stack (topN).
# EventPipe's stack sampler needs the JIT runtime, so the broker profiled is the ReadyToRun publish (same code as the
# native one). The tools are installed as .NET global tools when missing.
#
#   bench/profile.sh                 produce: 8 partitions, 1 KiB records, acks=1, 15 s
#   bench/profile.sh consume         consume 1,000,000 records of 1 KiB from 8 partitions, read again in a loop
#   bench/profile.sh --no-build produce
set -euo pipefail

BUILD=1
LOAD=produce
for arg in "$@"; do
  case "$arg" in
    --no-build) BUILD=0 ;;
    produce|consume) LOAD=$arg ;;
    *) echo "usage: bench/profile.sh [--no-build] [produce|consume]" >&2; exit 2 ;;
  esac
done

ROOT=$(cd "$(dirname "$0")/.." && pwd)
export FRESHET_BUILD=r2r
source "$ROOT/bench/lib.sh"
OUT=${BENCH_OUT:-$(mktemp -d /tmp/freshet-profile.XXXXXX)}
mkdir -p "$OUT"
export PATH="$PATH:$HOME/.dotnet/tools"
for tool in dotnet-trace dotnet-counters; do
  command -v "$tool" > /dev/null || dotnet tool install -g "$tool" > /dev/null
done

[[ $BUILD == 1 ]] && publish_freshet
start_freshet
echo "freshet (ReadyToRun) on $FRESHET_PORT (pid $FRESHET_PID); results in $OUT"

SECONDS_TRACED=10
if [[ $LOAD == produce ]]; then
  load=("$FRESHET" perf produce -b "127.0.0.1:$FRESHET_PORT" -t profile -p 8 -s 1024 --acks 1 --duration 15)
else
  "$FRESHET" perf produce -b "127.0.0.1:$FRESHET_PORT" -t profile -p 8 -s 1024 --acks 1 -n 1000000 > /dev/null
  load=(bash -c "for i in \$(seq 1 20); do '$FRESHET' perf consume -b 127.0.0.1:$FRESHET_PORT -t profile -n 1000000 --timeout 10; done")
fi

"${load[@]}" > "$OUT/load.txt" 2>&1 &
LOAD_PID=$!
BENCH_PIDS+=("$LOAD_PID")
sleep 3 # past the clients' start, into the steady state
dotnet-counters collect -p "$FRESHET_PID" --duration "00:00:00:$SECONDS_TRACED" --refresh-interval 1 --format csv \
  --counters System.Runtime -o "$OUT/counters.csv" > /dev/null &
COUNTERS_PID=$!
dotnet-trace collect -p "$FRESHET_PID" --profile dotnet-sampled-thread-time --duration "00:00:00:$SECONDS_TRACED" \
  -o "$OUT/broker.nettrace" > /dev/null
wait "$COUNTERS_PID" || true
kill "$LOAD_PID" 2>/dev/null || true
wait "$LOAD_PID" 2>/dev/null || true

echo "### bench/profile.sh $LOAD"
echo
echo "Counters, mean over ${SECONDS_TRACED} s (dotnet-counters, System.Runtime):"
python3 - "$OUT/counters.csv" <<'PY'
import csv, sys, collections
sums, counts, units = collections.defaultdict(float), collections.Counter(), {}
with open(sys.argv[1]) as f:
    for row in csv.DictReader(f):
        name = row["Counter Name"]
        try:
            value = float(row["Mean/Increment"])
        except (KeyError, ValueError):
            continue
        sums[name] += value
        counts[name] += 1
for name in sorted(sums):
    print(f"  {name}: {sums[name] / counts[name]:,.2f}")
PY
echo
echo "Methods longest on the stack, inclusive (dotnet-trace, sampled thread time; idle waits included):"
dotnet-trace report "$OUT/broker.nettrace" topN -n 25 --inclusive 2>&1 | sed 's/^/  /'
echo
echo "Methods longest on the stack, exclusive:"
dotnet-trace report "$OUT/broker.nettrace" topN -n 25 2>&1 | sed 's/^/  /'
