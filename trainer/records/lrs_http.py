"""One HTTP request to the LRS: a deadline on the whole request, and redirects never followed.

urllib follows a 301/302 by turning a POST into a GET (carrying the Basic credentials along), and its
timeout bounds each socket read, so a server trickling a byte every few seconds holds it forever.
Here a timer shuts the socket when the deadline passes, whatever the server does, and a redirect is
returned as it is, for the caller to report.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
import threading
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from trainer.errors import TrainerError

DEADLINE_S = 20.0
MAX_ANSWER_BYTES = 1_000_000


class LrsUnavailable(TrainerError):
    """The LRS cannot be reached, is too slow, or refuses the request as a whole."""


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)

    def json(self) -> Any:
        """The body as JSON, or None if it is not JSON."""
        try:
            return json.loads(self.body)
        except (ValueError, RecursionError):
            return None

    def text(self, limit: int = 160) -> str:
        return self.body[:limit].decode("utf-8", "replace").strip()


def request(
    method: str, url: str, headers: dict[str, str], body: bytes | None = None, deadline_s: float | None = None
) -> Answer:
    """Send one request and read the answer within `deadline_s` in all (DEADLINE_S unless given);
    LrsUnavailable otherwise."""
    deadline_s = deadline_s or DEADLINE_S
    parts = urlsplit(url)
    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    conn = kind(parts.hostname or "", parts.port, timeout=deadline_s)
    expired = threading.Event()
    timer = threading.Timer(deadline_s, _abort, (conn, expired))
    timer.daemon = True
    timer.start()
    try:
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        conn.request(method, target or "/", body=body, headers=headers)
        response = conn.getresponse()
        data = response.read(MAX_ANSWER_BYTES)
        return Answer(response.status, data, {k.lower(): v for k, v in response.getheaders()})
    except (OSError, http.client.HTTPException, ValueError) as exc:
        if expired.is_set():
            raise LrsUnavailable(
                f"the LRS at {parts.netloc} did not answer within {deadline_s:.0f} s"
            ) from None
        raise LrsUnavailable(f"the LRS at {parts.netloc} is unreachable ({_reason(exc)})") from None
    finally:
        timer.cancel()
        conn.close()


def _abort(conn: http.client.HTTPConnection, expired: threading.Event) -> None:
    """The deadline passed: shut the socket, so a blocked read returns at once."""
    expired.set()
    sock = conn.sock
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


def _reason(exc: Exception) -> str:
    return str(exc) or type(exc).__name__


def redirect_problem(answer: Answer, what: str) -> str:
    """The message for a redirect, which is never followed with the credentials."""
    target = answer.headers.get("location", "another address")
    return (
        f"the {what} redirects (HTTP {answer.status}) to {target}; the trainer does not follow redirects "
        "with your credentials: set the endpoint to the address the LRS really answers on (lrs-config)"
    )
