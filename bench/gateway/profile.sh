#!/usr/bin/env bash
# Where the gateway's time goes at load, and what tracing costs per webhook. One throwaway Postgres, then one
# phase per entry of PHASES, back to back, each with a fresh gateway (Release) under the bench/gateway load generator:
#   1.0      traces sampled parentbased_traceidratio 1.0, exported over OTLP/HTTP to a counting sink
#   0.1      the same with ratio 0.1 (production's setting in docs/metrics.md): about a tenth of the spans reach the sink
#   off      OTEL_TRACES_SAMPLER=always_off and no exporter
#   perf     as 1.0, with `perf record -g` on the gateway for PERF_SECONDS of the measured phase (perf map on, W^X off
#            so that JIT'd frames have names); its CPU per webhook includes perf's own overhead
# Per phase: acknowledged webhooks/s, p50/p99, gateway CPU µs per webhook (process user+system time over the measured
# phase / webhooks acknowledged in it), spans received per webhook stored, the load average. For perf phases: the
# samples sorted into buckets (bench/lib/perf-buckets.py gateway) and the hottest symbols. Rates on a shared machine are
# not comparable from run to run; proportions and CPU per webhook taken back to back are.
# Usage: bench/gateway/profile.sh [seconds=20] [connections=32]
# Env: PHASES="1.0 0.1 off perf" (any order, repeats allowed), WARMUP=30 (with 10 s on a loaded machine half of the
#      profile was still the background JIT), PERF_SECONDS=15, NO_BUILD=1,
#      PERF_CALLGRAPH=dwarf (instead of frame pointers: unwinds through OpenSSL, which has none, at a far larger
#      perf.data and a slow `perf script`; use with PERF_SECONDS=5),
#      OUT=<dir> (kept: perf data, bucket tables, logs; default /tmp/va-gwprofile-<time>),
#      BASELINE_DLL=<path to another build's VoiceAnalytics.Gateway.dll>: every phase runs that build first, then
#      this tree's, for a before/after in the same conditions.
# Uses no fixed port; stops only the processes it started, by pid.
set -euo pipefail

SECONDS_PER_RUN="${1:-20}"
CLIENTS="${2:-32}"
PHASES="${PHASES:-1.0 0.1 off perf}"
WARMUP="${WARMUP:-30}"
PERF_SECONDS="${PERF_SECONDS:-15}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
OUT="${OUT:-/tmp/va-gwprofile-$(date -u +%Y%m%dT%H%M%S)}"
mkdir -p "$OUT"
WORK="$(mktemp -d /tmp/va-gwprofile-work-XXXXXX)"
SECRET="bench-secret-$RANDOM"
THIS_DLL="$ROOT/Gateway/bin/Release/net10.0/VoiceAnalytics.Gateway.dll"
source "$ROOT/bench/lib/throwaway-postgres.sh"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

PHASE_NUMBER=0
GATEWAY_PID=""
SINK_PID=""
LOAD_PID=""
PERF_PID=""
stop_pid() { [ -n "$1" ] && kill "$1" 2>/dev/null && wait "$1" 2>/dev/null || true; }
cleanup() {
  stop_pid "$PERF_PID"; stop_pid "$LOAD_PID"; stop_pid "$GATEWAY_PID"; stop_pid "$SINK_PID"
  pg_stop
  rm -rf "$WORK"
}
trap cleanup EXIT

if [ "$PHASES" != "${PHASES/perf/}" ] && ! command -v perf >/dev/null; then
  echo "perf is not installed (apt-get install linux-perf)"; exit 1
fi
echo "== build (Release)"
[ -n "${NO_BUILD:-}" ] || dotnet build -c Release "$ROOT/Gateway/Gateway.csproj" -nologo -v q >/dev/null
[ -n "${NO_BUILD:-}" ] || dotnet build -c Release "$ROOT/bench/gateway/GatewayLoad.csproj" -nologo -v q >/dev/null

pg_start "$WORK"
psql_ -c "CREATE DATABASE voicebench"
count_events() { psql_ -d voicebench -c "SELECT count(*) FROM ingest.webhook_events" 2>/dev/null || echo 0; }
LOAD="env DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 dotnet $ROOT/bench/gateway/bin/Release/net10.0/GatewayLoad.dll"
BODIES="${BODIES:-$((2500 * (SECONDS_PER_RUN + WARMUP)))}"  # more than this machine acknowledges; the generator warns if not

