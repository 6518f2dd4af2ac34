"""Identity records: IAM users, groups, policies, service accounts and their mappings, as
named JSON documents in the metadata store, replicated like every record.

Theory of operation
-------------------
A record is `b"I" + kind + b"\\0" + name` -> magic + JSON {"gen": n, "doc": document}, in
the index of one erasure set (the home set of a reserved name, as a bucket's record).
What a document means is the server's business (server/iam/store.py); the engine keeps
them safe and current:

- writes are read-modify-write with compare-and-swap on the quorum (cas.update_record),
  so two admins adding users at once lose neither, and every write raises the
  record's generation so that of two halves of a set a crash left apart, the newer wins;
- reads come from a per-process snapshot of *all* records (there are few: thousands at
  most, each small), loaded with one range scan and kept while the deployment's shared
  generation slot for identities (generations.py, under a name no bucket can have) is
  unchanged.  Every write bumps the slot after it lands, so every worker sees a new user
  or a removed key at its next request, and an unchanged store costs a memory load.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

import orjson

from .cas import update_record
from .generations import GenerationTable
from .listing import Lister
from .quorum import SetMeta

MAGIC = b"CIM\x01"
SLOT_NAME = "\x00iam"  # a bucket name can hold no NUL: no bucket shares this slot by name
Key = tuple[str, str]  # (kind, name)
Snapshot = Mapping[Key, Any]


def record_key(kind: str, name: str) -> bytes:
    if "\x00" in kind or not kind:
        raise ValueError(f"bad identity record kind {kind!r}")
    return b"I" + kind.encode() + b"\x00" + name.encode()


def encode_record(generation: int, doc: Any) -> bytes:
    return MAGIC + orjson.dumps({"gen": generation, "doc": doc})


def decode_record(value: bytes) -> tuple[int, Any]:
    if value[:4] != MAGIC:
        raise ValueError("not an identity record")
    d = orjson.loads(value[4:])
    return int(d["gen"]), d["doc"]


def record_identity(value: bytes) -> tuple[bytes, int]:
    try:
        return value, decode_record(value)[0]
    except (ValueError, KeyError, TypeError, orjson.JSONDecodeError) as exc:
        raise ValueError("not an identity record") from exc


class IAMRecords:
    """The deployment's identity records (see the module docstring)."""

    def __init__(self, meta: SetMeta, table: GenerationTable) -> None:
        self.meta = meta
        self.table = table
        self._snapshot: tuple[int, Snapshot] | None = None
        self._lock = threading.Lock()

    def snapshot(self) -> Snapshot:
        """Every record, (kind, name) -> document, as of now (read-only; do not modify)."""
        seen = self.table.read(SLOT_NAME)
        snap = self._snapshot
        if snap is not None and snap[0] == seen and self.table.shared:
            return snap[1]
        with self._lock:
            records = self._load()
            self._snapshot = (seen, records)
            return records

    def cached(self) -> Snapshot | None:
        """The snapshot if this process holds it fresh, else None: safe on the event loop."""
        snap = self._snapshot
        return snap[1] if snap is not None and snap[0] == self.table.read(SLOT_NAME) else None

    def _load(self) -> Snapshot:
        out: dict[Key, Any] = {}
        lister = Lister([self.meta], b"I", b"J", identity=record_identity)
        while (item := lister.next()) is not None:
            kind, _, name = item[0][1:].decode().partition("\x00")
            out[(kind, name)] = decode_record(item[1])[1]
        return MappingProxyType(out)

    def get(self, kind: str, name: str) -> Any | None:
        return self.snapshot().get((kind, name))

    def names(self, kind: str) -> list[str]:
        return sorted(name for k, name in self.snapshot() if k == kind)

    def update(self, kind: str, name: str, mutate: Callable[[Any | None], Any | None]) -> Any | None:
        """Apply `mutate` (current document or None -> new document or None to delete) atomically
        on the quorum; the document written.  `mutate` may raise to refuse."""
        written: list[Any | None] = [None]

        def change(raw: bytes | None) -> bytes | None:
            generation, current = decode_record(raw) if raw is not None else (0, None)
            new = mutate(current)
            written[0] = new
            if new is None:
                return None
            return raw if raw is not None and new == current else encode_record(generation + 1, new)

        try:
            update_record(self.meta, record_key(kind, name), record_identity, change,
                          f"identity record {kind}/{name}")
        finally:
            self.table.bump(SLOT_NAME)
        return written[0]

    def put(self, kind: str, name: str, doc: Any) -> None:
        self.update(kind, name, lambda _: doc)

    def delete(self, kind: str, name: str) -> bool:
        """Remove a record; whether it existed."""
        existed = [False]

        def drop(current: Any | None) -> None:
            existed[0] = current is not None

        self.update(kind, name, drop)
        return existed[0]
