"""ListObjects straight from the ordered index.

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
from dataclasses import dataclass, field

from .errors import DriveError
from .quorum import Fault, Reply, SetMeta, decide
from .records import ObjectMeta, object_identity, object_prefix, split_object

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

    def __init__(self, meta: SetMeta, drive: int, start: bytes, end: bytes | None) -> None:
        self.meta = meta
        self.drive = drive
        self.pos = start
        self.end = end
        self.rows: deque[tuple[bytes, bytes | None]] = deque()
        self.batch = FIRST_BATCH
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


@dataclass
class ListedObject:
    key: str
    meta: ObjectMeta


@dataclass
class ListPage:
    objects: list[ListedObject] = field(default_factory=list)
    prefixes: list[str] = field(default_factory=list)
    truncated: bool = False
    next_marker: str | None = None  # the last key or prefix returned, when truncated


class Lister:
    """Merged, voted rows of several sets' drives in [start, end): `identity` is what drives must
    agree on for a record (quorum.decide), an object's metadata by default."""

    def __init__(self, sets: list[SetMeta], start: bytes, end: bytes | None,
                 identity: Callable[[bytes], tuple[bytes, int]] = object_identity) -> None:
        self.sets = sets
        self.identity = identity
        self.cursors = [[DriveCursor(s, d, start, end) for d in range(s.size)] for s in sets]

    def next(self) -> tuple[bytes, bytes] | None:
        """The next key whose vote finds a live object, and the winning record."""
        while True:
            heads = [c.peek() for cs in self.cursors for c in cs]
            live = [h for h in heads if h is not None]
            if not live:
                return None
            key = min(live)
            found: bytes | None = None
            for meta, cursors in zip(self.sets, self.cursors, strict=True):
                replies: list[Reply] = []
                hit = False
                for c in cursors:
                    if c.dead:
                        replies.append(Fault.OFFLINE)
                    elif c.peek() == key:
                        hit = True
                        value = c.take()
                        replies.append(Fault.DAMAGED if value is None else value)
                    else:
                        replies.append(None)
                if hit:
                    winner = decide(replies, meta.read_quorum, self.identity).value
                    if winner is not None:
                        found = winner
            if found is not None:
                return key, found

    def seek(self, key: bytes) -> None:
        for cs in self.cursors:
            for c in cs:
                c.seek(key)


def list_objects(
    sets: list[SetMeta],
    bucket: str,
    prefix: str = "",
    delimiter: str = "",
    start_after: str = "",
    max_keys: int = 1000,
) -> ListPage:
    base = object_prefix(bucket)
    lo = base + prefix.encode()
    hi = prefix_end(lo)
    if start_after:
        lo = max(lo, base + start_after.encode() + b"\x00")
    after = start_after.encode()
    delim = delimiter.encode()
    page = ListPage()
    if max_keys <= 0:
        return page
    lister = Lister(sets, lo, hi)
    count = 0
    cut = len(base) + len(prefix.encode())
    while True:
        item = lister.next()
        if item is None:
            return page
        okey, value = item
        name = okey[len(base):]
        common: bytes | None = None
        if delim:
            at = okey.find(delim, cut)
            if at >= 0:
                common = okey[len(base): at + len(delim)]
        if count == max_keys:
            page.truncated = True
            return page
        if common is not None:
            lister.seek(prefix_end(base + common) or b"\xff" * 8)
            if common <= after:
                continue
            page.prefixes.append(common.decode())
            page.next_marker = common.decode()
        else:
            meta = ObjectMeta.from_json(split_object(value)[0])
            page.objects.append(ListedObject(name.decode(), meta))
            page.next_marker = name.decode()
        count += 1
