"""Conditional writes and deletes decided atomically with the commit, across layers that share the
drives (as worker processes do: each has its own locks, so only the metadata compare-and-swap
keeps them apart); multipart parts and completions racing."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from cairn.engine import multipart_rules
from cairn.engine.api import CompletePart, ObjectLayer, ObjectOptions, VersioningConfig
from cairn.engine.errors import NoSuchUpload, ObjectNotFound, PreconditionFailed

from .helpers import data_path, read

WRITERS = 16
BLOCK = 64 << 10


@pytest.fixture(params=[1, 4], ids=["1drive", "4drives"])
def layers(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[list[ObjectLayer]]:
    """Two layers over the same drives, as two workers: a bucket "bkt" exists."""
    paths = [str(tmp_path / f"d{i}") for i in range(request.param)]
    first = ObjectLayer.open(paths, block_size=BLOCK, inline_max=4096)
    second = ObjectLayer.open(paths, block_size=BLOCK, inline_max=4096, sweep=False)
    first.create_bucket("bkt")
    yield [first, second]
    first.close()
    second.close()


def race(layers: list[ObjectLayer], attempt: Callable[[ObjectLayer, int], object]) -> list[object]:
    """WRITERS attempts at once, alternating between the layers; each one's result or exception."""
    barrier = threading.Barrier(WRITERS)

    def one(i: int) -> object:
        barrier.wait()
        try:
            return attempt(layers[i % 2], i)
        except Exception as exc:
            return exc

    with ThreadPoolExecutor(WRITERS) as pool:
        return list(pool.map(one, range(WRITERS)))


def body(i: int) -> bytes:
    return f"writer {i} ".encode() * (100 + 700 * (i % 3))  # inline and shard-file objects


def winners(outcomes: list[object]) -> list[int]:
    return [i for i, o in enumerate(outcomes) if not isinstance(o, Exception)]


def test_racing_creates_only_one_wins(layers: list[ObjectLayer]) -> None:
    outcomes = race(layers, lambda layer, i: layer.put_object("bkt", "k", body(i),
                                                              ObjectOptions(if_none_match=True)))
    (won,) = winners(outcomes)
    assert all(isinstance(o, PreconditionFailed) for i, o in enumerate(outcomes) if i != won)
    assert read(layers[1], "bkt", "k") == body(won)


def test_racing_updates_of_one_version_only_one_wins(layers: list[ObjectLayer]) -> None:
    etag = layers[0].put_object("bkt", "k", b"first").etag
    outcomes = race(layers, lambda layer, i: layer.put_object("bkt", "k", body(i),
                                                              ObjectOptions(if_match=etag)))
    (won,) = winners(outcomes)
    assert all(isinstance(o, PreconditionFailed) for i, o in enumerate(outcomes) if i != won)
    assert read(layers[0], "bkt", "k") == body(won)


def test_racing_conditional_deletes_only_one_deletes(layers: list[ObjectLayer]) -> None:
    etag = layers[0].put_object("bkt", "k", body(1)).etag
    outcomes = race(layers, lambda layer, i: layer.delete_object("bkt", "k", ObjectOptions(if_match=etag)))
    (won,) = winners(outcomes)
    assert outcomes[won].existed  # type: ignore[attr-defined]
    assert all(isinstance(o, ObjectNotFound) for i, o in enumerate(outcomes) if i != won)
    with pytest.raises(ObjectNotFound):
        layers[1].head_object("bkt", "k")


def test_unconditional_writers_all_land_one_after_the_other(layers: list[ObjectLayer]) -> None:
    """Every unconditional write succeeds (the last to commit wins) and the object reads back whole:
    no writer's data is removed under a version that is still current."""
    outcomes = race(layers, lambda layer, i: layer.put_object("bkt", "k", body(i)))
    assert winners(outcomes) == list(range(WRITERS))
    assert read(layers[0], "bkt", "k") in {body(i) for i in range(WRITERS)}
    assert read(layers[1], "bkt", "k") == read(layers[0], "bkt", "k")


def test_conditional_delete_refusals(layers: list[ObjectLayer]) -> None:
    layer = layers[0]
    with pytest.raises(ObjectNotFound):
        layer.delete_object("bkt", "missing", ObjectOptions(if_match="*"))
    etag = layer.put_object("bkt", "k", b"data").etag
    with pytest.raises(PreconditionFailed):
        layer.delete_object("bkt", "k", ObjectOptions(if_match="0" * 32))
    assert read(layer, "bkt", "k") == b"data"
    assert layer.delete_object("bkt", "k", ObjectOptions(if_match=f'"{etag}"')).existed
    assert layer.put_object("bkt", "k", b"again").etag
    assert layer.delete_object("bkt", "k", ObjectOptions(if_match="*")).existed
    assert not layer.delete_object("bkt", "k").existed  # an unconditional delete of nothing is fine


