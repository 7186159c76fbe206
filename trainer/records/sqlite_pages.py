"""Reading rows out of a damaged SQLite file page by page, without SQLite.

When a page of the database is garbage, SQLite stops a table scan at it and everything after is lost
to a plain `SELECT`. The file format is documented (https://www.sqlite.org/fileformat2.html), so the
rows on every intact table-leaf page can still be read: each page is decoded on its own, and a
damaged page costs only its own rows. Overflow chains (records longer than a page) are followed and
checked; pages on the freelist (deleted data) are skipped.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

HEADER_BYTES = 100
TABLE_LEAF = 0x0D
Value = int | float | str | bytes | None


def rows(data: bytes) -> Iterator[list[Value]]:
    """Every row that can be decoded from the table-leaf pages of a database file's bytes."""
    page_size, reserved = _page_size(data), _reserved(data)
    usable = page_size - reserved
    free = _freelist(data, page_size)
    for number in range(1, len(data) // page_size + 1):
        if number in free:
            continue
        yield from _leaf_rows(data, number, page_size, usable)


def _page_size(data: bytes) -> int:
    size = int.from_bytes(data[16:18], "big") if len(data) >= HEADER_BYTES else 0
    size = 65536 if size == 1 else size
    return size if size >= 512 and size & (size - 1) == 0 else 4096


def _reserved(data: bytes) -> int:
    return data[20] if len(data) > 20 and data[20] < 64 else 0


def _freelist(data: bytes, page_size: int) -> set[int]:
    """Pages on the freelist (trunk and leaf pages); stops quietly at a damaged trunk."""
    free: set[int] = set()
    trunk = int.from_bytes(data[32:36], "big") if len(data) >= HEADER_BYTES else 0
    while 0 < trunk <= len(data) // page_size and trunk not in free:
        free.add(trunk)
        at = (trunk - 1) * page_size
        count = int.from_bytes(data[at + 4 : at + 8], "big")
        leaves = data[at + 8 : at + 8 + 4 * min(count, page_size // 4)]
        free.update(int.from_bytes(leaves[i : i + 4], "big") for i in range(0, len(leaves), 4))
        trunk = int.from_bytes(data[at : at + 4], "big")
    return free


def _leaf_rows(data: bytes, number: int, page_size: int, usable: int) -> Iterator[list[Value]]:
    start = (number - 1) * page_size
    header = start + (HEADER_BYTES if number == 1 else 0)
    if data[header] != TABLE_LEAF:
        return
    cells = int.from_bytes(data[header + 3 : header + 5], "big")
    for i in range(min(cells, page_size // 2)):
        offset = int.from_bytes(data[header + 8 + 2 * i : header + 10 + 2 * i], "big")
        try:
            payload = _payload(data, start + offset, start + page_size, page_size, usable)
            yield _record(payload)
        except (IndexError, ValueError):
            continue  # this cell is damaged; the next one may not be


def _varint(data: bytes, at: int) -> tuple[int, int]:
    """(value, position after it) of a SQLite variable-length integer."""
    value = 0
    for i in range(8):
        byte = data[at + i]
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, at + i + 1
    return (value << 8) | data[at + 8], at + 9


def _payload(data: bytes, at: int, page_end: int, page_size: int, usable: int) -> bytes:
    size, at = _varint(data, at)
    _, at = _varint(data, at)  # the rowid
    max_local = usable - 35
    if size <= max_local:
        if at + size > page_end:
            raise ValueError("cell runs past its page")
        return data[at : at + size]
    min_local = (usable - 12) * 32 // 255 - 23
    local = min_local + (size - min_local) % (usable - 4)
    local = local if local <= max_local else min_local
    if at + local + 4 > page_end:
        raise ValueError("cell runs past its page")
    parts = [data[at : at + local]]
    overflow, seen = int.from_bytes(data[at + local : at + local + 4], "big"), set()
    remaining = size - local
    while remaining > 0:
        if not 0 < overflow <= len(data) // page_size or overflow in seen:
            raise ValueError("broken overflow chain")
        seen.add(overflow)
        page = (overflow - 1) * page_size
        chunk = data[page + 4 : page + 4 + min(remaining, usable - 4)]
        parts.append(chunk)
        remaining -= len(chunk)
        overflow = int.from_bytes(data[page : page + 4], "big")
    return b"".join(parts)


def _record(payload: bytes) -> list[Value]:
    """The values of one record (https://www.sqlite.org/fileformat2.html#record_format)."""
    header_size, at = _varint(payload, 0)
    types = []
    while at < header_size:
        serial, at = _varint(payload, at)
        types.append(serial)
    body, values = header_size, []
    for serial in types:
        value, body = _value(payload, body, serial)
        values.append(value)
    if body != len(payload):
        raise ValueError("record length does not match its header")
    return values


INT_BYTES = {1: 1, 2: 2, 3: 3, 4: 4, 5: 6, 6: 8}


def _value(payload: bytes, at: int, serial: int) -> tuple[Value, int]:
    if serial == 0:
        return None, at
    if serial in INT_BYTES:
        n = INT_BYTES[serial]
        return int.from_bytes(payload[at : at + n], "big", signed=True), at + n
    if serial == 7:
        return struct.unpack(">d", payload[at : at + 8])[0], at + 8
    if serial in (8, 9):
        return serial - 8, at
    if serial >= 12:
        n = (serial - 12) // 2
        if at + n > len(payload):
            raise ValueError("value runs past its record")
        raw = payload[at : at + n]
        return (raw.decode("utf-8", "replace") if serial % 2 else raw), at + n
    raise ValueError(f"unknown serial type {serial}")
