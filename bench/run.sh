#!/usr/bin/env bash
# Runs the same `freshet perf` loads against the ceiling server and against a real `freshet serve` in one run and
# prints, per row, both results, the ratio Freshet/ceiling and the target from issue 7.
#
#   bench/run.sh            quick mode, about 2-3 minutes
#   bench/run.sh --full     longer runs and bigger prefill, about 10 minutes
#   bench/run.sh --no-build use the Release binaries already built
#   bench/run.sh --repeat N run every row N times, alternating targets, and report medians [quick 1, full 3]
#
# Results (one JSON file per run, summary.md) go to $BENCH_OUT or a new /tmp/freshet-bench.* directory.
set -euo pipefail

MODE=quick
BUILD=1
REPEAT=
while (( $# > 0 )); do
  case "$1" in
    --quick) MODE=quick ;;
    --full) MODE=full ;;
    --no-build) BUILD=0 ;;
    --repeat) REPEAT=$2; shift ;;
    *) echo "usage: bench/run.sh [--quick|--full] [--no-build] [--repeat N]" >&2; exit 2 ;;
  esac
  shift
done

ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/bench/lib.sh"
OUT=${BENCH_OUT:-$(mktemp -d /tmp/freshet-bench.XXXXXX)}
mkdir -p "$OUT"

if [[ $MODE == quick ]]; then
  PRODUCE_SECONDS=3; CONSUME_RECORDS=200000; E2E_SECONDS=5; REPEAT=${REPEAT:-1}
else
  PRODUCE_SECONDS=15; CONSUME_RECORDS=1000000; E2E_SECONDS=20; REPEAT=${REPEAT:-3}
fi

[[ $BUILD == 1 ]] && build_release
start_ceiling
start_freshet
sleep 2
FRESHET_IDLE_RSS_KB=$(rss_kb "$FRESHET_PID")
echo "ceiling on $CEILING_PORT (pid $CEILING_PID), freshet on $FRESHET_PORT (pid $FRESHET_PID), idle RSS $((FRESHET_IDLE_RSS_KB / 1024)) MB; results in $OUT"

# perf <target> <label> <kind> <topic> args... : one run against one target, its JSON result kept as
# $OUT/<target>-<label>.json (with .<n> appended for the repeats of a row)
perf() {
  local target=$1 label=$2 kind=$3 topic=$4; shift 4
  local port; port=$([[ $target == ceiling ]] && echo "$CEILING_PORT" || echo "$FRESHET_PORT")
  "$FRESHET" perf "$kind" -b "127.0.0.1:$port" -t "$topic" --json "$@" > "$OUT/$target-$label.json" 2> "$OUT/$target-$label.err" \
    || { echo "  $target $label failed:"; cat "$OUT/$target-$label.err"; }
}

# Each row runs against the ceiling and then Freshet, back to back, so that both see the same machine; repeats
# go round the whole row again.
for partitions in 1 8; do
  for size in 100 1024; do
    for compression in none lz4; do
      name="produce-p$partitions-s$size-$compression"
      echo "$name"
      for n in $(seq 1 "$REPEAT"); do
        for target in ceiling freshet; do
          perf "$target" "$name.$n" produce "$name" -p "$partitions" -s "$size" --compression "$compression" --acks 1 --duration "$PRODUCE_SECONDS"
        done
      done
    done
  done
done

echo "consume-p8-s1024 ($CONSUME_RECORDS records)"
for target in ceiling freshet; do
  perf "$target" consume-fill produce consume-p8-s1024 -p 8 -s 1024 --acks 1 -n "$CONSUME_RECORDS"
done
for n in $(seq 1 "$REPEAT"); do
  for target in ceiling freshet; do
    perf "$target" "consume-p8-s1024.$n" consume consume-p8-s1024 -n "$CONSUME_RECORDS" --timeout 30
  done
done

# Half of the highest rate Freshet reached for 1 partition of 100 B records uncompressed (the median of the repeats).
HALF_RATE=$(python3 -c "
import json, glob, statistics
rates = [json.load(open(f))['records_per_sec'] for f in glob.glob('$OUT/freshet-produce-p1-s100-none.*.json')]
print(max(1000, int(statistics.median(rates) / 2)))")
echo "e2e-p1-s100 at $HALF_RATE records/s"
for n in $(seq 1 "$REPEAT"); do
  for target in ceiling freshet; do
    perf "$target" "e2e-p1-s100.$n" e2e e2e-p1-s100 -p 1 -s 100 --acks 1 --throughput "$HALF_RATE" --duration "$E2E_SECONDS"
  done
done

FRESHET_PEAK_RSS_KB=$(peak_rss_kb "$FRESHET_PID")
python3 "$ROOT/bench/summarize.py" "$OUT" "$MODE" "$REPEAT" "$FRESHET_IDLE_RSS_KB" "$FRESHET_PEAK_RSS_KB" | tee "$OUT/summary.md"
