# Helpers shared by bench/run.sh and bench/scale.sh: build, free ports, start and stop the two servers, RSS.
# Every process started here is stopped by the EXIT trap, and every temporary directory removed.

# The broker as it ships: published for this machine's runtime and compiled ahead of time (NativeAOT).
# FRESHET_BUILD=r2r measures the other way to publish it, precompiled (ReadyToRun) on the shared runtime.
case "$(uname -m)" in aarch64|arm64) RID=linux-arm64 ;; *) RID=linux-x64 ;; esac
FRESHET_BUILD=${FRESHET_BUILD:-aot}
case "$FRESHET_BUILD" in
  aot|r2r) ;;
  *) echo "FRESHET_BUILD is aot or r2r, not '$FRESHET_BUILD'" >&2; exit 2 ;;
esac
FRESHET="$ROOT/bench/out/freshet-$FRESHET_BUILD/freshet"
CEILING="$ROOT/bench/Freshet.Bench.Ceiling/bin/Release/net10.0/Freshet.Bench.Ceiling"
SCALE="$ROOT/bench/Freshet.Bench.Scale/bin/Release/net10.0/Freshet.Bench.Scale"
BENCH_PIDS=()
BENCH_DIRS=()

cleanup() {
  for pid in "${BENCH_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${BENCH_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  for dir in "${BENCH_DIRS[@]}"; do rm -rf "$dir"; done
}
trap cleanup EXIT

build_release() {
  echo "building Release..."
  publish_freshet
  for project in bench/Freshet.Bench.Ceiling bench/Freshet.Bench.Scale; do
    dotnet build "$ROOT/$project" -c Release -v quiet -nologo > /dev/null
  done
}

publish_freshet() {
  echo "publishing freshet ($FRESHET_BUILD)..."
  if [[ $FRESHET_BUILD == aot ]]; then
    # The native link needs a C toolchain: clang by default, gcc where clang is not installed.
    local linker=()
    command -v clang >/dev/null 2>&1 || linker=(-p:CppCompilerAndLinker=gcc)
    dotnet publish "$ROOT/src/Freshet.Server" -c Release -r "$RID" -p:PublishAot=true "${linker[@]}" \
      -o "$(dirname "$FRESHET")" -v quiet -nologo > /dev/null
  else
    dotnet publish "$ROOT/src/Freshet.Server" -c Release -r "$RID" --self-contained false \
      -o "$(dirname "$FRESHET")" -v quiet -nologo > /dev/null
  fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_port() {
  for _ in $(seq 1 400); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.05
  done
  echo "nothing listening on port $1" >&2
  return 1
}

start_ceiling() {
  CEILING_PORT=$(free_port)
  "$CEILING" --port "$CEILING_PORT" > /dev/null &
  CEILING_PID=$!
  BENCH_PIDS+=("$CEILING_PID")
  wait_port "$CEILING_PORT"
}

# start_freshet [extra serve arguments...]: a broker with a fresh data directory on a free port.
start_freshet() {
  FRESHET_PORT=$(free_port)
  FRESHET_DATA=$(mktemp -d /tmp/freshet-bench-data.XXXXXX)
  BENCH_DIRS+=("$FRESHET_DATA")
  "$FRESHET" serve --listeners "PLAINTEXT://127.0.0.1:$FRESHET_PORT" --data-dir "$FRESHET_DATA" --log-level warning "$@" > "$FRESHET_DATA.log" 2>&1 &
  FRESHET_PID=$!
  BENCH_PIDS+=("$FRESHET_PID")
  BENCH_DIRS+=("$FRESHET_DATA.log")
  wait_port "$FRESHET_PORT"
}

stop_freshet() {
  kill "$FRESHET_PID" 2>/dev/null || true
  wait "$FRESHET_PID" 2>/dev/null || true
}

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

peak_rss_kb() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status"; }
