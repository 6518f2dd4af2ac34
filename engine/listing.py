"""ListObjects and ListMultipartUploads straight from the ordered index (ListObjectVersions:
version_listing.py).

Theory of operation
-------------------
A listing merges, in key order, a cursor per drive of every erasure set over
the bucket's key range.  For each key, the drives of its set vote exactly as
a GET would (quorum.decide), so a stale or damaged replica never shows.  With
a delimiter, a key that rolls up into a common prefix makes every cursor seek
just past that prefix: the keys under it are never read, so a listing of a
thousand "directories" costs a few rows each, not a scan of the bucket.
Cursors fetch small batches after each seek and double them while reading
on, so both deep and wide listings stay cheap.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import Protocol

from .errors import DriveError, ReadQuorumError
from .info import ListPage, UploadsPage
from .quorum import Fault, Reply, SetMeta, decide
from .records import (
    decode_completion,
    decode_upload,
    is_delete_marker,
    listed_object,
    object_identity,
    object_prefix,
    upload_prefix,
)

FIRST_BATCH = 2
MAX_BATCH = 1024


def prefix_end(prefix: bytes) -> bytes | None:
    """The smallest key above every key that starts with `prefix` (None: no bound)."""
    stripped = prefix.rstrip(b"\xff")
    if not stripped:
        return None
    return stripped[:-1] + bytes([stripped[-1] + 1])


class DriveCursor:
    """Rows of one drive in [pos, end), fetched in growing batches."""

    def __init__(self, meta: SetMeta, drive: int, start: bytes, end: bytes | None,
                 first_batch: int = FIRST_BATCH) -> None:
        self.meta = meta
        self.drive = drive
        self.pos = start
        self.end = end
        self.rows: deque[tuple[bytes, bytes | None]] = deque()
        self.batch = first_batch
        self.exhausted = False
        self.dead = False

    def peek(self) -> bytes | None:
        if not self.rows and not self.exhausted and not self.dead:
            self._refill()
        return self.rows[0][0] if self.rows else None

    def _refill(self) -> None:
        try:
            rows = self.meta.scan(self.drive, self.pos, self.end, self.batch)
        except DriveError:
            self.dead = True
            return
        self.rows.extend(rows)
        if len(rows) < self.batch:
            self.exhausted = True
        if rows:
            self.pos = rows[-1][0] + b"\x00"
        self.batch = min(self.batch * 2, MAX_BATCH)

    def take(self) -> bytes | None:
        return self.rows.popleft()[1]

    def seek(self, key: bytes) -> None:
        """Skip every row below `key`."""
        while self.rows and self.rows[0][0] < key:
            self.rows.popleft()
        if not self.rows and not self.exhausted and self.pos < key:
            self.pos = key
            self.batch = FIRST_BATCH


class Lister:
    """Merged, voted rows of several sets' drives in [start, end): `identity` is what drives must
    agree on for a record (quorum.decide), an object's metadata by default."""

    def __init__(self, sets: list[SetMeta], start: bytes, end: bytes | None,
                 identity: Callable[[bytes], tuple[bytes, int]] = object_identity,
                 keep: Callable[[bytes], bool] | None = None, first_batch: int = FIRST_BATCH) -> None:
        """`first_batch`: the rows each cursor reads first, when the caller knows how many it wants."""
        self.sets = sets
        self.identity = identity
        self.keep = keep  # records to return (None: all); the others are passed over
        first_batch = max(FIRST_BATCH, min(first_batch, MAX_BATCH))
        self.cursors = [[DriveCursor(s, d, start, end, first_batch) for d in range(s.size)] for s in sets]
        self.groups = list(zip(sets, self.cursors, strict=True))

    def next(self) -> tuple[bytes, bytes] | None:
        """The next key whose vote finds a live object, and the winning record.  ReadQuorumError
        when a set has fewer drives to list from than its read quorum: what the others hold is
        not the listing.  (Plain loops: this runs once per key listed.)"""
        groups = self.groups
        keep = self.keep
        while True:
            key: bytes | None = None
            for meta, cursors in groups:
                alive = 0
                for c in cursors:
                    head = c.rows[0][0] if c.rows else c.peek()
                    if not c.dead:
                        alive += 1
                    if head is not None and (key is None or head < key):
                        key = head
                if alive < meta.read_quorum:
                    raise ReadQuorumError(f"{alive} drives of a set to list from, {meta.read_quorum} needed")
            if key is None:
                return None
            found = None
            for meta, cursors in groups:
                winner = self._vote(meta, cursors, key)
                if winner is not None and (keep is None or keep(winner)):
                    found = winner
            if found is not None:
                return key, found

    def _vote(self, meta: SetMeta, cursors: list[DriveCursor], key: bytes) -> bytes | None:
        """Take `key` off the set's cursors that are at it; the record its drives agree on."""
        replies: list[Reply] = []
        hit = False
        for c in cursors:
            if c.dead:
                replies.append(Fault.OFFLINE)
            elif (c.rows[0][0] if c.rows else c.peek()) == key:
                hit = True
                value = c.take()
                replies.append(Fault.DAMAGED if value is None else value)
            else:
                replies.append(None)
        return decide(replies, meta.read_quorum, self.identity).value if hit else None

    def seek(self, key: bytes) -> None:
        for cs in self.cursors:
            for c in cs:
                c.seek(key)


