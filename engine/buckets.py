"""Buckets: their records, their typed configurations, and the cache every object call reads.

Theory of operation
-------------------
A bucket's record (creation time, region, a generation number and one document
per configuration kind, bucket_config.py) lives in the metadata index of one
erasure set, its *home* set, chosen by hashing the bucket name, like MinIO's
per-bucket metadata object.  (Deployments written before kept a copy in every
set; the home set's is the one read, and deleting a bucket removes them all.)

Writes are read-modify-write with compare-and-swap on the home set's quorum
(`update`, through cas.update_record): concurrent changes of different
configurations are applied one after the other and neither is lost, and drives
a crash left behind mid-update (or with a damaged record) are brought along by
the next update.  Where data and parity shards are as many (1+1, 2+2), half a set is a
read quorum, so a reader may see a loser's half-applied record until it is
undone.

Reads come from a per-process cache kept fresh by the generation table
(generations.py): whoever touched a record (a swap or its undo) writes
the bucket's slot afterwards, so every process sees the change at its next
request, and an unchanged bucket costs no metadata read at all.  The cache keeps
buckets that exist, at most CACHE_SIZE of them.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import orjson

from .bucket_config import CONFIG_TYPES, C, check_config_change
from .cas import update_record
from .errors import BucketExists, BucketNotFound
from .generations import GenerationTable
from .listing import Lister, prefix_end
from .names import check_bucket_name
from .quorum import SetMeta
from .records import BUCKET_MAGIC, bucket_key, bucket_keys_range

RECORD_VERSION_2 = b"CBK\x02"
CACHE_SIZE = 10_000


@dataclass(frozen=True)
class BucketInfo:
    name: str
    created_ns: int
    region: str = ""  # the LocationConstraint it was created with ("" for the server's)
    generation: int = 0  # bumped by every change of the record
    configs: dict[str, Any] = field(default_factory=dict)  # kind -> document
    owner: str = ""  # the account name of the principal that created it ("": the root user)

    def config(self, kind: type[C]) -> C | None:
        """The bucket's configuration of this type, or None when never set (or deleted)."""
        doc = self.configs.get(kind.KIND)
        return None if doc is None else kind.from_doc(doc)


def encode_bucket(info: BucketInfo) -> bytes:
    return RECORD_VERSION_2 + orjson.dumps({"created": info.created_ns, "region": info.region,
                                            "gen": info.generation, "configs": info.configs,
                                            **({"owner": info.owner} if info.owner else {})})


def decode_bucket(name: str, value: bytes) -> BucketInfo:
    """A bucket record of either version (version 1 kept its region as settings.location)."""
    if value[:4] == RECORD_VERSION_2:
        d = orjson.loads(value[4:])
        return BucketInfo(name, d["created"], d["region"], d["gen"], d["configs"], str(d.get("owner", "")))
    if value[:4] == BUCKET_MAGIC:
        d = orjson.loads(value[4:])
        return BucketInfo(name, d["created"], str(d["settings"].get("location") or ""))
    raise ValueError("not a bucket record")


def bucket_identity(value: bytes) -> tuple[bytes, int]:
    """What the drives must agree on for a bucket record, and its age: its generation (so that of
    two halves of a set left apart by a crash, the newer record wins)."""
    try:
        return value, decode_bucket("", value).generation
    except (ValueError, KeyError, orjson.JSONDecodeError) as exc:
        raise ValueError("not a bucket record") from exc


def with_config(info: BucketInfo, kind: str, doc: Any) -> BucketInfo:
    """`info` with configuration `kind` set to `doc` (None: removed)."""
    if kind not in CONFIG_TYPES:
        raise ValueError(f"unknown bucket configuration {kind!r}")
    configs = {k: v for k, v in info.configs.items() if k != kind}
    if doc is not None:
        configs[kind] = doc
    return replace(info, configs=configs)


Mutation = Callable[[BucketInfo | None], BucketInfo | None]


