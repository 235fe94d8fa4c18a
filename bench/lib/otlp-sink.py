#!/usr/bin/env python3
"""An OTLP/HTTP sink for benchmarks: answers every export (traces, metrics, logs) with 200 and an empty protobuf
body, and counts requests and bytes per signal, so a service under load pays the full cost of exporting its
telemetry without a collector competing for the CPU. Usage: otlp-sink.py <port> <report file>; the report is
written at SIGTERM."""
import signal
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

counts = {}


class Sink(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        requests, size = counts.get(self.path, (0, 0))
        counts[self.path] = (requests + 1, size + len(body))
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
    sys.exit(0)


signal.signal(signal.SIGTERM, report)
ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Sink).serve_forever()
