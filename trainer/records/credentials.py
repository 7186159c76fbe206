"""The LRS password, kept per computer: in the system keyring where there is one (Windows Credential
Manager, the macOS Keychain, the Secret Service on Linux), otherwise in an owner-only file in the
user's own configuration folder. Never in the data folder, which a lab may share.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path
from types import ModuleType

import platformdirs

from trainer.records.paths import APP_NAME, atomic_write_text

SERVICE = f"{APP_NAME} LRS"
CONFIG_DIR_ENV = "THORACIC_TRAINER_CONFIG"  # where the fallback file goes (tests, portable installs)
OWNER_ONLY = 0o600
PRIVATE_FOLDER = 0o700


def credential_name(endpoint: str, username: str) -> str:
    return f"{username}@{endpoint}"


def save_password(name: str, password: str) -> str:
    """Keep the password; returns where it went, in words for the user."""
    keyring = _usable_keyring()
    if keyring is not None:
        try:
            keyring.set_password(SERVICE, name, password)
            return f"the system keyring ({type(keyring.get_keyring()).__name__})"
        except Exception:
            pass
    path = _secret_file(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, PRIVATE_FOLDER)
    atomic_write_text(path, json.dumps({"name": name, "password": password}), mode=OWNER_ONLY)
    return f"an owner-only file in {path.parent}"


def load_password(name: str) -> str | None:
    """The kept password, or None if this computer has none for `name`."""
    keyring = _usable_keyring()
    if keyring is not None:
        try:
            found = keyring.get_password(SERVICE, name)
        except Exception:
            found = None
        if found is not None:
            return str(found)
    try:
        body = json.loads(_secret_file(name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return str(body["password"]) if isinstance(body, dict) and body.get("name") == name else None


def forget_password(name: str) -> None:
    keyring = _usable_keyring()
    if keyring is not None:
        with contextlib.suppress(Exception):
            keyring.delete_password(SERVICE, name)
    _secret_file(name).unlink(missing_ok=True)


def config_dir() -> Path:
    chosen = os.environ.get(CONFIG_DIR_ENV) or platformdirs.user_config_dir(APP_NAME, False)
    return Path(chosen).expanduser()


def _secret_file(name: str) -> Path:
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:32]
    return config_dir() / "credentials" / f"lrs-{digest}.json"


def _usable_keyring() -> ModuleType | None:
    """The keyring module if a real backend is available (not keyring's 'fail' placeholder)."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return None
    backend = keyring.get_keyring()
    return None if isinstance(backend, fail.Keyring) or backend.priority <= 0 else keyring