class Buckets:
    """Bucket records of one deployment: `home(bucket)` is the set that holds a bucket's record."""

    def __init__(self, sets: Sequence[SetMeta], home: Callable[[str], SetMeta],
                 table: GenerationTable) -> None:
        self.sets = list(sets)
        self.home = home
        self.table = table
        self.cache: dict[str, tuple[int, BucketInfo | None]] = {}

    # -- reads ------------------------------------------------------------------------------

    def lookup(self, bucket: str) -> BucketInfo | None:
        """The bucket, or None when it does not exist; cached while no process changed it."""
        seen = self.table.read(bucket)
        hit = self.cache.get(bucket)
        if hit is not None and hit[0] == seen:
            return hit[1]
        info = self._read(bucket)
        if info is not None and self.table.shared:
            if len(self.cache) >= CACHE_SIZE:
                self.cache.clear()
            self.cache[bucket] = (seen, info)
        return info

    def cached(self, bucket: str) -> BucketInfo | None:
        """The bucket if this process's cache holds it fresh, else None (lookup() reads it): a
        memory load, safe on the event loop."""
        hit = self.cache.get(bucket)
        return hit[1] if hit is not None and hit[0] == self.table.read(bucket) else None

    def get(self, bucket: str) -> BucketInfo:
        info = self.lookup(bucket)
        if info is None:
            raise BucketNotFound(bucket)
        return info

    def _read(self, bucket: str) -> BucketInfo | None:
        value = self.home(bucket).get(bucket_key(bucket), bucket_identity).value
        return None if value is None else decode_bucket(bucket, value)

    def list(self, prefix: str = "", start_after: str = "", limit: int | None = None
             ) -> tuple[list[BucketInfo], bool]:
        """Buckets in name order whose names start with `prefix` and sort after `start_after`, at
        most `limit` of them; and whether more follow."""
        start, end = bucket_keys_range()
        lo = max(bucket_key(prefix), bucket_key(start_after) + b"\x00" if start_after else start)
        hi = prefix_end(bucket_key(prefix)) if prefix else end
        lister = Lister(self.sets, lo, hi, identity=lambda v: (v, 0))
        out: list[BucketInfo] = []
        while (item := lister.next()) is not None:
            if limit is not None and len(out) == limit:
                return out, True
            out.append(decode_bucket(item[0][1:].decode(), item[1]))
        return out, False

    # -- writes -----------------------------------------------------------------------------

    def create(self, bucket: str, region: str, configs: dict[str, Any] | None = None, owner: str = ""
               ) -> BucketInfo:
        """A new bucket, with these configurations (kind -> document) from the start."""
        check_bucket_name(bucket)

        def make(current: BucketInfo | None) -> BucketInfo:
            if current is not None:
                raise BucketExists(bucket)
            return BucketInfo(bucket, time.time_ns(), region, configs=dict(configs or {}), owner=owner)

        created = self.update(bucket, make)
        assert created is not None
        return created

    def delete(self, bucket: str) -> None:
        def drop(current: BucketInfo | None) -> None:
            if current is None:
                raise BucketNotFound(bucket)
            return None

        self.update(bucket, drop)
        home = self.home(bucket)
        for meta in self.sets:  # copies an older release kept in every set
            if meta is not home:
                meta.commit_all([(bucket_key(bucket), None)], required=0)

    def set_config(self, bucket: str, kind: str, doc: Any) -> BucketInfo:
        """Set (doc None: delete) one configuration, leaving the others as they are."""
        def change(current: BucketInfo | None) -> BucketInfo:
            if current is None:
                raise BucketNotFound(bucket)
            check_config_change(current.configs, kind, doc)
            return with_config(current, kind, doc)

        updated = self.update(bucket, change)
        assert updated is not None
        return updated

    def update(self, bucket: str, mutate: Mutation) -> BucketInfo | None:
        """Apply `mutate` to the bucket's record atomically on the quorum (cas.update_record);
        `mutate` sees None for a bucket that does not exist and returns None to delete it."""
        result: list[BucketInfo | None] = [None]

        def change(raw: bytes | None) -> bytes | None:
            current = None if raw is None else decode_bucket(bucket, raw)
            new = mutate(current)
            if new is not None:
                new = replace(new, generation=(current.generation if current else 0) + 1)
            result[0] = new
            return None if new is None else encode_bucket(new)

        try:
            update_record(self.home(bucket), bucket_key(bucket), bucket_identity, change,
                          f"bucket {bucket!r}")
        finally:
            self.table.bump(bucket)  # whatever landed or was undone: readers look again
        return result[0]
