#!/usr/bin/env bash
# Cluster benchmarks on a 3-node local cluster (`freshet cluster up`):
#   1. produce throughput with replication factor 3 and acks=all against replication factor 1 and acks=1;
#   2. leader failover, several times, each on a fresh cluster: an acks=all producer at a steady rate while the
#      partition's leader is killed with SIGKILL. The largest send-to-acknowledgement latency of a run is the time
#      from the kill to the first write acknowledged by the new leader (the record in flight at the kill waits
#      exactly that long). The nodes' logs split that time: kill -> dead broker fenced (PartitionChange committed)
#      -> new leader applied -> client's first acknowledged write.
#
#   bench/cluster.sh                   15 s produce runs, 5 failovers
#   bench/cluster.sh --duration N      produce runs of N seconds
#   bench/cluster.sh --failovers N     N failover runs (median and max reported)
#   bench/cluster.sh --failover-only   skip the produce runs
#   bench/cluster.sh --no-build        use the freshet already published in bench/out/freshet-aot (or -r2r)
#   bench/cluster.sh --election-ms N   controller.quorum.election.timeout.ms (default 400)
#
# Failure detection is tuned down as an operator who wants fast failover would tune it: broker session 1 s with a
# heartbeat every 250 ms, controller election timeout 400 ms, replica lag 3 s (Kafka's defaults: 9 s, 2 s, 1 s, 30 s).
# The producer refreshes metadata every 100 ms (topic.metadata.refresh.interval.ms; librdkafka's default is 5 min).
# Results (one JSON file per run, the nodes' logs, summary.md) go to $BENCH_OUT or a new /tmp/freshet-cluster.* dir.
set -euo pipefail

BUILD=1
SECONDS_PER_RUN=15
FAILOVERS=5
PRODUCE=1
ELECTION_MS=400
while (( $# > 0 )); do
  case "$1" in
    --no-build) BUILD=0 ;;
    --duration) SECONDS_PER_RUN=$2; shift ;;
    --failovers) FAILOVERS=$2; shift ;;
    --failover-only) PRODUCE=0 ;;
    --election-ms) ELECTION_MS=$2; shift ;;
    *) echo "usage: bench/cluster.sh [--no-build] [--duration N] [--failovers N] [--failover-only] [--election-ms N]" >&2; exit 2 ;;
  esac
  shift
done

ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/bench/lib.sh"
OUT=${BENCH_OUT:-$(mktemp -d /tmp/freshet-cluster.XXXXXX)}
mkdir -p "$OUT"

if [[ $BUILD == 1 ]]; then
  publish_freshet
fi

SESSION_MS=1000
HEARTBEAT_MS=250

start_cluster() { # start_cluster <name> <log level>: sets BOOTSTRAP, CLUSTER_PID; output in $OUT/<name>.out and .log
  local data
  data=$(mktemp -d /tmp/freshet-cluster-data.XXXXXX)
  BENCH_DIRS+=("$data")
  # UTC timestamps in the nodes' logs, so that they line up with the kill time.
  TZ=UTC "$FRESHET" cluster up --nodes 3 --base-port 0 --data-dir "$data" --log-level "$2" \
    --override broker.session.timeout.ms=$SESSION_MS --override broker.heartbeat.interval.ms=$HEARTBEAT_MS \
    --override replica.lag.time.max.ms=3000 --override controller.quorum.election.timeout.ms=$ELECTION_MS \
    --override controller.quorum.request.timeout.ms=1000 --override min.insync.replicas=2 \
    > "$OUT/$1.out" 2> "$OUT/$1.log" &
  CLUSTER_PID=$!
  BENCH_PIDS+=("$CLUSTER_PID")
  for _ in $(seq 1 600); do grep -q "nodes are listening" "$OUT/$1.out" && break; sleep 0.1; done
  BOOTSTRAP=$(sed -n 's/.*bootstrap.servers=//p' "$OUT/$1.out" | head -1)
  [[ -n $BOOTSTRAP ]] || { echo "cluster up did not start; see $OUT/$1.log" >&2; exit 1; }
  for _ in $(seq 1 600); do
    [[ $(kcat -b "$BOOTSTRAP" -L -m 3 2>/dev/null | grep -c ' at 127.0.0.1:') == 3 ]] && break
    sleep 0.1
  done
}

stop_cluster() {
  kill -TERM "$CLUSTER_PID" 2>/dev/null || true
  wait "$CLUSTER_PID" 2>/dev/null || true
}

field() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); v=d; [v := v[k] for k in sys.argv[2].split(".")]; print(v)' "$1" "$2"; }

if [[ $PRODUCE == 1 ]]; then
  start_cluster throughput warning
  echo "cluster: $BOOTSTRAP"
  produce() { # produce <name> <replication factor> <acks>
    "$FRESHET" perf produce -b "$BOOTSTRAP" -t "$1" -p 6 -r "$2" --acks "$3" -s 1024 --duration "$SECONDS_PER_RUN" --json > "$OUT/$1.json"
  }
  echo "produce, replication factor 3, acks=all..."
  produce rf3-acks-all 3 all
  echo "produce, replication factor 1, acks=1..."
  produce rf1-acks-1 1 1
  stop_cluster
