"""quorum.decide with a RecordIdentity: replicas that differ only in their inline shard frames
vote as one without their metadata being parsed; ages are parsed only to break a tie."""

from __future__ import annotations

import orjson
import pytest

from cairn.engine.errors import ReadQuorumError
from cairn.engine.quorum import Fault, RecordIdentity, decide
from cairn.engine.records import encode_object, object_age, object_identity, object_meta


def record(mtime: int, frame: bytes, etag: str = "e") -> bytes:
    return encode_object(orjson.dumps({"mtime": mtime, "etag": etag}), frame)


class CountingAge:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, value: bytes) -> int:
        self.calls += 1
        return object_age(value)


def test_replicas_differing_in_frames_agree_without_parsing_their_metadata() -> None:
    age = CountingAge()
    replies = [record(5, bytes([i]) * 8) for i in range(4)]
    d = decide(replies, 2, RecordIdentity(object_meta, age))
    assert d.value == replies[0] and d.holders == [0, 1, 2, 3] and not d.stale and not d.faulty
    assert age.calls == 0


def test_a_tie_of_two_quorate_versions_goes_to_the_newer() -> None:
    age = CountingAge()
    old, new = record(5, b"a", "old"), record(9, b"b", "new")
    replies = [old, new, record(5, b"c", "old"), record(9, b"d", "new")]
    d = decide(replies, 2, RecordIdentity(object_meta, age))
    assert d.holders == [1, 3] and d.stale == [0, 2] and d.value == new
    assert age.calls == 2  # one per quorate version, not one per replica


def test_a_minority_version_is_stale_and_never_parsed() -> None:
    age = CountingAge()
    good = [record(5, bytes([i])) for i in range(3)]
    d = decide([*good, record(7, b"x", "other")], 2, RecordIdentity(object_meta, age))
    assert d.holders == [0, 1, 2] and d.stale == [3] and age.calls == 0


def test_a_quorate_version_whose_age_cannot_be_read_counts_as_damaged() -> None:
    broken = encode_object(b'{"etag": "no mtime"}', b"a"), encode_object(b'{"etag": "no mtime"}', b"b")

    def age(value: bytes) -> int:
        try:
            return object_age(value)
        except KeyError:
            raise ValueError("no mtime") from None

    good = record(5, b"c"), record(5, b"d")
    d = decide([*broken, *good], 2, RecordIdentity(object_meta, age))
    assert d.holders == [2, 3] and d.faulty == [0, 1]


def test_the_split_identity_decides_as_the_whole_one_did() -> None:
    """object_identity is a RecordIdentity; called whole it still gives (metadata, mtime)."""
    value = record(42, b"frame")
    assert object_identity(value) == (object_meta(value), 42)
    replies: list[bytes | Fault | None] = [value, Fault.OFFLINE, None, record(42, b"other frame")]
    d = decide(replies, 2, object_identity)
    assert d.holders == [0, 3] and d.faulty == [1] and d.stale == [2]
    with pytest.raises(ReadQuorumError):
        decide([value, Fault.OFFLINE, None, Fault.DAMAGED], 2, object_identity)
