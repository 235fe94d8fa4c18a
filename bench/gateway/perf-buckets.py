#!/usr/bin/env python3
"""Sorts a perf profile of the gateway (perf script output with call chains, on stdin) into what the gateway was
doing for its webhooks. Each sample goes to the first bucket whose pattern appears anywhere in its stack (or in its
thread's name), so a bucket counts everything beneath it: the OTLP export of a span counts as OpenTelemetry even
though it ends in a socket write, and Kestrel, the outermost frame of every request, only gets what no more specific
bucket claims. Prints each bucket's share of the samples, most first.
Usage: perf script -i gateway.perf | bench/gateway/perf-buckets.py"""
import re
import sys
from collections import Counter

# Most specific first. The order decides where a stack that crosses two buckets goes.
BUCKETS = [
    ("JIT and tiering", r"libclrjit|TieredCompilation|\.NET Tiered Com"),
    ("GC", r"WKS::gc_heap|SVR::gc_heap|GCHeap::|gc_heap::|\.NET BGC|GCToEEInterface"),
    ("logging", r"Microsoft\.Extensions\.Logging|OpenTelemetry\.Logs|LoggerMessage|ConsoleLogger"),
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
]
JIT = BUCKETS[0][0]
samples = Counter()
leaves = Counter()
stack = []
total = 0


def library(frame):
    """Where the sampled instruction was: the JIT'd code (perf map), or the native library's file name."""
    match = re.search(r"\(([^()]*)\)$", frame)
    where = match.group(1) if match else "?"
    return "managed code (JIT'd)" if "perf-" in where and where.endswith(".map") else where.rsplit("/", 1)[-1]


def flush():
    global total
    if stack:
        text = "\n".join(stack)
        samples[next((name for name, pattern in BUCKETS if re.search(pattern, text)), "other")] += 1
        if len(stack) > 1:
            leaves[library(stack[1])] += 1
        total += 1


for line in sys.stdin:
    if not line.strip():
        flush()
        stack = []
    else:
        stack.append(line.strip())
flush()
# The background JIT still runs after a warm-up on a starved machine; the second column is the share of the rest.
steady = max(1, total - samples[JIT])
print(f"{total} samples; share of all / share without the JIT")
for bucket, count in samples.most_common():
    rest = "" if bucket == JIT else f"{100 * count / steady:5.1f}%"
    print(f"  {100 * count / max(1, total):5.1f}%  {rest:>6}  {bucket}")
print("where the sampled instruction was (self time, by library):")
for where, count in leaves.most_common(8):
    print(f"  {100 * count / max(1, total):5.1f}%  {where}")
