#!/usr/bin/env python3
"""Sorts a perf profile's samples (perf script output with call chains, on stdin) into what the process was doing:
each sample goes to the first bucket whose pattern appears anywhere in its stack, so a bucket counts everything
under it (inclusive). Prints per process (by its command name) the share of its samples in each bucket.
Usage: perf script -i profile.data | bench/lib/perf-buckets.py <pid>=<name> ..."""
import re
import sys
from collections import Counter, defaultdict

# Most specific first: the logging of a database command counts as logging, not as the database.
BUCKETS = [
    ("JIT and tiering", r"libclrjit|TieredCompilation|\.NET Tiered Com"),
    ("GC", r"WKS::gc_heap|SVR::gc_heap|GCHeap::|gc_heap::"),
    ("logging (console, OTLP logs)", r"Microsoft\.Extensions\.Logging|OpenTelemetry\.Logs|ConsoleLogger|Console logger|LoggerMessage"),
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
]
names = dict(arg.split("=", 1) for arg in sys.argv[1:])
samples = defaultdict(Counter)
stack, pid = [], None
for line in sys.stdin:
    if not line.strip():
        if pid is not None:
            text = "\n".join(stack)
            bucket = next((name for name, pattern in BUCKETS if re.search(pattern, text)), "other")
            samples[names.get(pid, pid)][bucket] += 1
        stack, pid = [], None
    elif pid is None:
        match = re.match(r"\s*(.+?)\s+(\d+)(?:/\d+)?\s", line)
        pid = match.group(2) if match else "?"
        stack.append(match.group(1) if match else line)
    else:
        stack.append(line.strip())
for process, counts in sorted(samples.items()):
    total = sum(counts.values())
    print(f"{process}: {total} samples")
    for bucket, count in counts.most_common():
        print(f"  {100 * count / total:5.1f}%  {bucket}")