# run_phase <phase> <gateway dll> <label>
run_phase() {
  local phase=$1 dll=$2 label=$3 port otlp_port telemetry=() perf_env=() tag
  PHASE_NUMBER=$((PHASE_NUMBER + 1))
  tag="$(echo "$PHASE_NUMBER-$label-$phase" | tr -c 'A-Za-z0-9.\n-' '_')"
  port="$(free_port)"
  case "$phase" in
    off) telemetry=(OTEL_TRACES_SAMPLER=always_off) ;;
    1.0|0.1|perf|0.*)
      local ratio=$phase; [ "$phase" = perf ] && ratio=1.0
      otlp_port="$(free_port)"
      python3 "$ROOT/bench/lib/otlp-sink.py" "$otlp_port" "$OUT/$tag.otlp.txt" &
      SINK_PID=$!
      telemetry=(OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$otlp_port" OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf
        OTEL_TRACES_SAMPLER=parentbased_traceidratio OTEL_TRACES_SAMPLER_ARG="$ratio") ;;
    *) echo "unknown phase $phase"; exit 2 ;;
  esac
  [ "$phase" = perf ] && perf_env=(DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0)
  env "${telemetry[@]}" "${perf_env[@]}" \
    ConnectionStrings__voicedb="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=voicebench;Max Auto Prepare=20" \
    WEBHOOK_SECRET="$SECRET" WEBHOOK_RATE_LIMIT_PER_MINUTE=0 WEBHOOK_SPOOL_PATH="$WORK/spool-$tag/events.jsonl" \
    Kestrel__Endpoints__http__Url="http://127.0.0.1:$port" Logging__LogLevel__Default=Warning ASPNETCORE_ENVIRONMENT=Production \
    DOTNET_gcServer=0 DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 \
    dotnet "$dll" >"$OUT/$tag.gateway.log" 2>&1 &
  GATEWAY_PID=$!
  for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
    sleep 0.3
  done
  curl -fs "http://127.0.0.1:$port/health" >/dev/null || { echo "gateway did not become healthy"; cat "$OUT/$tag.gateway.log"; exit 1; }

  local events_before load_before
  events_before="$(count_events)"
  load_before="$(cut -d' ' -f1 /proc/loadavg)"
  $LOAD load --url "http://127.0.0.1:$port" --secret "$SECRET" --connections "$CLIENTS" --seconds "$SECONDS_PER_RUN" \
    --warmup "$WARMUP" --bodies "$BODIES" --pid "$GATEWAY_PID" >"$OUT/$tag.load.txt" 2>&1 &
  LOAD_PID=$!
  if [ "$phase" = perf ]; then
    # From the second second of the measured phase: the warm-up starts once the bodies are signed.
    until grep -q '^Warm-up' "$OUT/$tag.load.txt" 2>/dev/null; do sleep 0.5; done
    sleep "$((WARMUP + 1))"
    perf record -F 499 --call-graph "${PERF_CALLGRAPH:-fp}" -p "$GATEWAY_PID" -o "$OUT/$tag.perf" -- sleep "$PERF_SECONDS" >/dev/null 2>&1 &
    PERF_PID=$!
    wait "$PERF_PID" || true; PERF_PID=""
  fi
  wait "$LOAD_PID" || { cat "$OUT/$tag.load.txt"; exit 1; }
  LOAD_PID=""
  local load_during events_after result spans=0 traces=0
  load_during="$(cut -d' ' -f1-3 /proc/loadavg)"
  events_after="$(count_events)"
  result="$(grep '^RESULT' "$OUT/$tag.load.txt")"
  grep -q WARNING "$OUT/$tag.load.txt" && grep WARNING "$OUT/$tag.load.txt"
  local gateway_pid=$GATEWAY_PID
  stop_pid "$GATEWAY_PID"; GATEWAY_PID=""
  if [ -n "$SINK_PID" ]; then
    stop_pid "$SINK_PID"; SINK_PID=""
    spans="$(awk '/^span / {sub("count=", "", $2); n += $2} END {print n + 0}' "$OUT/$tag.otlp.txt")"
    traces="$(awk '/^span / && / root$/ {sub("count=", "", $2); n += $2} END {print n + 0}' "$OUT/$tag.otlp.txt")"
  fi
  python3 - "$label" "$phase" "$result" "$load_before" "$load_during" "$((events_after - events_before))" "$spans" "$traces" <<'PY' | tee -a "$OUT/summary.txt"
import sys
label, phase, result, before, during, stored, spans, traces = sys.argv[1:]
f = dict(kv.split("=") for kv in result.split()[1:])
stored = int(stored)
print(f"{label:8} {phase:5} acks/s {float(f['gateway_rate']):6.0f}  p50/p99 {float(f['p50_ms']):5.1f}/{float(f['p99_ms']):6.1f} ms  "
      f"CPU/webhook {float(f['gateway_cpu_us_per_webhook']):4.0f} us  errors {f['errors']}  stored {stored}  "
      f"spans/webhook {int(spans) / max(1, stored):.2f} (traces started {int(traces) / max(1, stored):.3f})  "
      f"load avg before {before} / after {during}")
PY
  if [ "$phase" = perf ]; then
    # pid as well as tid in each sample's header, so the samples of all the gateway's threads count as one process.
    perf script -i "$OUT/$tag.perf" -F comm,pid,tid,ip,sym,dso 2>/dev/null \
      | python3 "$ROOT/bench/lib/perf-buckets.py" gateway "$gateway_pid=gateway" | tee "$OUT/$tag.buckets.txt"
    { perf report -i "$OUT/$tag.perf" --no-children --sort symbol --stdio 2>/dev/null | grep -E '^ +[0-9]' | head -40; } >"$OUT/$tag.symbols.txt" || true
    echo "  hottest symbols (self): $OUT/$tag.symbols.txt"
  fi
}

echo "== phases: $PHASES; $CLIENTS connections, warm-up $WARMUP s, measured $SECONDS_PER_RUN s; $(nproc) cores; output $OUT"
for phase in $PHASES; do
  [ -n "${BASELINE_DLL:-}" ] && run_phase "$phase" "$BASELINE_DLL" baseline
  run_phase "$phase" "$THIS_DLL" this
done
echo "== summary: $OUT/summary.txt"
