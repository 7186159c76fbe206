"""Servers on 127.0.0.1 that answer the way misconfigured networks do: a redirect, a web server that
answers 200 (or 204) to anything, a proxy's HTML 400, and one that trickles its answer a byte at a time.

Each runs in a thread of the test process and counts the requests it got."""

from __future__ import annotations

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Handler(BaseHTTPRequestHandler):
    server: BadServer

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self.server.requests.append((self.command, self.path, dict(self.headers)))
        status, headers, body = self.server.answer(self)
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = _answer

    def log_message(self, *args: object) -> None:
        pass


class BadServer(ThreadingHTTPServer):
    """`answer(handler) -> (status, headers, body)` decides every reply."""

    daemon_threads = True

    def __init__(self, answer) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.answer = answer
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        self.endpoint = f"http://127.0.0.1:{self.server_address[1]}/xAPI/"
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.shutdown()
        self.server_close()


def redirecting(to: str, status: int = 302) -> BadServer:
    return BadServer(lambda h: (status, {"Location": to + h.path.split("/xAPI/", 1)[-1]}, b""))


def catch_all(status: int = 200) -> BadServer:
    """A web server where the LRS should be: every request 'succeeds'."""
    body = b"<html><body>It works!</body></html>" if status == 200 else b""
    return BadServer(lambda h: (status, {"Content-Type": "text/html"}, body))


def html_proxy_error(status: int = 400) -> BadServer:
    return BadServer(lambda h: (status, {"Content-Type": "text/html"}, b"<html>Bad Request (proxy)</html>"))


class Trickler:
    """Accepts connections and sends an HTTP header one byte every `every_s` seconds, forever."""

    def __init__(self, every_s: float) -> None:
        self.every_s = every_s
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.endpoint = f"http://127.0.0.1:{self.sock.getsockname()[1]}/xAPI/"
        self._stop = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._trickle, args=(conn,), daemon=True).start()

    def _trickle(self, conn: socket.socket) -> None:
        try:
            for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"x" * 10_000:
                if self._stop.is_set():
                    break
                conn.sendall(bytes([byte]))
                time.sleep(self.every_s)
        except OSError:
            pass
        finally:
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self.sock.close()
