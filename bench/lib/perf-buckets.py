#!/usr/bin/env python3
"""Sorts a perf profile's samples (perf script output with call chains, on stdin) into what each process was doing.
Each sample goes to the first bucket whose pattern appears anywhere in its stack or in its thread's name, so a bucket
counts everything beneath it (inclusive): the OTLP export of a span counts as OpenTelemetry even though it ends in a
socket write, and the outermost frames (Kestrel, the job worker) only get what no more specific bucket claims.
Prints per process (named by <pid>=<name>, else by its pid) each bucket's share of its samples, most first, and,
when perf script printed the dso, where the sampled instruction was (self time, by library).
Usage: perf script -i profile.data -F comm,pid,tid,ip,sym,dso | bench/lib/perf-buckets.py gateway|consumers [<pid>=<name> ...]
  gateway    the gateway's webhook path (bench/gateway/profile.sh)
  consumers  the analysis and CRM services draining their queues (bench/pipeline/drain.sh)"""
import re
import sys
from collections import Counter, defaultdict

# Buckets both sets share, in the place each set gives them.
JIT = ("JIT and tiering", r"libclrjit|TieredCompilation|\.NET Tiered Com")
GC = ("GC", r"WKS::gc_heap|SVR::gc_heap|GCHeap::|gc_heap::|\.NET BGC|GCToEEInterface")
LOGGING = ("logging (console, OTLP logs)",
           r"Microsoft\.Extensions\.Logging|OpenTelemetry\.Logs|LoggerMessage|ConsoleLogger|Console logger")

# Most specific first in each set. The order decides where a stack that crosses two buckets goes.
BUCKET_SETS = {
    "gateway": [
        JIT,
        GC,
        LOGGING,
        ("OpenTelemetry export (OTLP)", r"OpenTelemetry\.Exporter|OtlpExporter|BatchExportProcessor|OpenTelemetry-B|ProtobufSerializer"),
        ("OpenTelemetry metrics", r"OpenTelemetry\.Metrics|System\.Diagnostics\.Metrics|PrometheusExporter"),
        ("OpenTelemetry spans (Activity, instrumentation)",
         r"System\.Diagnostics\.Activity|ActivitySource|OpenTelemetry\.Trace|OpenTelemetry\.Instrumentation|"
         r"HostingApplicationDiagnostics|DiagnosticListener|ConversationTelemetry|TagConversation"),
        ("HMAC signature check", r"WebhookSignatureVerifier|SignatureHeader"),
        ("encryption (AES-GCM seal, caller hash)", r"PayloadSealer|PiiProtector|AesGcm|PiiBytes"),
        # OpenSSL has no frame pointers, so a sample inside it rarely unwinds to the managed caller (AES-GCM or HMAC).
        ("OpenSSL, caller not unwound (AES-GCM, HMAC-SHA256)", r"libcrypto\.so|libssl\.so|libSystem\.Security\.Cryptography\.Native"),
        ("JSON parsing (webhook)", r"WebhookParser"),
        ("JSON response", r"System\.Text\.Json|JsonHttpResult|HttpResultsHelper"),
        ("Npgsql / Postgres I/O (group commit)", r"Npgsql|WebhookEventStore|GroupCommitBatcher"),
        ("request body read", r"RequestBody::ReadAsync|RequestBody\.ReadAsync|HttpRequestStream|MessageBody"),
        ("Kestrel / HTTP parsing, routing, the receiver's checks, sockets",
         r"Microsoft\.AspNetCore|System\.IO\.Pipelines|System\.Net\.Sockets|Kestrel|WebhookReceiver|WebhookApi"),
        ("thread pool, kernel scheduling", r"ThreadPool|\.NET TP Worker|\[kernel|epoll|futex|sched_yield"),
    ],
    # The logging of a database command counts as logging, not as the database.
    "consumers": [
        JIT,
        GC,
        LOGGING,
        ("metrics (OpenTelemetry)", r"OpenTelemetry\.Metrics|System\.Diagnostics\.Metrics"),
        ("tracing export (OTLP)", r"OpenTelemetry\.Exporter|OtlpExporter|BatchExportProcessor|OpenTelemetry-B"),
        ("spans (Activity)", r"System\.Diagnostics\.Activity|OpenTelemetry\.Trace|ActivitySource"),
        ("gRPC nudge (client and server)", r"Grpc\.|CrmNudger|NudgeExport|System\.Net\.Http\.Http2"),
        ("offline analyzer", r"Analyzers\.Offline|RegularExpressions"),
        ("PII decrypt/encrypt, JSON", r"PiiProtector|VerdictProtection|System\.Text\.Json|AesGcm|libcrypto"),
        ("Markdown mirror", r"MarkdownMirror|MarkdownSection|MarkdownFileLock|FileSystemWatcher"),
        ("Npgsql (commands, pool)", r"Npgsql"),
        ("job worker", r"VoiceAnalytics\.Infrastructure\.Jobs"),
        ("thread pool, sockets, kernel", r"ThreadPool|Sockets|\[kernel|epoll|futex|sched_yield"),
    ],
}

if len(sys.argv) < 2 or sys.argv[1] not in BUCKET_SETS:
    sys.exit(__doc__)
buckets = BUCKET_SETS[sys.argv[1]]
names = dict(arg.split("=", 1) for arg in sys.argv[2:])
samples = defaultdict(Counter)
leaves = defaultdict(Counter)


def library(frame):
    """Where the sampled instruction was: the JIT'd code (perf map), the native library's file name, or None when
    perf script printed no dso."""
    # The dso is a path (which may end in "(deleted)") or a bracketed name such as [kernel.kallsyms].
    match = re.search(r"\((/[^()]*(?:\([^()]*\))?|\[[^]]*\])\)$", frame)
    if not match:
        return None
    where = match.group(1)
    if "perf-" in where and where.endswith(".map"):
        return "managed code (JIT'd)"
    # JIT'd code without a perf map (DOTNET_PerfMapEnabled unset): the runtime's double-mapped code memory.
    return "managed code (JIT'd, no perf map)" if "doublemapper" in where else where.rsplit("/", 1)[-1]


def add(header, frames):
    """One sample: its header line (thread name, pid[/tid], ...) and its call chain, innermost frame first."""
    match = re.match(r"\s*(.+?)\s+(\d+)(?:/\d+)?(?:\s|$)", header)
    thread, pid = (match.group(1), match.group(2)) if match else (header.strip(), "?")
    process = names.get(pid, pid)
    text = "\n".join([thread, *frames])
    samples[process][next((name for name, pattern in buckets if re.search(pattern, text)), "other")] += 1
    if frames and (where := library(frames[0])) is not None:
        leaves[process][where] += 1


block = []
for line in sys.stdin:
    if line.strip():
        block.append(line.strip() if block else line.rstrip("\n"))
        continue
    if block:
        add(block[0], block[1:])
    block = []
if block:
    add(block[0], block[1:])

for process, counts in sorted(samples.items()):
    total = sum(counts.values())
    # The background JIT still runs after a warm-up on a starved machine; the second column is the share of the rest.
    steady = max(1, total - counts[JIT[0]])
    print(f"{process}: {total} samples; share of all / share without the JIT")
    for bucket, count in counts.most_common():
        rest = "" if bucket == JIT[0] else f"{100 * count / steady:5.1f}%"
        print(f"  {100 * count / total:5.1f}%  {rest:>6}  {bucket}")
    if leaves[process]:
        print("  where the sampled instruction was (self time, by library):")
        for where, count in leaves[process].most_common(8):
            print(f"    {100 * count / total:5.1f}%  {where}")
