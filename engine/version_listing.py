"""ListObjectVersions straight from the ordered index.

Theory of operation
-------------------
A key's versions are two runs of the index (versions.py): its latest record
`O<bucket>\\0<key>` and its noncurrent ones `V<bucket>\\0<key>\\0<suffix>`,
newest first.  A listing merges a voted Lister (listing.py) over each run into
one stream, keyed in a space where every version of a key sorts together,
latest first:

    latest:      key + b"\\0"
    noncurrent:  key + b"\\0\\1" + suffix

roll_up (listing.py) pages that stream as it pages ListObjects (a name ends
at the first NUL; a delimiter rolls names up and seeks both runs past the
prefix), so a page costs the rows it returns, whatever the bucket holds.
"""

from __future__ import annotations

from collections.abc import Callable

from .info import ListedVersion, VersionsPage
from .listing import Lister, prefix_end, roll_up
from .quorum import SetMeta
from .records import decode_object, object_key, object_prefix, version_suffix, versions_prefix
from .versions import NULL, Versions, check_version_id, stamp_of


class VersionStream:
    """The merged, voted versions of a bucket in [lo, end of prefix), in the merged key space."""

    def __init__(self, sets: list[SetMeta], bucket: str, lo: bytes, prefix: bytes) -> None:
        self.obase, self.vbase = object_prefix(bucket), versions_prefix(bucket)
        name, nul, rest = lo.partition(b"\x00")
        o_lo = self.obase + name + (b"\x00" if rest else b"")
        v_lo = self.vbase + name + nul + rest[1:]
        self.latest = Lister(sets, o_lo, prefix_end(self.obase + prefix))
        self.older = Lister(sets, v_lo, prefix_end(self.vbase + prefix))
        self.heads: list[tuple[bytes, bytes] | None] = [None, None]
        self.taken = [True, True]

    def _head(self, i: int) -> tuple[bytes, bytes] | None:
        if self.taken[i]:
            item = (self.latest if i == 0 else self.older).next()
            if item is not None:
                key, value = item
                if i == 0:
                    item = (key[len(self.obase):] + b"\x00", value)
                else:
                    name, _, suffix = key[len(self.vbase):].partition(b"\x00")
                    item = (name + b"\x00\x01" + suffix, value)
            self.heads[i], self.taken[i] = item, False
        return self.heads[i]

    def next(self) -> tuple[bytes, bytes] | None:
        a, b = self._head(0), self._head(1)
        if a is None and b is None:
            return None
        pick = 0 if b is None or (a is not None and a[0] < b[0]) else 1
        self.taken[pick] = True
        return self.heads[pick]

    def seek(self, key: bytes) -> None:
        """Skip every entry below `key` (a name bound: no NUL in it)."""
        self.latest.seek(self.obase + key)
        self.older.seek(self.vbase + key)
        for i in (0, 1):
            head = self.heads[i]
            if not self.taken[i] and head is not None and head[0] < key:
                self.taken[i] = True


def start_after(versions: Versions, bucket: str, key_marker: str, version_id_marker: str) -> bytes:
    """Where a page starts in the merged space: after every version of key_marker, or after its
    version version_id_marker (`versions`: of the key's set, where a null version is looked up)."""
    name = key_marker.encode()
    if not version_id_marker:
        return name + b"\x01"
    check_version_id(version_id_marker)
    if version_id_marker != NULL:
        return name + b"\x00\x01" + version_suffix(stamp_of(version_id_marker), version_id_marker) + b"\x00"
    found = versions.find(bucket, key_marker, NULL)
    if found is None:
        return name + b"\x01"  # no null version (any more): the key is done
    if found[0] == object_key(bucket, key_marker):
        return name + b"\x00\x00"  # the latest: its noncurrent versions follow
    info = decode_object(found[1].value or b"")
    return name + b"\x00\x01" + version_suffix(info.version_ts, NULL) + b"\x00"


def list_object_versions(sets: list[SetMeta], versions: Callable[[str], Versions], bucket: str,
                         prefix: str = "", delimiter: str = "", key_marker: str = "",
                         version_id_marker: str = "", max_keys: int = 1000) -> VersionsPage:
    page = VersionsPage()
    lo = prefix.encode()
    if key_marker:
        lo = max(lo, start_after(versions(key_marker), bucket, key_marker, version_id_marker))
    if max_keys <= 0:
        return page
    stream = VersionStream(sets, bucket, lo, prefix.encode())
    entries, page.truncated = roll_up(stream, b"", prefix.encode(), delimiter.encode(), key_marker.encode(),
                                      max_keys)
    for entry, value in entries:
        name, _, rest = entry.partition(b"\x00")
        if value is None:
            page.prefixes.append(entry.decode())
            page.next_key_marker, page.next_version_id_marker = entry.decode(), None
            continue
        info = decode_object(value)
        page.versions.append(ListedVersion(name.decode(), info, is_latest=not rest))
        page.next_key_marker, page.next_version_id_marker = name.decode(), info.version_id
    return page