def test_the_last_part_to_finish_wins(layers: list[ObjectLayer], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(multipart_rules, "MIN_PART_SIZE", 1)
    upload = layers[0].create_multipart_upload("bkt", "mp")
    outcomes = race(layers, lambda layer, i: layer.upload_part("bkt", "mp", upload.upload_id, 1, body(i)))
    assert winners(outcomes) == list(range(WRITERS))
    (kept,) = layers[1].list_parts("bkt", "mp", upload.upload_id).parts
    last = next(i for i, o in enumerate(outcomes) if o.etag == kept.etag)  # type: ignore[attr-defined]
    info = layers[1].complete_multipart_upload("bkt", "mp", upload.upload_id, [CompletePart(1, kept.etag)])
    assert read(layers[0], "bkt", "mp") == body(last)
    for drive in layers[0].drives:  # the parts that lost were removed
        assert os.listdir(data_path(drive, upload.data_id)) == [info.parts[0].file]


def test_complete_and_abort_racing_lose_nothing(layers: list[ObjectLayer],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """One of them wins; if the Complete did, the object reads back whole."""
    monkeypatch.setattr(multipart_rules, "MIN_PART_SIZE", 1)
    for round_ in range(8):
        key = f"mp{round_}"
        upload = layers[0].create_multipart_upload("bkt", key)
        part = layers[0].upload_part("bkt", key, upload.upload_id, 1, body(round_))
        outcomes = race(layers[:2], lambda layer, i, upload=upload, part=part, key=key: (
            layer.complete_multipart_upload("bkt", key, upload.upload_id, [CompletePart(1, part.etag)])
            if i % 2 else layer.abort_multipart_upload("bkt", key, upload.upload_id)))
        completed = [o for i, o in enumerate(outcomes) if i % 2 and not isinstance(o, Exception)]
        aborted = [o for i, o in enumerate(outcomes) if not i % 2 and not isinstance(o, Exception)]
        assert all(isinstance(o, NoSuchUpload) for o in outcomes if isinstance(o, Exception)), [
            repr(o) for o in outcomes if isinstance(o, Exception) and not isinstance(o, NoSuchUpload)]
        assert bool(completed) != bool(aborted)  # exactly one side won
        if completed:
            assert read(layers[1], "bkt", key) == body(round_)
        else:
            with pytest.raises(ObjectNotFound):
                layers[1].head_object("bkt", key)


def test_completed_uploads_are_forgotten_with_stale_uploads(layers: list[ObjectLayer],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(multipart_rules, "MIN_PART_SIZE", 1)
    layer = layers[0]
    upload = layer.create_multipart_upload("bkt", "mp")
    listed = [CompletePart(1, layer.upload_part("bkt", "mp", upload.upload_id, 1, b"x").etag)]
    done = layer.complete_multipart_upload("bkt", "mp", upload.upload_id, listed)
    assert layer.abort_stale_uploads(3600) == 0
    assert layer.complete_multipart_upload("bkt", "mp", upload.upload_id, listed).etag == done.etag
    assert layer.abort_stale_uploads(0) == 0  # older than now: the completion is forgotten
    with pytest.raises(NoSuchUpload):
        layer.complete_multipart_upload("bkt", "mp", upload.upload_id, listed)
    assert read(layer, "bkt", "mp") == b"x"


def test_a_write_right_after_a_delete_takes_the_tombstone_or_its_removal(layers, monkeypatch) -> None:
    """A delete leaves tombstones, removed lazily with the next commit: a write made from a
    tombstone it read finds the record gone instead, and must win all the same, at once."""
    from cairn.engine import metastore
    from cairn.engine.quorum import SetMeta

    monkeypatch.setattr(metastore, "LAZY_SECONDS", 30.0)  # the removal waits for the next write
    first, second = layers  # one layer deletes and writes: its drives' queues keep the order
    first.put_object("bkt", "k", [b"old"], ObjectOptions(size=3))
    assert first.delete_object("bkt", "k")
    rounds = []
    real_change = SetMeta.change

    def counted(self, change, lazy_collapse=False):  # type: ignore[no-untyped-def]
        won = real_change(self, change, lazy_collapse)
        rounds.append(won)
        return won

    monkeypatch.setattr(SetMeta, "change", counted)
    first.put_object("bkt", "k", [b"new"], ObjectOptions(size=3, if_none_match=True))
    assert rounds == [True]  # no round lost to the tombstone's removal, committed just before it
    assert read(second, "bkt", "k") == b"new"


def test_a_version_moving_between_latest_and_noncurrent_is_always_found(layers: list[ObjectLayer]) -> None:
    # One worker keeps writing a version over the key and deleting it again by id, so the version
    # before it moves to its noncurrent record and back to the latest, again and again; another
    # worker reads that version by id and finally deletes it: it must find it every time.
    a, b = layers
    a.put_bucket_config("bkt", VersioningConfig("Enabled"))
    base = a.put_object("bkt", "k", b"base").version_id
    stop = threading.Event()
    rounds = [0]

    def churn() -> None:
        while not stop.is_set():
            new = a.put_object("bkt", "k", b"new").version_id
            a.delete_object("bkt", "k", ObjectOptions(version_id=new))
            rounds[0] += 1

    with ThreadPoolExecutor(1) as pool:
        churning = pool.submit(churn)
        try:
            reads = 0
            while rounds[0] < 40 and reads < 20_000:  # every read of the 40 moves back and forth
                assert b.head_object("bkt", "k", ObjectOptions(version_id=base)).size == 4
                reads += 1
        finally:
            stop.set()
        churning.result()
    assert rounds[0] >= 40
    done = b.delete_object("bkt", "k", ObjectOptions(version_id=base))
    assert done.existed and done.version_id == base
    assert a.list_object_versions("bkt").versions == []
