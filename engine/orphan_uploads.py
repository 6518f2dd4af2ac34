"""Upload and part records as every drive of a set holds them, for the orphan sweep (orphans.py):
which part files they name, and which of them are orphans a minority of drives kept.

Theory of operation
-------------------
An abort or a completion deletes an upload's record and its part records on the drives it
reaches; a drive that was away keeps them (and a part committed on a drive between the abort's
listing of the parts and its swap keeps its record there alone).  Nothing reads them again: a
quorum read says the upload is gone.  `gather` lists the upload (U) and part (P) ranges of every
drive of a set, a page at a time, keeping each drive's upload record and the files the part
records name; `judge` looks again at an upload fewer than a read quorum of drives hold, with a
fresh read of its record and its part records on every drive, and calls them orphans only when

- every drive of the set answered, none with a damaged record (a drive away could hold the
  record and make it live again once back),
- the vote of them all says the upload does not exist (as every client's read does: none can
  use it again, since uploads are never healed onto a drive), and fewer than a read quorum of
  drives hold it (an upload is created on a write quorum; a drive that was away while it was
  created holds nothing of it and is nothing to judge),
- every record held of it is older than the grace period: the upload's initiation and each
  part's commit (an upload being created is on a few drives for a moment).

The sweep removes such records only when two passes agree, by compare-and-swap on the very
value read, so a change made meanwhile wins.  An upload that is not judged an orphan (live, or
too unsure to say) names its part files: a file any drive's part record names is kept.  Files
are never removed here: the data directory, or the part files in it, go with the sweep's rules
for files (a completed upload's directory is the object's, which names its own files).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from .errors import DriveError, ReadQuorumError
from .quorum import Fault, SetMeta, decide, is_tombstone
from .records import decode_part, decode_upload

SCAN_PAGE = 1000


@dataclass
class HeldUpload:
    """What the drives of a set hold of one upload: its record by drive (a damaged one None),
    and the files its part records name on any drive."""

    key: bytes
    records: dict[int, bytes | None] = field(default_factory=dict)  # tombstones left out
    files: set[str] = field(default_factory=set)
    damaged: bool = False  # a part record that cannot be read: its file is unknown

    def data_id(self) -> str | None:
        for value in self.records.values():
            if value is not None:
                try:
                    return decode_upload(value).data_id
                except (ValueError, KeyError):
                    continue
        return None

    def part_files(self) -> set[str] | None:
        """The files the part records name; None when one cannot be read."""
        return None if self.damaged else self.files

    def part_prefix(self) -> bytes:
        return b"P" + self.key[1:] + b"\x00"  # records.part_prefix


def upload_of(part_key: bytes) -> bytes:
    """The upload key of a part key (records.part_key: b"P" + the upload key's rest + NUL + u16)."""
    return b"U" + part_key[1:-3]


def _pages(meta: SetMeta, drive: int, start: bytes, end: bytes) -> Iterator[list[tuple[bytes, bytes | None]]]:
    """One drive's rows in [start, end), a page at a time; DriveError when unreachable."""
    after = start
    while True:
        page = meta.scan(drive, after, end, SCAN_PAGE)
        yield page
        if len(page) < SCAN_PAGE:
            return
        after = page[-1][0] + b"\x00"


def gather(meta: SetMeta) -> tuple[dict[bytes, HeldUpload], bool]:
    """Every upload any drive of the set holds a record or a part record of; and whether every
    drive could be listed (if not, what the others hold is not all there is)."""
    held: dict[bytes, HeldUpload] = {}
    complete = True
    for drive in range(meta.size):
        try:
            for page in _pages(meta, drive, b"U", b"V"):
                for key, value in page:
                    if value is None or not is_tombstone(value):
                        held.setdefault(key, HeldUpload(key)).records[drive] = value
            for page in _pages(meta, drive, b"P", b"Q"):
                for key, value in page:
                    upload = held.setdefault(upload_of(key), HeldUpload(upload_of(key)))
                    file = _part_file(value)
                    if file is None:
                        upload.damaged = True
                    else:
                        upload.files.add(file)
        except DriveError:
            complete = False
    return held, complete


def _part_file(value: bytes | None) -> str | None:
    try:
        return None if value is None else decode_part(value).file
    except (ValueError, KeyError):
        return None


def _dated_ns(value: bytes | None, part: bool) -> int | None:
    if value is None:
        return None
    try:
        return decode_part(value).mtime_ns if part else decode_upload(value).initiated_ns
    except (ValueError, KeyError):
        return None


def judge(meta: SetMeta, upload: HeldUpload, cutoff_ns: int) -> dict[int, list[tuple[bytes, bytes]]] | None:
    """The records of `upload` that are orphans (see the module docstring), by drive: (key, value
    as read now); None when the upload is not one (live, young, or not certain)."""
    if sum(1 for v in upload.records.values() if v is not None) >= meta.read_quorum:
        return None  # a quorum holds it: live (or being aborted, which removes it anyway)
    replies = meta.read(upload.key)
    if any(isinstance(r, Fault) for r in replies):
        return None
    try:
        decision = decide(replies, meta.read_quorum)
    except ReadQuorumError:
        return None
    holders = {i: r for i, r in enumerate(replies) if isinstance(r, bytes) and not is_tombstone(r)}
    if decision.value is not None or len(holders) >= meta.read_quorum:
        return None
    orphans: dict[int, list[tuple[bytes, bytes]]] = {}
    for drive, value in holders.items():
        dated = _dated_ns(value, part=False)
        if dated is None or dated >= cutoff_ns:
            return None
        orphans.setdefault(drive, []).append((upload.key, value))
    prefix = upload.part_prefix()
    for drive in range(meta.size):
        try:
            rows = [row for page in _pages(meta, drive, prefix, prefix[:-1] + b"\x01") for row in page]
        except DriveError:
            return None
        for key, part in rows:
            dated = _dated_ns(part, part=True)
            if part is None or dated is None or dated >= cutoff_ns:
                return None  # damaged (not ours to judge), or young
            orphans.setdefault(drive, []).append((key, part))
    return orphans


def remove(meta: SetMeta, drive: int, records: list[tuple[bytes, bytes]]) -> bool:
    """Delete `records` from one drive, in one transaction, if each still holds the value read."""
    ops: list[tuple[bytes, bytes | None]] = [(k, None) for k, _ in records]
    expect: list[list[tuple[bytes, bytes | None]] | None] = [None] * meta.size
    expect[drive] = list(records)
    batches = [ops if i == drive else [] for i in range(meta.size)]
    return meta.submit_each(expect, batches).get(drive, False)
