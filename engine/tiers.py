"""Remote tiers: lifecycle transitions move a version's data to another S3 endpoint and leave a
stub; reads go through to the tier; the remote copy goes when the version goes.

Theory of operation
-------------------
A tier is configured by the operator (`mc admin tier add`, server/admin/tier.py) and kept as
MinIO's TierConfig document, an identity record of kind "tier" named by the tier's uppercase name,
so every worker and a restart see it (IAMRecords).

Transition (`transition`, called by the scanner's lifecycle job): the version is read through the
engine (ObjectLayer.get_object by version id, verified block by block) and PUT to the tier under a
name of its own (`prefix/<hash of deployment and bucket>/<uuid[0:2]>/<uuid[2:4]>/<uuid>`, MinIO's
shape: unique per version, so a version written again is never confused with an older copy),
multipart when large.  Then one compare-and-swap replaces the version's record by a stub
(`commit_stub`): the same metadata (size, ETag, checksums, parts, tags, lock, ...) with `tier`
naming the tier and the remote name, no inline frame and no data directory; the shard files are
removed after it.  The swap re-reads the version and refuses when it is no longer the one read
(written over, deleted, moved to another tier): the remote copy is then deleted.  A crash between
the PUT and the swap leaves at most an object in the tier that nothing names (an orphan there),
never a stub without data.  Encrypted (SSE) versions are not transitioned (logged, skipped): their
blocks are sealed per shard file and part, which a plain remote object cannot carry without the
engine's framing.

Reads: ObjectLayer.get_object hands out a TierReader for a stub: the same interface as an
ObjectReader (restrict, block_count, blocks), whose `open` sends one ranged GET to the tier
(the server calls it before answering, so a tier that is down gives a 5xx error, not a cut-off
body); HEAD, listings and GetObjectAttributes answer from the stub alone, the storage class being
the tier's name (as MinIO shows it).

Deletes: the journal (`TierJournal`: records `b"T" + tier + b"\\0" + name` in the home set of a
reserved name, like the event queue) holds every remote object Cairn put in a tier and the
version that owns it, written before the PUT (flagged "put" until the stub is committed).  An
entry whose version no longer names its object (the version deleted, expired, written over on an
unversioned bucket; or a transition that crashed or lost its race) is acted on: the remote object
is deleted, then the entry.  When a change drops a stub (ErasureSet.on_tier_gone, called as the
change is made), the ObjectLayer acts on that entry right after the call (best effort); the
scanner's lifecycle job checks every entry each cycle (`drain`), so a tier that was down when the
version went is cleaned once it is back.  An entry is acted on only once no version names the
object, seen twice a quarter of a second apart (a read by version id that met a move of the
version in flight could miss it once), so the journal never removes data a live stub needs.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import threading
import time
import uuid
from collections.abc import Callable, Generator
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import orjson

from .errors import (
    BucketNotFound,
    EngineError,
    InvalidRange,
    NoSuchVersion,
    ObjectNotFound,
    VersionIsDeleteMarker,
)
from .iam_records import IAMRecords
from .info import ObjectInfo, TierRef
from .listing import Lister, prefix_end
from .options import ObjectOptions
from .quorum import SKIP, Change, Decision, Fault, SetMeta
from .reader import ObjectReader
from .records import encode_object, object_json
from .tier_client import TierClient, TierTarget, TierUnavailable
from .versions import unread

if TYPE_CHECKING:
    from .api import ObjectLayer
    from .erasure_set import ErasureSet

log = logging.getLogger("cairn.engine.tiers")
KIND = "tier"  # identity record kind of tier configurations
SLOT_NAME = "\x00tiers"  # the journal's home set: no bucket can be named so
JOURNAL = b"T"
MAGIC = b"CTJ\x01"
MIN_PART = 5 << 20
PART_SIZE = max(MIN_PART, int(os.environ.get("CAIRN_TIER_PART_SIZE", str(64 << 20))))
CHUNK = 1 << 20  # a read-through GET's block
RECHECK_SECONDS = 0.25  # longer than a read by version id waits for a move to settle (versions.py)
PUT_GRACE_NS = 3600 * 10**9  # a transition's PUT may take this long before its entry counts as a crash's


class VersionChanged(EngineError):
    """The version to transition is no longer the one read (written over, deleted, moved)."""


def target_of(doc: Any) -> TierTarget:
    """The TierTarget of a stored TierConfig document (madmin's: Type s3 or minio)."""
    kind = str(doc.get("Type", ""))
    section = doc.get("S3" if kind == "s3" else "MinIO") or {}
    return TierTarget(endpoint=section.get("Endpoint", ""), access_key=section.get("AccessKey", ""),
                      secret_key=section.get("SecretKey", ""), bucket=section.get("Bucket", ""),
                      prefix=section.get("Prefix", ""), region=section.get("Region", ""))


class Tiers:
    """The configured tiers (identity records of kind "tier") and their clients."""

    def __init__(self, iam: IAMRecords, deployment_id: str) -> None:
        self.iam = iam
        self.deployment_id = deployment_id

    def names(self) -> list[str]:
        return sorted(self.iam.names(KIND))

    def config(self, name: str) -> Any | None:
        return self.iam.get(KIND, name)

    def client(self, name: str) -> TierClient:
        doc = self.config(name)
        if doc is None:
            raise TierUnavailable(f"remote tier {name!r} is not configured")
        return TierClient(target_of(doc))

    def object_name(self, name: str, bucket: str) -> str:
        """A new remote object name for a version of `bucket` (MinIO's genTransitionObjName shape,
        under the tier's prefix)."""
        prefix = target_of(self.config(name) or {}).prefix.strip("/")
        scope = hashlib.sha256(f"{self.deployment_id}/{bucket}".encode()).hexdigest()[:16]
        u = str(uuid.uuid4())
        return "/".join(p for p in (prefix, scope, u[0:2], u[2:4], u) if p)


# -- reading through ----------------------------------------------------------------------------


class TierReader(ObjectReader):
    """A GET of a transitioned version: the ObjectReader interface over a ranged GET of the
    remote object (nothing of the erasure set's is used)."""

    def __init__(self, tiers: Tiers, bucket: str, key: str, info: ObjectInfo) -> None:
        assert info.tier is not None
        self.tiers = tiers
        self.bucket, self.key, self.info = bucket, key, info
        self.remote = info.tier.key
        self.start, self.length = 0, info.size
        self.cipher = None
        self._conn: Any = None
        self._response: Any = None

    def restrict(self, start: int, length: int) -> None:
        size = self.info.size
        if start < 0 or length < 0 or start + length > size or not (start < size or start == length == 0):
            raise InvalidRange(size)
        self.start, self.length = start, length

    def open(self) -> None:
        """Send the GET (blocking; TierUnavailable when the tier cannot answer it)."""
        if self._response is not None or self.length == 0:
            return
        assert self.info.tier is not None
        try:
            client = self.tiers.client(self.info.tier.name)
            self._conn, self._response = client.get_object(self.remote, self.start, self.length)
        except TierUnavailable as exc:
            log.warning("GET %s/%s: its remote tier failed: %s", self.bucket, self.key, exc)
            raise
        ranged = self.length != self.info.size
        declared = self._response.getheader("Content-Length")
        wrong = declared is not None and int(declared) != self.length
        if (ranged and self._response.status != 206) or wrong:
            self.close()
            raise TierUnavailable(f"tier object {self.remote!r}: the tier answered {declared} bytes for "
                                  f"{self.length} asked")

    def block_count(self) -> int:
        return -(-self.length // CHUNK)

    def blocks(self) -> Generator[memoryview, None, None]:
        try:
            self.open()
            left = self.length
            while left > 0:
                want = min(CHUNK, left)
                try:
                    data = self._response.read(want)
                except Exception as exc:  # a connection cut mid-body: IncompleteRead, OSError, ...
                    raise TierUnavailable(f"tier object {self.remote!r}: {exc}") from None
                if len(data) != want:
                    raise TierUnavailable(f"tier object {self.remote!r} ended {left - len(data)} bytes short")
                left -= want
                yield memoryview(data)
        finally:
            self.close()

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
        self._conn = self._response = None


# -- transition ---------------------------------------------------------------------------------


def commit_stub(eset: ErasureSet, bucket: str, key: str, seen: ObjectInfo, ref: TierRef) -> None:
    """Replace version `seen` by its stub naming `ref`, atomically, if it is still the version
    read (VersionChanged otherwise); then remove its local data."""
    def make(_: Decision) -> Change:
        at, target, info = eset.versions.locate(bucket, key, seen.version_id)
        if (info.version_ts, info.etag, info.data_id, info.tier) != (seen.version_ts, seen.etag, seen.data_id,
                                                                     None):
            raise VersionChanged(f"{bucket}/{key} version {seen.version_id} changed while being transitioned")
        if len(target.holders) < eset.meta.write_quorum:
            raise VersionChanged(f"{bucket}/{key} version {seen.version_id} is not settled on a write quorum")
        stub = object_json(replace(info, data_id=None, tier=ref))
        after = [SKIP if reply is Fault.OFFLINE else encode_object(stub) for reply in target.replies]
        return Change(at, target.replies, after)

    eset.swap(bucket, key, unread, make)
    if seen.data_id is not None:
        eset.remove_data(seen.data_id)


def transition(layer: ObjectLayer, bucket: str, key: str, version: ObjectInfo, tier: str) -> bool:
    """Move one version's data to `tier` and leave a stub; False when skipped (encrypted, already
    transitioned, changed meanwhile).  TierUnavailable when the tier failed (nothing changed)."""
    if version.tier is not None or version.delete_marker:
        return False
    if version.sse is not None:
        log.info("lifecycle: %s/%s version %s not transitioned to %s: encrypted objects stay local",
                 bucket, key, version.version_id, tier)
        return False
    client = layer.tiers.client(tier)
    reader = layer.get_object(bucket, key, ObjectOptions(version_id=version.version_id))
    seen = reader.info
    if seen.tier is not None or seen.etag != version.etag or seen.version_ts != version.version_ts:
        reader.close()
        return False
    ref = TierRef(tier, layer.tiers.object_name(tier, bucket))
    journal = layer.tier_journal
    journal.register(bucket, key, seen, ref, putting=True)  # before any byte is there
    try:
        client.put_object(ref.key, reader.blocks(), seen.size, PART_SIZE)
    except BaseException:
        reader.close()
        with contextlib.suppress(EngineError):
            journal.forget(ref)  # or the scanner's drain finds it later
        raise
    reader.close()
    try:
        layer.commit_transition(bucket, key, seen, ref)
    except BaseException:
        with contextlib.suppress(EngineError):
            client.delete_object(ref.key)
            journal.forget(ref)
        raise
    with contextlib.suppress(EngineError):  # the stub is in: the entry is no longer in flight
        journal.register(bucket, key, seen, ref, putting=False)
    return True


# -- the journal of remote objects --------------------------------------------------------------


def journal_key(ref: TierRef) -> bytes:
    return JOURNAL + ref.name.encode() + b"\x00" + ref.key.encode()


def _same(value: bytes) -> tuple[bytes, int]:
    return value, 0


class TierJournal:
    """Every remote object Cairn put in a tier, with the version that owns it (see the module
    docstring); `names(bucket, key, version_id)` says which TierRef that version names now (None:
    none, or no such version)."""

    def __init__(self, meta: SetMeta, tiers: Tiers, names: Callable[[str, str, str], TierRef | None]) -> None:
        self.meta = meta
        self.tiers = tiers
        self.names = names
        self.recent: list[bytes] = []  # stubs dropped in this process since the last flush
        self._lock = threading.Lock()

    def register(self, bucket: str, key: str, version: ObjectInfo, ref: TierRef, putting: bool) -> None:
        """Record (on a write quorum) that `ref` belongs to this version: `putting` while the
        transition is in flight (before the PUT), then without once the stub is committed."""
        doc: dict[str, Any] = {"b": bucket, "k": key, "v": version.version_id, "s": version.size,
                               "t": time.time_ns()}
        if putting:
            doc["put"] = 1
        self.meta.commit_all([(journal_key(ref), MAGIC + orjson.dumps(doc))])

    def forget(self, ref: TierRef) -> None:
        self.meta.commit_all([(journal_key(ref), None)])

    def dropped(self, ref: TierRef) -> None:
        """A change is dropping a stub naming `ref` (the erasure set's hook): try its remote
        object at the next flush."""
        with self._lock:
            self.recent.append(journal_key(ref))

    def stats(self) -> dict[str, tuple[int, int]]:
        """Per tier: (versions stored there, their bytes), transitions in flight left out."""
        out: dict[str, tuple[int, int]] = {}
        after = JOURNAL
        while page := self._page(after):
            for rkey, doc in page:
                if not doc.get("put"):
                    tier = rkey[1:].partition(b"\x00")[0].decode()
                    count, size = out.get(tier, (0, 0))
                    out[tier] = (count + 1, size + int(doc.get("s", 0)))
            after = page[-1][0] + b"\x00"
        return out

    def _page(self, start: bytes, limit: int = 1000) -> list[tuple[bytes, dict[str, Any]]]:
        lister = Lister([self.meta], start, prefix_end(JOURNAL), identity=_same, first_batch=limit + 1)
        out: list[tuple[bytes, dict[str, Any]]] = []
        while len(out) < limit and (item := lister.next()) is not None:
            rkey, value = item
            if value[:4] == MAGIC:
                out.append((rkey, orjson.loads(value[4:])))
        return out

    def flush(self) -> int:
        """Act on the stubs this process dropped since the last flush (right after a delete)."""
        with self._lock:
            keys, self.recent = self.recent, []
        done = 0
        for rkey in keys:
            decision = self.meta.get(rkey)
            if isinstance(decision.value, bytes) and decision.value[:4] == MAGIC:
                done += self._act(rkey, orjson.loads(decision.value[4:]))
        return done

    def drain(self) -> int:
        """Check every remote object (the scanner, each cycle): delete those no version names any
        more; how many were deleted."""
        done, after = 0, JOURNAL
        while page := self._page(after):
            done += sum(self._act(rkey, doc) for rkey, doc in page)
            after = page[-1][0] + b"\x00"
        return done

    def _act(self, rkey: bytes, doc: dict[str, Any]) -> int:
        tier, _, remote = rkey[1:].decode().partition("\x00")
        if doc.get("put") and time.time_ns() - int(doc.get("t", 0)) < PUT_GRACE_NS:
            return 0  # a transition in flight (its stub not committed yet)
        ref = TierRef(tier, remote)
        for pause in (0.0, RECHECK_SECONDS):  # gone twice, apart: not a move of the version in flight
            time.sleep(pause)
            try:
                if self.names(doc["b"], doc["k"], doc["v"]) == ref:
                    return 0
            except EngineError as exc:  # the version cannot be read now: later
                log.debug("tier journal: %s/%s: %s", doc["b"], doc["k"], exc)
                return 0
        try:
            self.tiers.client(tier).delete_object(remote)
        except TierUnavailable as exc:
            if self.tiers.config(tier) is not None:
                log.warning("tier journal: deleting %s from tier %s failed (retried later): %s", remote, tier,
                            exc)
                return 0
            log.warning("tier journal: tier %s is no longer configured: %s is left there", tier, remote)
        self.forget(ref)
        return 1


def names_of(layer: ObjectLayer) -> Callable[[str, str, str], TierRef | None]:
    """The journal's check: which remote object a version names now."""

    def names(bucket: str, key: str, version_id: str) -> TierRef | None:
        try:
            return layer.head_object(bucket, key, ObjectOptions(version_id=version_id)).tier
        except (ObjectNotFound, NoSuchVersion, VersionIsDeleteMarker, BucketNotFound):
            return None

    return names
