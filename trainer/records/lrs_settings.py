"""LRS connection settings, kept in one owner-only file in the data folder; the password is never shown."""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from trainer.errors import TrainerError
from trainer.records.paths import atomic_write_text
from trainer.records.xapi import XapiIdentity

SETTINGS_NAME = "lrs.json"
OWNER_ONLY = 0o600


@dataclass(frozen=True, slots=True)
class LrsSettings:
    """Where statements go: the xAPI endpoint (e.g. http://127.0.0.1:8100/xAPI/) and Basic credentials."""

    endpoint: str
    username: str
    password: str = field(repr=False)
    identity: XapiIdentity = field(default_factory=XapiIdentity)

    def __post_init__(self) -> None:
        parts = urlsplit(self.endpoint)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise TrainerError(f"the LRS endpoint must be an http(s) URL, not '{self.endpoint}'")
        if parts.username or parts.password:
            raise TrainerError("put the LRS user name and password in their own settings, not in the URL")

    @property
    def statements_url(self) -> str:
        return self.endpoint.rstrip("/") + "/statements"


def settings_path(data_dir: Path) -> Path:
    return data_dir / SETTINGS_NAME


def save_settings(data_dir: Path, settings: LrsSettings) -> Path:
    """Write the settings (password included) readable by the owner only."""
    path = settings_path(data_dir)
    body = {
        "endpoint": settings.endpoint,
        "username": settings.username,
        "password": settings.password,
        "iri_base": settings.identity.iri_base,
        "home_page": settings.identity.home_page,
    }
    atomic_write_text(path, json.dumps(body, indent=2), mode=OWNER_ONLY)
    return path


def load_settings(data_dir: Path) -> LrsSettings | None:
    """The saved settings, None if no LRS is set up. Tightens a credentials file others could read."""
    path = settings_path(data_dir)
    try:
        if stat.S_IMODE(path.stat().st_mode) & 0o077:
            os.chmod(path, OWNER_ONLY)
        body = json.loads(path.read_text(encoding="utf-8"))
        identity = XapiIdentity(**{k: str(body[k]) for k in ("iri_base", "home_page") if k in body})
        return LrsSettings(str(body["endpoint"]), str(body["username"]), str(body["password"]), identity)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise TrainerError(
            f"{path}: the LRS settings cannot be read ({type(exc).__name__}); "
            "set them again with 'python main.py lrs-config'"
        ) from None


def remove_settings(data_dir: Path) -> bool:
    path = settings_path(data_dir)
    existed = path.exists()
    path.unlink(missing_ok=True)
    return existed
