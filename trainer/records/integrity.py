"""Integrity codes for records that leave a machine, and hashed instructor PINs."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from typing import Any

INTEGRITY_KEY = "integrity"
HMAC_ALGORITHM = "HMAC-SHA256"
# scrypt cost for PINs: 2^14 x 8 x 1 takes ~50 ms and 16 MiB, so guessing 4-6 digit PINs offline is slow.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1


def canonical_json(value: Any) -> str:
    """One spelling of a JSON value (sorted keys, no spaces), so equal records have equal text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def new_session_key() -> str:
    return secrets.token_hex(32)


def _mac(record: dict[str, Any], key_hex: str) -> str:
    body = {k: v for k, v in record.items() if k != INTEGRITY_KEY}
    return hmac.new(bytes.fromhex(key_hex), canonical_json(body).encode("utf-8"), hashlib.sha256).hexdigest()


def signed(record: dict[str, Any], session_id: str, key_hex: str) -> dict[str, Any]:
    """The record with an integrity code over everything else in it, made with the session's key."""
    return {
        **record,
        INTEGRITY_KEY: {"algorithm": HMAC_ALGORITHM, "session_id": session_id, "code": _mac(record, key_hex)},
    }


def unsigned(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k != INTEGRITY_KEY}


def integrity_problem(record: dict[str, Any], key_hex: str) -> str | None:
    """Why the record's integrity code does not hold (one sentence), or None if it does."""
    seal = record.get(INTEGRITY_KEY)
    if not isinstance(seal, dict) or not isinstance(seal.get("code"), str):
        return "it carries no integrity code"
    if seal.get("algorithm") != HMAC_ALGORITHM:
        return f"its integrity code uses an unknown algorithm ({seal.get('algorithm')!r})"
    if seal.get("session_id") != record.get("session_id"):
        return "its integrity code was made for another session"
    if not hmac.compare_digest(seal["code"], _mac(record, key_hex)):
        return "it was changed after export (the integrity code does not match its contents)"
    return None


def hash_pin(pin: str) -> dict[str, Any]:
    """A salted scrypt hash of `pin`, as stored in the session (the PIN itself is never stored)."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)
    return {
        "scheme": "scrypt",
        "n": SCRYPT_N,
        "r": SCRYPT_R,
        "p": SCRYPT_P,
        "salt": salt.hex(),
        "hash": digest.hex(),
    }


def pin_matches(pin: str, stored: dict[str, Any]) -> bool:
    try:
        digest = hashlib.scrypt(
            pin.encode("utf-8"),
            salt=bytes.fromhex(stored["salt"]),
            n=int(stored["n"]),
            r=int(stored["r"]),
            p=int(stored["p"]),
        )
    except (KeyError, TypeError, ValueError):
        return False
    return hmac.compare_digest(digest.hex(), str(stored.get("hash", "")))