fi

failover() { # failover <run number>: one kill on a fresh cluster; appends a line to $OUT/failovers.tsv
  local run=failover-$1
  start_cluster "$run" information
  "$FRESHET" perf produce -b "$BOOTSTRAP" -t failover -p 1 -r 3 --acks all -s 100 --throughput 500 --duration 12 \
    -X message.timeout.ms=60000 -X topic.metadata.refresh.interval.ms=100 -X retry.backoff.max.ms=200 \
    --json > "$OUT/$run.json" 2> "$OUT/$run.client.log" &
  local perf_pid=$!
  sleep 5
  local metadata leader controller leader_pid kill_at
  metadata=$(kcat -b "$BOOTSTRAP" -L -t failover -m 3)
  leader=$(sed -n 's/.*partition 0, leader \([0-9]*\),.*/\1/p' <<< "$metadata")
  controller=$(sed -n 's/.*broker \([0-9]*\) at .*(controller).*/\1/p' <<< "$metadata")
  leader_pid=$(awk -v id="$leader" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "pid") col = i } $1 == id { print $col }' "$OUT/$run.out")
  kill_at=$(date -u +%s.%N)
  kill -KILL "$leader_pid"
  wait "$perf_pid" || echo "(run $1 reported delivery errors; see $OUT/$run.json)"
  stop_cluster
  python3 - "$OUT/$run.log" "$leader" "$controller" "$kill_at" "$(field "$OUT/$run.json" latency_ms.max)" "$(field "$OUT/$run.json" errors)" \
    >> "$OUT/failovers.tsv" <<'PY'
import re, sys, datetime
log, killed, controller, kill_at, first_write, errors = sys.argv[1:7]
kill_at = float(kill_at)
def ms(stamp):
    t = datetime.datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S.%f").replace(tzinfo=datetime.timezone.utc).timestamp()
    return round((t - kill_at) * 1000)
fenced = led = active = None
for line in open(log):
    m = re.match(r"node-(\d+) \| (\S+ \S+) \w+ \[\w+\] (.*)", line)
    if not m or ms(m.group(2)) < 0:
        continue
    text = m.group(3)
    if active is None and re.match(r"Controller \d+ is active", text):
        active = ms(m.group(2))
    if fenced is None and text.startswith(f"Fenced broker {killed} "):
        fenced = ms(m.group(2))
    if led is None and re.match(r"failover-0: leader in epoch [1-9]", text):
        led = ms(m.group(2))
show = lambda v: "-" if v is None else str(v)
print("\t".join([killed, "yes" if killed == controller else "no", show(active), show(fenced), show(led), str(round(float(first_write))), errors]))
PY
}

: > "$OUT/failovers.tsv"
for i in $(seq 1 "$FAILOVERS"); do
  echo "failover $i of $FAILOVERS: acks=all at 500 records/s, leader killed after 5 s..."
  failover "$i"
  tail -1 "$OUT/failovers.tsv"
done

{
  if [[ $PRODUCE == 1 ]]; then
    echo "| run | records/s | MB/s | p50 ms | p99 ms | max ms | errors |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
    for run in rf3-acks-all rf1-acks-1; do
      f="$OUT/$run.json"
      echo "| $run | $(field "$f" records_per_sec) | $(field "$f" mb_per_sec) | $(field "$f" latency_ms.p50) | $(field "$f" latency_ms.p99) | $(field "$f" latency_ms.max) | $(field "$f" errors) |"
    done
    echo
    echo "RF=3 acks=all / RF=1 acks=1 throughput: $(python3 -c 'import sys; print(round(float(sys.argv[1]) / float(sys.argv[2]), 2))' \
      "$(field "$OUT/rf3-acks-all.json" records_per_sec)" "$(field "$OUT/rf1-acks-1.json" records_per_sec)")"
    echo
  fi
  echo "Failover, ms after the SIGKILL (controller activated, only when the killed node was the active controller):"
  echo
  echo "| run | killed node | was active controller | new controller active | broker fenced | new leader | first acknowledged write | errors |"
  echo "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |"
  awk -F'\t' '{ printf "| %d | %s | %s | %s | %s | %s | %s | %s |\n", NR, $1, $2, $3, $4, $5, $6, $7 }' "$OUT/failovers.tsv"
  echo
  python3 - "$OUT/failovers.tsv" <<'PY'
import statistics, sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1]) if line.strip()]
def line(name, values):
    if values:
        print(f"- {name}: median {statistics.median(values):.0f} ms, max {max(values)} ms over {len(values)} runs")
line("failover (kill to first acknowledged acks=all write), all runs", [int(r[5]) for r in rows])
line("of which the killed leader was not the active controller", [int(r[5]) for r in rows if r[1] == "no"])
line("of which the killed leader was also the active controller", [int(r[5]) for r in rows if r[1] == "yes"])
PY
} | tee "$OUT/summary.md"
echo "results in $OUT"
