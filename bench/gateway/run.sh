#!/usr/bin/env bash
# Gateway benchmark: durable webhook acknowledgements per second vs. Postgres' own single-row insert rate.
# Starts its own throwaway Postgres (fsync on, default durability) and the gateway (Release), then in one run:
#   1. pgbench: 32 clients, each transaction one INSERT of the same ~5 KB body into ingest.webhook_events;
#   2. GatewayLoad: 32 keep-alive connections posting pre-signed, distinct ~5 KB post_call_transcription
#      webhooks (each one = event row + analysis job, committed before the 200).
# Reports both rates, the ratio, gateway p50/p99 and the gateway's peak RSS (VmHWM).
# Usage: bench/gateway/run.sh [seconds=15] [connections=32]; CLIENT=wrk uses wrk as the generator (below).
# Warm-up WARMUP=10 s (unmeasured): tiered JIT needs it on a busy machine; with 3 s a quarter of the measured
# phase's CPU was still the JIT (perf). PERF_OUT also turns W^X off, only so that perf can name JIT'd frames.
# Production shape: every trace sampled and exported over OTLP/HTTP to a sink (bench/lib/otlp-sink.py) that
# counts what it receives; TRACES=off runs the same with tracing off (OTEL_TRACES_SAMPLER=always_off, no export)
# to price tracing per webhook.
# NO_BUILD=1 skips the Release builds (already built). GATEWAY_DLL=<another build's VoiceAnalytics.Gateway.dll> runs that
# gateway under the same generator and script (old and new builds back to back). Env: INGEST_WRITERS / INGEST_BATCH_MAX_EVENTS pass through to the gateway; PERF_OUT=/tmp/x.data records a perf profile.
set -euo pipefail

SECONDS_PER_RUN="${1:-15}"
CLIENTS="${2:-32}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
WORK="$(mktemp -d /tmp/va-gwbench-XXXXXX)"
SECRET="bench-secret-$RANDOM"
source "$ROOT/bench/lib/throwaway-postgres.sh"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
GW_PORT="$(free_port)"