class Stream(Protocol):
    """What roll_up pages: (key, record) in key order, and a way to skip ahead."""

    def next(self) -> tuple[bytes, bytes] | None: ...

    def seek(self, key: bytes) -> None: ...


def roll_up(lister: Stream, base: bytes, prefix: bytes, delimiter: bytes, after: bytes, limit: int
            ) -> tuple[list[tuple[bytes, bytes | None]], bool]:
    """One page of a listing under `base`: (name, record) per entry, (common prefix, None) per
    prefix a delimiter rolls keys up into, at most `limit` of them; and whether more follow.

    A name is what follows `base` up to a NUL (an upload's key, without its upload id).  A rolled
    up prefix makes every cursor seek past it, so the keys under it are never read; one at or
    below `after` (the marker) was returned by an earlier page and is skipped."""
    out: list[tuple[bytes, bytes | None]] = []
    cut = len(base) + len(prefix)
    while (item := lister.next()) is not None:
        key, value = item
        common: bytes | None = None
        if delimiter:
            end = key.find(b"\x00", len(base))
            at = key.find(delimiter, cut, len(key) if end < 0 else end)
            if at >= 0:
                common = key[len(base): at + len(delimiter)]
        if len(out) == limit:
            return out, True
        if common is None:
            out.append((key[len(base):], value))
            continue
        lister.seek(prefix_end(base + common) or b"\xff" * 8)
        if common > after:
            out.append((common, None))
    return out, False


def list_objects(sets: list[SetMeta], bucket: str, prefix: str = "", delimiter: str = "",
                 start_after: str = "", max_keys: int = 1000) -> ListPage:
    base = object_prefix(bucket)
    lo = base + prefix.encode()
    if start_after:
        lo = max(lo, base + start_after.encode() + b"\x00")
    page = ListPage()
    if max_keys <= 0:
        return page
    # Without a delimiter a page is `max_keys` rows in a row (and one more to say it is truncated):
    # read them in one go rather than in batches doubling from two.
    lister = Lister(sets, lo, prefix_end(base + prefix.encode()), keep=lambda v: not is_delete_marker(v),
                    first_batch=FIRST_BATCH if delimiter else max_keys + 1)
    entries, page.truncated = roll_up(lister, base, prefix.encode(), delimiter.encode(), start_after.encode(),
                                      max_keys)
    for name, value in entries:
        if value is None:
            page.prefixes.append(name.decode())
        else:
            page.objects.append(listed_object(name.decode(), value))
        page.next_marker = name.decode()
    return page


def list_uploads(metas: list[SetMeta], bucket: str, prefix: str = "", delimiter: str = "",
                 key_marker: str = "", upload_id_marker: str = "", max_uploads: int = 1000) -> UploadsPage:
    """ListMultipartUploads: by key, then initiation; common prefixes count toward the page."""
    base = upload_prefix(bucket)
    lo = base + prefix.encode()
    if key_marker:
        after = (key_marker.encode() + b"\x00" + upload_id_marker.encode() + b"\x00" if upload_id_marker
                 else key_marker.encode() + b"\x01")  # every upload of key_marker itself sorts below
        lo = max(lo, base + after)
    page = UploadsPage()
    if max_uploads <= 0:
        return page
    lister = Lister(metas, lo, prefix_end(base + prefix.encode()), identity=lambda v: (v, 0))
    entries, page.truncated = roll_up(lister, base, prefix.encode(), delimiter.encode(), key_marker.encode(),
                                      max_uploads)
    for entry, value in entries:
        name, _, upload_id = entry.partition(b"\x00")
        if value is None:
            page.prefixes.append(name.decode())
            page.next_key, page.next_upload_id = name.decode(), None
        else:
            page.uploads.append((name.decode(), decode_upload(value)))
            page.next_key, page.next_upload_id = name.decode(), upload_id.decode()
    return page


def stale_uploads(meta: SetMeta, cutoff_ns: int, limit: int = 10_000) -> list[tuple[str, str, str]]:
    """(bucket, key, upload id) of uploads initiated before `cutoff_ns`, as a quorum sees them."""
    return _older(meta, b"U", lambda v: decode_upload(v).initiated_ns, cutoff_ns, limit)


def stale_completions(meta: SetMeta, cutoff_ns: int, limit: int = 10_000) -> list[tuple[str, str, str]]:
    """(bucket, key, upload id) of completed uploads kept since before `cutoff_ns`."""
    return _older(meta, b"C", lambda v: decode_completion(v)[2], cutoff_ns, limit)


def _older(meta: SetMeta, kind: bytes, when: Callable[[bytes], int], cutoff_ns: int, limit: int
           ) -> list[tuple[str, str, str]]:
    """(bucket, key, upload id) of the records of one kind (b"U", b"C") dated before `cutoff_ns`."""
    out: list[tuple[str, str, str]] = []
    lister = Lister([meta], kind, prefix_end(kind), identity=lambda v: (v, 0))
    while (item := lister.next()) is not None and len(out) < limit:
        record_key, value = item
        try:
            dated = when(value)
        except (ValueError, KeyError):
            continue
        if dated < cutoff_ns:
            bucket, key, upload_id = record_key[1:].split(b"\x00")
            out.append((bucket.decode(), key.decode(), upload_id.decode()))
    return out
