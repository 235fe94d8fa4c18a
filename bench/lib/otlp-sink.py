#!/usr/bin/env python3
"""An OTLP/HTTP sink for benchmarks: answers every export (traces, metrics, logs) with 200 and an empty protobuf
body, and counts requests and bytes per signal, so a service under load pays the full cost of exporting its
telemetry without a collector competing for the CPU. It also counts what the exports carry: spans per service and
name (and how many of them start a trace of their own, having no parent), log records per service, category and
severity; these are the items a dashboard receives, stores and indexes. Usage: otlp-sink.py <port> <report file>;
the report is written at SIGTERM (the per-signal lines first, then the item counts); SIGUSR1 zeroes the counts."""
import signal
import sys
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

counts = {}
items = Counter()
lock = threading.Lock()


def fields(data):
    """Yields (field number, wire type, value) of a protobuf message; length-delimited values as bytes."""
    i, end = 0, len(data)
    while i < end:
        key, i = varint(data, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, i = varint(data, i)
        elif wire == 1:
            value, i = data[i:i + 8], i + 8
        elif wire == 2:
            size, i = varint(data, i)
            value, i = data[i:i + size], i + size
        elif wire == 5:
            value, i = data[i:i + 4], i + 4
        else:
            return
        yield number, wire, value


def varint(data, i):
    shift = result = 0
    while True:
        byte = data[i]
        i += 1
        result |= (byte & 0x7F) << shift
        if byte < 0x80:
            return result, i
        shift += 7


def text(message, number):
    return next((v.decode("utf-8", "replace") for n, w, v in fields(message) if n == number and w == 2), "")


def service_name(resource):
    for n, _, attribute in fields(resource):
        if n == 1 and text(attribute, 1) == "service.name":
            value = next((v for m, _, v in fields(attribute) if m == 2), b"")
            return text(value, 1)
    return "?"


def count_items(path, body):
    """Counts spans (ExportTraceServiceRequest) and log records (ExportLogsServiceRequest) by what they are."""
    found = Counter()
    for n, _, resource_items in fields(body):
        if n != 1:
            continue
        parts = [(m, v) for m, _, v in fields(resource_items)]
        service = next((service_name(v) for m, v in parts if m == 1), "?")
        for m, scope_items in parts:
            if m != 2:
                continue
            scope_parts = [(k, v) for k, _, v in fields(scope_items)]
            scope = next((text(v, 1) for k, v in scope_parts if k == 1), "")
            for k, item in scope_parts:
                if k != 2:
                    continue
                if path.endswith("/traces"):
                    root = "root" if not any(f == 4 and len(v) > 0 for f, w, v in fields(item) if w == 2) else "child"
                    found[("span", service, scope, text(item, 5), root)] += 1
                elif path.endswith("/logs"):
                    severity = text(item, 3) or f"severity {next((v for f, w, v in fields(item) if f == 2 and w == 0), 0)}"
                    found[("log", service, scope, severity, "")] += 1
    return found


class Sink(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        try:
            found = count_items(self.path, body)
        except (IndexError, ValueError):
            found = Counter({("unreadable", self.path, "", "", ""): 1})
        with lock:
            requests, size = counts.get(self.path, (0, 0))
            counts[self.path] = (requests + 1, size + len(body))
            items.update(found)
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def report(*_):
    with open(sys.argv[2], "w") as out:
        for path, (requests, size) in sorted(counts.items()):
            out.write(f"{path} requests={requests} bytes={size}\n")
        for (kind, service, scope, name, extra), count in sorted(items.items(), key=lambda kv: (kv[0][0], -kv[1])):
            out.write(f"{kind} count={count} service={service} scope={scope} name={name!r} {extra}\n".rstrip() + "\n")
    sys.exit(0)


def reset(*_):
    with lock:
        counts.clear()
        items.clear()


signal.signal(signal.SIGTERM, report)
signal.signal(signal.SIGUSR1, reset)
ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Sink).serve_forever()
