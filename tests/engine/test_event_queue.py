"""The event queue of bucket notifications: order, batches, removal, counting, durability across
a reopen of the engine, and drives that fail."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from cairn.engine.api import ObjectLayer
from cairn.engine.errors import WriteQuorumError
from cairn.engine.event_queue import key_stamp, stamp_key, target_prefix

from .faulty import FaultyDrive

MakeLayer = Callable[..., ObjectLayer]


def payloads(rows: list[tuple[bytes, bytes]]) -> list[bytes]:
    return [p for _, p in rows]


def test_events_come_out_per_target_in_the_order_queued(make_layer: MakeLayer) -> None:
    layer = make_layer()
    q = layer.events
    q.append([("1:webhook", b"a"), ("2:webhook", b"x")])
    q.append([("1:webhook", b"b"), ("1:webhook", b"c")])
    assert payloads(q.batch("1:webhook", 10)) == [b"a", b"b", b"c"]
    assert payloads(q.batch("2:webhook", 10)) == [b"x"]
    assert payloads(q.batch("1:webhook", 2)) == [b"a", b"b"]
    first = q.batch("1:webhook", 1)[0][0]
    assert payloads(q.batch("1:webhook", 10, after=first)) == [b"b", b"c"]
    assert q.count("1:webhook", 100) == 3 and q.count("1:webhook", 2) == 2
    assert sorted(q.targets()) == ["1:webhook", "2:webhook"]
    assert q.batch("3:webhook", 10) == []


def test_removed_events_are_gone_and_the_rest_keep_their_order(make_layer: MakeLayer) -> None:
    q = make_layer().events
    keys = q.append([("t:webhook", bytes([i])) for i in range(20)])
    assert keys == sorted(keys) and len(set(keys)) == 20
    q.remove(keys[:5] + keys[10:12])
    assert payloads(q.batch("t:webhook", 100)) == [bytes([i]) for i in [*range(5, 10), *range(12, 20)]]
    q.remove(keys)
    assert q.batch("t:webhook", 100) == [] and q.targets() == []


def test_upto_bounds_a_batch_by_time(make_layer: MakeLayer) -> None:
    q = make_layer().events
    (early,) = q.append([("t:webhook", b"early")])
    (late,) = q.append([("t:webhook", b"late")])
    assert key_stamp(early) <= key_stamp(late)
    assert payloads(q.batch("t:webhook", 10, upto=late)) == [b"early"]
    assert payloads(q.batch("t:webhook", 10, upto=stamp_key("t:webhook", key_stamp(early)))) == []
    assert payloads(q.batch("t:webhook", 10, upto=stamp_key("t:webhook", key_stamp(late) + 1))) == [
        b"early", b"late"]


def test_events_survive_closing_and_reopening_the_engine(tmp_path: Path) -> None:
    paths = [str(tmp_path / f"d{i}") for i in range(4)]
    with ObjectLayer.open(paths) as layer:
        layer.events.append([("1:webhook", f"e{i}".encode()) for i in range(50)])
        layer.events.remove([k for k, _ in layer.events.batch("1:webhook", 10)])
    with ObjectLayer.open(paths) as layer:
        assert payloads(layer.events.batch("1:webhook", 100)) == [f"e{i}".encode() for i in range(10, 50)]
        (key,) = layer.events.append([("1:webhook", b"after")])  # new keys sort after the old ones
        assert layer.events.batch("1:webhook", 100)[-1] == (key, b"after")


def test_a_queue_record_is_no_bucket_and_no_object(make_layer: MakeLayer) -> None:
    layer = make_layer()
    layer.events.append([("1:webhook", b"x")])
    assert layer.list_buckets()[0] == []
    layer.create_bucket("bkt")
    assert [b.name for b in layer.list_buckets()[0]] == ["bkt"]
    assert layer.list_objects("bkt").objects == []


def test_a_drive_down_loses_nothing_and_too_many_refuse_the_append(tmp_path: Path) -> None:
    paths = [str(tmp_path / f"d{i}") for i in range(4)]
    layer = ObjectLayer.open(paths, storage=FaultyDrive)
    try:
        drives = [d for d in layer.drives if isinstance(d, FaultyDrive)]
        drives[0].go_offline()
        layer.events.append([("1:webhook", b"one drive down")])
        assert payloads(layer.events.batch("1:webhook", 10)) == [b"one drive down"]
        drives[0].clear()
        assert payloads(layer.events.batch("1:webhook", 10)) == [b"one drive down"]  # outvoted: absent there
        for d in drives[:2]:
            d.go_offline()
        with pytest.raises(WriteQuorumError):  # 2+2: a write quorum is 3 drives
            layer.events.append([("1:webhook", b"refused")])
    finally:
        layer.close()


def test_bad_target_names_are_refused() -> None:
    for bad in ("", "a\x00b"):
        with pytest.raises(ValueError):
            target_prefix(bad)