OTLP_PORT="$(free_port)"
GATEWAY_PID=""
SINK_PID=""
cleanup() {
  [ -n "$GATEWAY_PID" ] && kill "$GATEWAY_PID" 2>/dev/null || true
  [ -n "$SINK_PID" ] && kill "$SINK_PID" 2>/dev/null || true
  pg_stop
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "== build (Release)"
[ -n "${NO_BUILD:-}" ] || dotnet build -c Release "$ROOT/Gateway/Gateway.csproj" -nologo -v q >/dev/null
[ -n "${NO_BUILD:-}" ] || dotnet build -c Release "$ROOT/bench/gateway/GatewayLoad.csproj" -nologo -v q >/dev/null

pg_start "$WORK"
psql_ -c "CREATE DATABASE voicebench"

if [ "${TRACES:-on}" = off ]; then
  TELEMETRY=(OTEL_TRACES_SAMPLER=always_off)
  echo "== tracing off (OTEL_TRACES_SAMPLER=always_off, no OTLP export)"
else
  python3 "$ROOT/bench/lib/otlp-sink.py" "$OTLP_PORT" "$WORK/otlp.txt" &
  SINK_PID=$!
  TELEMETRY=(OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$OTLP_PORT" OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf OTEL_TRACES_SAMPLER=always_on)
  echo "== tracing on: every trace exported over OTLP/HTTP to a counting sink (port $OTLP_PORT)"
fi

echo "== gateway (port $GW_PORT)"
WXE=1; [ -n "${PERF_OUT:-}" ] && WXE=0
env "${TELEMETRY[@]}" ConnectionStrings__voicedb="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=voicebench;Max Auto Prepare=20" \
WEBHOOK_SECRET="$SECRET" WEBHOOK_RATE_LIMIT_PER_MINUTE=0 WEBHOOK_SPOOL_PATH="$WORK/spool/events.jsonl" \
Kestrel__Endpoints__http__Url="http://127.0.0.1:$GW_PORT" Logging__LogLevel__Default=Warning \
ASPNETCORE_ENVIRONMENT=Production DOTNET_PerfMapEnabled="${PERF_OUT:+1}" DOTNET_EnableWriteXorExecute="$WXE" DOTNET_gcServer="${DOTNET_gcServer:-0}" \
DOTNET_ThreadPool_UnfairSemaphoreSpinLimit="${DOTNET_ThreadPool_UnfairSemaphoreSpinLimit:-0}" \
DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS="${DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS:-1}" \
  dotnet "${GATEWAY_DLL:-$ROOT/Gateway/bin/Release/net10.0/VoiceAnalytics.Gateway.dll}" >"$WORK/gateway.log" 2>&1 &
GATEWAY_PID=$!
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$GW_PORT/health" >/dev/null 2>&1 && break
  sleep 0.3
done
curl -fs "http://127.0.0.1:$GW_PORT/health" >/dev/null || { echo "gateway did not become healthy"; cat "$WORK/gateway.log"; exit 1; }

# The generator gets the same runtime settings (no thread-pool spinning, inline socket completions): on a
# small shared machine spinning threads steal the CPU the other side needs.
LOAD="env DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 dotnet $ROOT/bench/gateway/bin/Release/net10.0/GatewayLoad.dll"
$LOAD pgbench-script "$WORK/insert.sql"

echo "== pgbench: $CLIENTS clients, ${SECONDS_PER_RUN} s, one ~5 KB INSERT per transaction"
python3 "$ROOT/bench/lib/cpu-split.py" snapshot "$WORK/cpu-pgbench"
PGBENCH_OUT="$(/usr/bin/time -f "%U %S" -o "$WORK/pgbench-time" "$PGBENCH" -h 127.0.0.1 -p "$PG_PORT" -U postgres -n -c "$CLIENTS" -j 2 -T "$SECONDS_PER_RUN" -f "$WORK/insert.sql" voicebench 2>&1)"
echo "$PGBENCH_OUT" | grep -E "latency average|tps" || { echo "$PGBENCH_OUT"; exit 1; }
PG_TPS="$(echo "$PGBENCH_OUT" | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -1)"
PG_TX="$(echo "$PGBENCH_OUT" | sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' | head -1)"
# Where each phase's CPU went, per operation: the two cores are the budget both phases share out.
echo "   CPU per insert (${PG_TX} inserts), by program:"
python3 "$ROOT/bench/lib/cpu-split.py" diff "$WORK/cpu-pgbench" --per "$PG_TX" --extra pgbench="$(awk '{print $1 + $2}' "$WORK/pgbench-time")"

# CLIENT=wrk: wrk (C, apt-get install wrk) posts pre-signed distinct webhooks (bench/gateway/wrk-requests.lua): a
# generator that costs about what pgbench's client costs, where the C# one costs about as much CPU as the gateway.
# Sets GW_OUT (a RESULT line like GatewayLoad's), EVENTS_BEFORE (stored by the warm-up) and the CPU split's files.
run_wrk_client() {
  command -v wrk >/dev/null || { echo "CLIENT=wrk needs wrk: apt-get install -y wrk"; exit 1; }
  # The warm-up has requests of its own (another run id), so the measured phase sends none it already sent.
  $LOAD requests-file "$WORK/warmup-requests" --url "http://127.0.0.1:$GW_PORT" --secret "$SECRET" --count "${WRK_WARMUP_COUNT:-60000}" --run-id "wrkw$RANDOM"
  $LOAD requests-file "$WORK/requests" --url "http://127.0.0.1:$GW_PORT" --secret "$SECRET" --count "${WRK_COUNT:-120000}" --run-id "wrk$RANDOM"
  local wrk=(wrk -t2 -c"$CLIENTS" -s "$ROOT/bench/gateway/wrk-requests.lua" --latency --timeout 10s "http://127.0.0.1:$GW_PORT/")
  WRK_REQUESTS="$WORK/warmup-requests" WRK_THREADS=2 "${wrk[@]}" -d "${WARMUP:-10}s" >"$WORK/wrk-warmup.txt"
  rm -f "$WORK/warmup-requests"
  EVENTS_BEFORE="$(psql_ -d voicebench -c "SELECT count(*) FROM ingest.webhook_events WHERE event_type = 'post_call_transcription'")"
  local before; before="$(cpu_ticks "$GATEWAY_PID")"
  python3 "$ROOT/bench/lib/cpu-split.py" snapshot "$WORK/cpu-gateway"
  WRK_REQUESTS="$WORK/requests" WRK_THREADS=2 /usr/bin/time -f "%U %S" -o "$WORK/load-time" \
    "${wrk[@]}" -d "${SECONDS_PER_RUN}s" >"$WORK/wrk.txt"
  local stored; stored=$(( $(psql_ -d voicebench -c "SELECT count(*) FROM ingest.webhook_events WHERE event_type = 'post_call_transcription'") - EVENTS_BEFORE ))
  cat "$WORK/wrk.txt"
  GW_OUT="$(python3 - "$WORK/wrk.txt" "$(( $(cpu_ticks "$GATEWAY_PID") - before ))" "$(getconf CLK_TCK)" "$stored" <<'PY'
import re, sys
text, ticks, hz, stored = open(sys.argv[1]).read(), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
def ms(value):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
rate = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
requests = int(re.search(r"(\d+) requests in", text).group(1))
errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", text))
errors += sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", text))
p50, p99 = (ms(re.search(rf"\s{p}%\s+(\S+)", text).group(1)) for p in ("50", "99"))
latency_max = ms(re.search(r"Latency\s+\S+\s+\S+\s+(\S+)", text).group(1))
if stored < requests:  # every request was a distinct webhook: fewer rows means some were not stored
    errors += requests - stored
print(f"RESULT gateway_rate={rate:.0f} p50_ms={p50:.2f} p99_ms={p99:.2f} max_ms={latency_max:.2f} requests={requests} "
      f"errors={errors} gateway_cpu_us_per_webhook={ticks / hz * 1e6 / max(1, requests):.0f}")
PY
)"
}

echo "== gateway: $CLIENTS connections, ${SECONDS_PER_RUN} s, distinct pre-signed ~5 KB transcriptions"
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
GW_CPU_BEFORE="$(cpu_ticks "$GATEWAY_PID")"
EVENTS_BEFORE=0
if [ -n "${TRACE_TOOL:-}" ]; then  # optional CPU profile of the gateway: TRACE_TOOL=/path/to/dotnet-trace
  ( sleep 25; "$TRACE_TOOL" collect -p "$GATEWAY_PID" --profile dotnet-sampled-thread-time --duration 00:00:08 -o /tmp/gateway.nettrace >/dev/null 2>&1 ) &
fi
if [ -n "${PERF_OUT:-}" ]; then  # optional perf profile of the gateway (call graphs, JIT symbols via perf map)
  ( sleep 10; perf record -F 499 -g -p "$GATEWAY_PID" -o "$PERF_OUT" -- sleep 8 >/dev/null 2>&1 ) &
fi
if [ "${CLIENT:-raw}" = wrk ]; then
  run_wrk_client
else
  python3 "$ROOT/bench/lib/cpu-split.py" snapshot "$WORK/cpu-gateway"
  EVENTS_BEFORE=0
  GW_OUT="$(/usr/bin/time -f "%U %S" -o "$WORK/load-time" $LOAD load --url "http://127.0.0.1:$GW_PORT" --secret "$SECRET" --connections "$CLIENTS" --seconds "$SECONDS_PER_RUN" --warmup "${WARMUP:-10}" --pid "$GATEWAY_PID")"
  echo "$GW_OUT"
fi
GW_CPU_S="$(python3 -c "print(($(cpu_ticks "$GATEWAY_PID") - $GW_CPU_BEFORE) / $(getconf CLK_TCK))")"
RESULT="$(echo "$GW_OUT" | grep '^RESULT')"
GW_RATE="$(echo "$RESULT" | sed 's/.*gateway_rate=\([0-9.]*\).*/\1/')"
RSS_KB="$(awk '/VmHWM/ {print $2}' "/proc/$GATEWAY_PID/status")"
EVENTS="$(psql_ -d voicebench -c "SELECT count(*) FROM ingest.webhook_events WHERE event_type = 'post_call_transcription'")"
echo "   CPU per webhook ($((EVENTS - EVENTS_BEFORE)) webhooks$([ "$EVENTS_BEFORE" = 0 ] && echo ", warm-up included")), by program:"
python3 "$ROOT/bench/lib/cpu-split.py" diff "$WORK/cpu-gateway" --per "$((EVENTS - EVENTS_BEFORE))" --extra "load generator=$(awk '{print $1 + $2}' "$WORK/load-time")"
JOBS="$(psql_ -d voicebench -c "SELECT count(*) FROM jobs.jobs WHERE queue = 'analysis'")"

echo "== summary (load average during the run: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores)"
python3 - "$PG_TPS" "$GW_RATE" "$RSS_KB" "$RESULT" "$EVENTS" "$JOBS" "$GW_CPU_S" <<'PY'
import sys
pg, gw, rss_kb, result, events, jobs, cpu = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6], float(sys.argv[7])
fields = dict(kv.split("=") for kv in result.split()[1:])
print(f"pgbench single-row insert rate : {pg:8.0f} tx/s")
print(f"gateway durable ack rate       : {gw:8.0f} webhooks/s  (ratio {gw/pg:.2f}, target >= 1.0)")
print(f"gateway latency p50 / p99      : {float(fields['p50_ms']):.1f} / {float(fields['p99_ms']):.1f} ms  (target p99 <= 50)")
print(f"gateway peak RSS (VmHWM)       : {rss_kb/1024:8.0f} MB  (target <= 250)")
print(f"gateway CPU per webhook        : {float(fields['gateway_cpu_us_per_webhook']):8.0f} us  (measured phase; {cpu:.1f} s CPU in all, warm-up and JIT included)")
print(f"errors                         : {fields['errors']}; rows stored: {events} events, {jobs} jobs")
PY
if [ -n "$SINK_PID" ]; then
  kill "$SINK_PID"; wait "$SINK_PID" 2>/dev/null || true; SINK_PID=""
  echo "OTLP received (whole run, warm-up and pgbench phase included; traces ~ one per webhook):"
  sed 's/^/  /' "$WORK/otlp.txt" 2>/dev/null || echo "  nothing"
fi
