"""A stand-in span collector for wire-level tests: records every `POST /api/v1/spans` it gets and
answers as scripted (status codes, `Retry-After`, or hanging), which the real server cannot be
made to do on demand."""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, List, Optional, Tuple


class CaptureServer:
    def __init__(self) -> None:
        self.requests: List[Dict[str, Any]] = []
        self.script: List[Tuple[int, Dict[str, str]]] = []  # answers to give first, in order
        self.hang = threading.Event()  # set: requests wait until `release` is set
        self.release = threading.Event()
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with server._lock:
                    server.requests.append({"headers": dict(self.headers), "body": json.loads(body), "at": time.monotonic()})
                    answer = server.script.pop(0) if server.script else (200, {})
                if server.hang.is_set():
                    server.release.wait(30)
                status, headers = answer
                payload = b'{"accepted":1}' if status < 300 else b'{"error":{"message":"scripted","type":"test"}}'
                try:
                    self.send_response(status)
                    for key, value in headers.items():
                        self.send_header(key, value)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:
                    pass

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()

    def rows(self) -> List[Dict[str, Any]]:
        with self._lock:
            return [row for request in self.requests for row in request["body"]["rows"]]

    def end_rows(self, span_id: Optional[str] = None) -> List[Dict[str, Any]]:
        return [r for r in self.rows() if "end" in r.get("metrics", {}) and (span_id is None or r["id"] == span_id)]

    def stop(self) -> None:
        self.release.set()
        self._server.shutdown()
        self._server.server_close()
