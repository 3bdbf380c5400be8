#!/usr/bin/env bash
# Runs the same produce and consume load against `freshet serve` under each GC/JIT setting (environment variables,
# so one build serves all) and prints records/s, MB/s, idle and peak RSS per setting. The settings alternate
# within each round, so a busy machine affects them alike.
#
#   bench/gc-settings.sh [rounds] [--no-build]
#   ONLY='workstation-concurrent|server-datas' bench/gc-settings.sh 3 --no-build   (a subset, by name regex)
set -euo pipefail

ROUNDS=1
BUILD=1
for arg in "$@"; do
  case "$arg" in
    --no-build) BUILD=0 ;;
    [0-9]*) ROUNDS=$arg ;;
    *) echo "usage: bench/gc-settings.sh [rounds] [--no-build]" >&2; exit 2 ;;
  esac
done

ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/bench/lib.sh"
OUT=${BENCH_OUT:-$(mktemp -d /tmp/freshet-gc.XXXXXX)}
PRODUCE_SECONDS=${PRODUCE_SECONDS:-8}
CONSUME_RECORDS=${CONSUME_RECORDS:-300000}

SETTINGS=(
  "workstation-concurrent|DOTNET_gcServer=0 DOTNET_gcConcurrent=1"
  "workstation-nonconcurrent|DOTNET_gcServer=0 DOTNET_gcConcurrent=0"
  "server-datas|DOTNET_gcServer=1 DOTNET_GCDynamicAdaptationMode=1"
  "server-no-datas|DOTNET_gcServer=1 DOTNET_GCDynamicAdaptationMode=0"
  "workstation-no-tieredpgo|DOTNET_gcServer=0 DOTNET_TieredPGO=0"
)

[[ $BUILD == 1 ]] && build_release
echo "| setting | round | produce p8 1 KiB records/s | consume MB/s | idle RSS MB | peak RSS MB |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
for round in $(seq 1 "$ROUNDS"); do
  for entry in "${SETTINGS[@]}"; do
    name=${entry%%|*}
    [[ -n ${ONLY:-} && ! $name =~ ^($ONLY)$ ]] && continue
    # The settings reach the broker only, not the perf client (the same executable).
    # shellcheck disable=SC2086
    export ${entry#*|}
    start_freshet
    for setting in ${entry#*|}; do unset "${setting%%=*}"; done
    sleep 2
    idle=$(rss_kb "$FRESHET_PID")
    "$FRESHET" perf produce -b "127.0.0.1:$FRESHET_PORT" -t gc -p 8 -s 1024 --acks 1 --duration "$PRODUCE_SECONDS" --json > "$OUT/$name-$round-produce.json" 2>/dev/null
    "$FRESHET" perf consume -b "127.0.0.1:$FRESHET_PORT" -t gc -n "$CONSUME_RECORDS" --timeout 30 --json > "$OUT/$name-$round-consume.json" 2>/dev/null
    peak=$(peak_rss_kb "$FRESHET_PID")
    stop_freshet
    python3 - "$OUT/$name-$round-produce.json" "$OUT/$name-$round-consume.json" "$name" "$round" "$idle" "$peak" <<'PY'
import json, sys
produce, consume = (json.load(open(p)) for p in sys.argv[1:3])
name, rnd, idle, peak = sys.argv[3], sys.argv[4], int(sys.argv[5]), int(sys.argv[6])
print(f"| {name} | {rnd} | {produce['records_per_sec']:,.0f} | {consume['mb_per_sec']:,.1f} | {idle // 1024} | {peak // 1024} |")
PY
  done
done
