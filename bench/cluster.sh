#!/usr/bin/env bash
# Cluster benchmarks on a 3-node local cluster (`freshet cluster up`), all in one run:
#   1. produce throughput with replication factor 3 and acks=all against replication factor 1 and acks=1;
#   2. leader failover: an acks=all producer at a steady rate while the partition's leader is killed with SIGKILL.
#      The largest send-to-acknowledgement latency of that run is the time from the kill to the first write
#      acknowledged by the new leader (the record in flight at the kill waits exactly that long).
#
#   bench/cluster.sh              15 s produce runs, one failover
#   bench/cluster.sh --duration N produce runs of N seconds
#   bench/cluster.sh --no-build   use the freshet already published in bench/out/freshet
#
# The nodes run with the failure-detection timeouts the cluster tests use (session 2 s, heartbeat 250 ms, replica lag
# 3 s, controller election 400 ms); Kafka's defaults would make the failover take about 9 s of session timeout.
# Results (one JSON file per run, summary.md) go to $BENCH_OUT or a new /tmp/freshet-cluster.* directory.
set -euo pipefail

BUILD=1
SECONDS_PER_RUN=15
while (( $# > 0 )); do
  case "$1" in
    --no-build) BUILD=0 ;;
    --duration) SECONDS_PER_RUN=$2; shift ;;
    *) echo "usage: bench/cluster.sh [--no-build] [--duration N]" >&2; exit 2 ;;
  esac
  shift
done

ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/bench/lib.sh"
OUT=${BENCH_OUT:-$(mktemp -d /tmp/freshet-cluster.XXXXXX)}
mkdir -p "$OUT"

if [[ $BUILD == 1 ]]; then
  echo "publishing freshet..."
  dotnet publish "$ROOT/src/Freshet.Server" -c Release -r "$RID" --self-contained false -o "$ROOT/bench/out/freshet" -v quiet -nologo > /dev/null
fi

DATA=$(mktemp -d /tmp/freshet-cluster-data.XXXXXX)
BENCH_DIRS+=("$DATA")
"$FRESHET" cluster up --nodes 3 --base-port 0 --data-dir "$DATA" --log-level warning \
  --override broker.session.timeout.ms=2000 --override broker.heartbeat.interval.ms=250 \
  --override replica.lag.time.max.ms=3000 --override controller.quorum.election.timeout.ms=400 \
  --override controller.quorum.request.timeout.ms=1000 --override min.insync.replicas=2 \
  > "$OUT/cluster.out" 2> "$OUT/cluster.log" &
BENCH_PIDS+=("$!")

for _ in $(seq 1 600); do grep -q "nodes are listening" "$OUT/cluster.out" && break; sleep 0.1; done
BOOTSTRAP=$(sed -n 's/^bootstrap.servers=//p' "$OUT/cluster.out")
[[ -n $BOOTSTRAP ]] || { echo "cluster up did not start; see $OUT/cluster.log" >&2; exit 1; }
for _ in $(seq 1 600); do
  [[ $(kcat -b "$BOOTSTRAP" -L -m 3 2>/dev/null | grep -c ' at 127.0.0.1:') == 3 ]] && break
  sleep 0.1
done
echo "cluster: $BOOTSTRAP"

produce() { # produce <name> <replication factor> <acks>
  "$FRESHET" perf produce -b "$BOOTSTRAP" -t "$1" -p 6 -r "$2" --acks "$3" -s 1024 --duration "$SECONDS_PER_RUN" --json > "$OUT/$1.json"
}
field() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); v=d; [v := v[k] for k in sys.argv[2].split(".")]; print(v)' "$1" "$2"; }

echo "produce, replication factor 3, acks=all..."
produce rf3-acks-all 3 all
echo "produce, replication factor 1, acks=1..."
produce rf1-acks-1 1 1

echo "failover: acks=all at 500 records/s, leader killed after 5 s..."
"$FRESHET" perf produce -b "$BOOTSTRAP" -t failover -p 1 -r 3 --acks all -s 100 --throughput 500 --duration 15 \
  -X message.timeout.ms=60000 -X topic.metadata.refresh.interval.ms=1000 -X retry.backoff.max.ms=200 --json > "$OUT/failover.json" &
PERF_PID=$!
sleep 5
LEADER=$(kcat -b "$BOOTSTRAP" -L -t failover -m 3 | sed -n 's/.*partition 0, leader \([0-9]*\),.*/\1/p')
LEADER_PID=$(awk -v id="$LEADER" '$1 == id { print $4 }' "$OUT/cluster.out")
echo "killing node $LEADER (pid $LEADER_PID), the leader of failover-0"
kill -KILL "$LEADER_PID"
wait "$PERF_PID" || echo "(the failover run reported delivery errors; see $OUT/failover.json)"

{
  echo "| run | records/s | MB/s | p50 ms | p99 ms | max ms | errors |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
  for run in rf3-acks-all rf1-acks-1 failover; do
    f="$OUT/$run.json"
    echo "| $run | $(field "$f" records_per_sec) | $(field "$f" mb_per_sec) | $(field "$f" latency_ms.p50) | $(field "$f" latency_ms.p99) | $(field "$f" latency_ms.max) | $(field "$f" errors) |"
  done
  echo
  echo "RF=3 acks=all / RF=1 acks=1 throughput: $(python3 -c 'import sys; print(round(float(sys.argv[1]) / float(sys.argv[2]), 2))' \
    "$(field "$OUT/rf3-acks-all.json" records_per_sec)" "$(field "$OUT/rf1-acks-1.json" records_per_sec)")"
  echo "failover (kill to first acknowledged acks=all write, bounded by the max latency): $(field "$OUT/failover.json" latency_ms.max) ms"
} | tee "$OUT/summary.md"
echo "results in $OUT"
