"""LRS connection settings: where statements go and as whom, in `lrs.json` in the data folder; the
password stays on each computer (`trainer.records.credentials`), never in that file.

Every value is checked when the settings are made, so a stray newline or a relative IRI is refused with
a message at `lrs-config` instead of failing every delivery later.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from trainer.errors import TrainerError
from trainer.json_limits import read_json_file
from trainer.records.credentials import credential_name, forget_password, load_password, save_password
from trainer.records.paths import atomic_write_text
from trainer.records.xapi import XapiIdentity

SETTINGS_NAME = "lrs.json"


def endpoint_problem(endpoint: str) -> str:
    """Why `endpoint` cannot be an xAPI endpoint address, or '' if it can."""
    if any(c.isspace() or ord(c) < 32 for c in endpoint):
        return "it contains spaces, tabs or line breaks (a stray newline?)"
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "it must be an http:// or https:// address, e.g. https://lrs.example.org/xAPI/"
    if parts.username or parts.password:
        return "put the user name and password in their own settings, not in the address"
    if parts.query or parts.fragment or "?" in endpoint or "#" in endpoint:
        return "it must not carry '?' or '#' parts"
    try:
        parts.port  # noqa: B018 (raises for a port that is not a number)
    except ValueError:
        return "its port is not a number"
    return ""


@dataclass(frozen=True, slots=True)
class LrsSettings:
    """Where statements go: the xAPI endpoint (e.g. http://127.0.0.1:8100/xAPI/) and Basic credentials.
    `password` is '' on a computer that has not been given it."""

    endpoint: str
    username: str
    password: str = field(default="", repr=False)
    identity: XapiIdentity = field(default_factory=XapiIdentity)

    def __post_init__(self) -> None:
        problem = endpoint_problem(self.endpoint)
        if problem:
            shown = "(with credentials in it)" if "@" in self.endpoint else repr(self.endpoint)
            raise TrainerError(f"the LRS endpoint {shown} is not usable: {problem}")
        if any(ord(c) < 32 for c in self.username + self.password) or ":" in self.username:
            raise TrainerError("the LRS user name or password holds a line break or control character")
        object.__setattr__(self, "endpoint", self.endpoint.rstrip("/") + "/")

    @property
    def statements_url(self) -> str:
        return self.endpoint + "statements"

    @property
    def credential(self) -> str:
        return credential_name(self.endpoint, self.username)


def settings_path(data_dir: Path) -> Path:
    return data_dir / SETTINGS_NAME


def save_settings(data_dir: Path, settings: LrsSettings) -> str:
    """Write the settings; the password goes to this computer's keyring or private file. Returns where."""
    where = save_password(settings.credential, settings.password)
    body = {
        "endpoint": settings.endpoint,
        "username": settings.username,
        "iri_base": settings.identity.iri_base,
        "home_page": settings.identity.home_page,
    }
    atomic_write_text(settings_path(data_dir), json.dumps(body, indent=2))
    return where


def load_settings(data_dir: Path) -> LrsSettings | None:
    """The saved settings, None if no LRS is set up. A password an older version kept in the file
    moves to the keyring (or the private file) the first time it is read."""
    path = settings_path(data_dir)
    try:
        body = read_json_file(path)
        identity = XapiIdentity(**{k: str(body[k]) for k in ("iri_base", "home_page") if k in body})
        settings = LrsSettings(str(body["endpoint"]), str(body["username"]), "", identity)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, TrainerError) as exc:
        raise TrainerError(
            f"{path}: the LRS settings cannot be used ({exc}); set them again with "
            "'python main.py lrs-config'"
        ) from None
    if "password" in body:
        old = LrsSettings(settings.endpoint, settings.username, str(body["password"]), identity)
        save_settings(data_dir, old)
        return old
    return LrsSettings(
        settings.endpoint, settings.username, load_password(settings.credential) or "", identity
    )


def remove_settings(data_dir: Path) -> bool:
    path = settings_path(data_dir)
    try:
        settings = load_settings(data_dir)
    except TrainerError:
        settings = None
    if settings is not None:
        forget_password(settings.credential)
    existed = path.exists()
    path.unlink(missing_ok=True)
    return existed
