"""Versioning in the engine: versions, delete markers, the null version, ListObjectVersions,
tags, retention and legal hold, as S3 behaves (see engine/versions.py)."""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable

import pytest

from cairn.engine.api import (
    CompletePart,
    ObjectLayer,
    ObjectLockConfig,
    ObjectOptions,
    VersioningConfig,
)
from cairn.engine.errors import (
    BucketNotEmpty,
    InvalidBucketState,
    InvalidVersionId,
    LockNotEnabled,
    NoSuchVersion,
    ObjectLocked,
    ObjectNotFound,
    VersionIsDeleteMarker,
)
from cairn.engine.localdrive import LocalDrive

from .faulty import FaultyDrive
from .helpers import data_path

MakeLayer = Callable[..., ObjectLayer]
BIG = 300_000  # above the inline limit: shard files
B = "bkt"


def versions_of(layer: ObjectLayer, key: str | None = None) -> list[tuple[str, str, bool, bool]]:
    """(key, version id, delete marker, latest) of every version, as ListObjectVersions gives them."""
    page = layer.list_object_versions(B, max_keys=10_000)
    return [(v.key, v.info.version_id, v.info.delete_marker, v.is_latest) for v in page.versions
            if key is None or v.key == key]


def get(layer: ObjectLayer, key: str, version_id: str | None = None) -> bytes:
    return layer.get_object(B, key, ObjectOptions(version_id=version_id)).read_all()


def versioned(make_layer: MakeLayer, drives: int, status: str = "Enabled") -> ObjectLayer:
    layer = make_layer(drives)
    layer.create_bucket(B)
    layer.put_bucket_config(B, VersioningConfig(status))
    return layer


@pytest.mark.parametrize("drives", [1, 4])
@pytest.mark.parametrize("size", [10, BIG])
def test_each_put_is_a_version_readable_by_id(make_layer: MakeLayer, drives: int, size: int) -> None:
    layer = versioned(make_layer, drives)
    bodies = [os.urandom(size) for _ in range(3)]
    ids = [layer.put_object(B, "k", body).version_id for body in bodies]
    assert len(set(ids)) == 3 and "null" not in ids
    assert get(layer, "k") == bodies[-1]
    for vid, body in zip(ids, bodies, strict=True):
        assert get(layer, "k", vid) == body
        assert layer.head_object(B, "k", ObjectOptions(version_id=vid)).size == size
    assert versions_of(layer) == [("k", ids[2], False, True), ("k", ids[1], False, False),
                                  ("k", ids[0], False, False)]
    assert [o.key for o in layer.list_objects(B).objects] == ["k"]


@pytest.mark.parametrize("drives", [1, 4])
def test_delete_marker_hides_and_deleting_it_restores(make_layer: MakeLayer, drives: int) -> None:
    layer = versioned(make_layer, drives)
    v1 = layer.put_object(B, "k", b"one").version_id
    marker = layer.delete_object(B, "k")
    assert marker.delete_marker and marker.version_id not in ("null", v1)
    with pytest.raises(ObjectNotFound) as missing:
        layer.head_object(B, "k")
    assert missing.value.marker is not None and missing.value.marker.version_id == marker.version_id
    with pytest.raises(VersionIsDeleteMarker):
        layer.get_object(B, "k", ObjectOptions(version_id=marker.version_id))
    assert layer.list_objects(B).objects == []
    assert versions_of(layer) == [("k", marker.version_id, True, True), ("k", v1, False, False)]
    again = layer.delete_object(B, "k")  # S3 stacks another marker
    assert versions_of(layer)[0] == ("k", again.version_id, True, True)
    for m in (again, marker):
        gone = layer.delete_object(B, "k", ObjectOptions(version_id=m.version_id))
        assert gone.existed and gone.delete_marker and gone.version_id == m.version_id
    assert get(layer, "k") == b"one"
    assert versions_of(layer) == [("k", v1, False, True)]


@pytest.mark.parametrize("drives", [1, 4])
def test_deleting_versions_by_id_reclaims_their_data(make_layer: MakeLayer, drives: int) -> None:
    layer = versioned(make_layer, drives)
    bodies = [os.urandom(BIG) for _ in range(3)]
    infos = [layer.put_object(B, "k", body) for body in bodies]
    drive = layer.sets[0].drives[0]

    def on_disk(i: int) -> bool:
        assert infos[i].data_id is not None
        return os.path.isdir(data_path(drive, infos[i].data_id))  # type: ignore[arg-type]

    assert all(on_disk(i) for i in range(3))
    for info in infos:  # each version kept its own data: nothing was copied to make a version
        assert layer.head_object(B, "k", ObjectOptions(version_id=info.version_id)).data_id == info.data_id
    layer.delete_object(B, "k", ObjectOptions(version_id=infos[1].version_id))  # noncurrent
    assert not on_disk(1) and on_disk(0) and on_disk(2)
    layer.delete_object(B, "k", ObjectOptions(version_id=infos[2].version_id))  # the latest
    assert not on_disk(2)
    assert get(layer, "k") == bodies[0]
    assert versions_of(layer) == [("k", infos[0].version_id, False, True)]
    layer.delete_object(B, "k", ObjectOptions(version_id=infos[0].version_id))
    assert versions_of(layer) == [] and not on_disk(0)
    layer.delete_bucket(B)


def test_delete_by_id_reads_each_drive_once(make_layer: MakeLayer) -> None:
    """Deleting a version by id reads the latest, the record the id names and the key of the
    newest noncurrent version in one statement per drive: no scan for a version behind it."""
    drives: list[FaultyDrive] = []

    def wrap(local: LocalDrive) -> FaultyDrive:
        drives.append(FaultyDrive(local))
        return drives[-1]

    layer = make_layer(4, storage=wrap)
    layer.create_bucket(B)
    layer.put_bucket_config(B, VersioningConfig("Enabled"))
    v1, v2, v3 = (layer.put_object(B, "k", b"%d" % i).version_id for i in range(3))

    def reads(version_id: str) -> tuple[int, int]:
        before = [Counter(d.calls) for d in drives]
        layer.delete_object(B, "k", ObjectOptions(version_id=version_id))
        got = [d.calls - b for d, b in zip(drives, before, strict=True)]
        return sum(c["meta_get"] for c in got), sum(c["meta_scan"] for c in got)

    assert reads(v2) == (4, 0)  # noncurrent
    assert versions_of(layer) == [("k", v3, False, True), ("k", v1, False, False)]
    assert reads(v3) == (8, 0)  # the latest, v1 behind it: read once more, to be brought back
    assert versions_of(layer) == [("k", v1, False, True)] and get(layer, "k") == b"0"
    layer.put_object(B, "k", b"3")
    assert reads(v1) == (4, 0)  # noncurrent
    (latest,) = versions_of(layer)
    assert reads(latest[1]) == (4, 0)  # the latest, nothing behind it (though it once had)
    assert versions_of(layer) == []


def test_version_ids_checked(make_layer: MakeLayer) -> None:
    layer = versioned(make_layer, 1)
    vid = layer.put_object(B, "k", b"x").version_id
    for bad in ("abc", "", vid.upper(), vid + "0", "../" + vid[3:]):
        with pytest.raises(InvalidVersionId):
            layer.head_object(B, "k", ObjectOptions(version_id=bad))
    other = "0" * 16 + vid[16:]
    with pytest.raises(NoSuchVersion):
        layer.head_object(B, "k", ObjectOptions(version_id=other))
    with pytest.raises(NoSuchVersion):
        layer.head_object(B, "k", ObjectOptions(version_id="null"))
    assert not layer.delete_object(B, "k", ObjectOptions(version_id=other)).existed
    assert get(layer, "k", vid) == b"x"


@pytest.mark.parametrize("drives", [1, 4])
def test_null_version(make_layer: MakeLayer, drives: int) -> None:
    layer = make_layer(drives)
    layer.create_bucket(B)
    assert layer.put_object(B, "k", b"before").version_id == "null"
    layer.put_bucket_config(B, VersioningConfig("Enabled"))
    v1 = layer.put_object(B, "k", b"v1").version_id
    assert versions_of(layer) == [("k", v1, False, True), ("k", "null", False, False)]
    assert get(layer, "k", "null") == b"before"
    layer.put_bucket_config(B, VersioningConfig("Suspended"))
    assert layer.put_object(B, "k", b"suspended").version_id == "null"  # replaces the null version
    assert versions_of(layer) == [("k", "null", False, True), ("k", v1, False, False)]
    assert layer.put_object(B, "k", b"again").version_id == "null"
    assert versions_of(layer) == [("k", "null", False, True), ("k", v1, False, False)]
    marker = layer.delete_object(B, "k")  # a null delete marker replaces it
    assert marker.delete_marker and marker.version_id == "null"
    assert versions_of(layer) == [("k", "null", True, True), ("k", v1, False, False)]
    layer.put_bucket_config(B, VersioningConfig("Enabled"))
    v2 = layer.put_object(B, "k", b"v2").version_id
    assert versions_of(layer) == [("k", v2, False, True), ("k", "null", True, False), ("k", v1, False, False)]
    layer.put_bucket_config(B, VersioningConfig("Suspended"))
    layer.put_object(B, "k", b"s2")  # the noncurrent null marker goes, v2 stays
    assert versions_of(layer) == [("k", "null", False, True), ("k", v2, False, False),
                                  ("k", v1, False, False)]
    assert get(layer, "k", "null") == b"s2"


def test_list_object_versions_pages(make_layer: MakeLayer) -> None:
    layer = versioned(make_layer, 4)
    expected = []
    for key in ("a", "b/1", "b/2", "c"):
        ids = [layer.put_object(B, key, key.encode() * n).version_id for n in range(1, 4)]
        if key == "b/2":
            ids.append(layer.delete_object(B, key).version_id or "")
        expected += [(key, vid) for vid in reversed(ids)]
    whole = [(k, v) for k, v, _, _ in versions_of(layer)]
    assert whole == expected
    for size in (1, 2, 5):
        got: list[tuple[str, str]] = []
        key_marker, vid_marker = "", ""
        while True:
            page = layer.list_object_versions(B, key_marker=key_marker, version_id_marker=vid_marker,
                                              max_keys=size)
            got += [(v.key, v.info.version_id) for v in page.versions]
            assert len(page.versions) <= size
            if not page.truncated:
                break
            key_marker, vid_marker = page.next_key_marker or "", page.next_version_id_marker or ""
        assert got == expected
    page = layer.list_object_versions(B, delimiter="/")
    assert page.prefixes == ["b/"] and {v.key for v in page.versions} == {"a", "c"}
    page = layer.list_object_versions(B, prefix="b/", key_marker="b/1")
    assert [(v.key, v.info.version_id) for v in page.versions] == [e for e in expected if e[0] == "b/2"]
    page = layer.list_object_versions(B, key_marker="a", version_id_marker=expected[2][1], max_keys=1)
    assert [(v.key, v.info.version_id) for v in page.versions] == [expected[3]]  # a's last: on to b/1


def test_list_object_versions_reads_a_page_of_rows(make_layer: MakeLayer) -> None:
    layer = versioned(make_layer, 1)
    for _ in range(400):
        layer.put_object(B, "k", b"x")
    layer.put_object(B, "l", b"y")
    before = layer.rows_read()
    page = layer.list_object_versions(B, max_keys=10)
    assert len(page.versions) == 10 and page.truncated
    assert layer.rows_read() - before < 40
    mid = page.versions[-1].info.version_id
    before = layer.rows_read()
    page = layer.list_object_versions(B, key_marker="k", version_id_marker=mid, max_keys=10)
    assert len(page.versions) == 10 and layer.rows_read() - before < 40
    before = layer.rows_read()
    assert [o.key for o in layer.list_objects(B).objects] == ["k", "l"]
    assert layer.rows_read() - before < 10  # listings never read noncurrent versions


def test_null_version_marker_resumes_after_it(make_layer: MakeLayer) -> None:
    layer = make_layer(1)
    layer.create_bucket(B)
    layer.put_object(B, "k", b"null")
    layer.put_bucket_config(B, VersioningConfig("Enabled"))
    v1 = layer.put_object(B, "k", b"v1").version_id
    v2 = layer.put_object(B, "k", b"v2").version_id
    page = layer.list_object_versions(B, key_marker="k", version_id_marker=v1)
    assert [v.info.version_id for v in page.versions] == ["null"]
    page = layer.list_object_versions(B, key_marker="k", version_id_marker=v2)
    assert [v.info.version_id for v in page.versions] == [v1, "null"]
    assert layer.list_object_versions(B, key_marker="k", version_id_marker="null").versions == []


def test_multipart_and_copy_make_versions(make_layer: MakeLayer) -> None:
    layer = versioned(make_layer, 4)
    part = os.urandom(5 << 20)
    first = layer.put_object(B, "src", b"first").version_id
    layer.put_object(B, "src", b"second")
    copied = layer.copy_object(B, "src", B, "dst", ObjectOptions(version_id=first))
    assert get(layer, "dst") == b"first" and copied.version_id != first
    upload = layer.create_multipart_upload(B, "dst")
    etag = layer.upload_part(B, "dst", upload.upload_id, 1, part).etag
    done = layer.complete_multipart_upload(B, "dst", upload.upload_id, [CompletePart(1, etag)])
    assert versions_of(layer, "dst") == [("dst", done.version_id, False, True),
                                         ("dst", copied.version_id, False, False)]
    assert get(layer, "dst") == part and get(layer, "dst", copied.version_id) == b"first"


def test_tags_per_version(make_layer: MakeLayer) -> None:
    layer = versioned(make_layer, 4)
    v1 = layer.put_object(B, "k", os.urandom(100), ObjectOptions(tags={"a": "1"})).version_id
    v2 = layer.put_object(B, "k", os.urandom(BIG)).version_id
    assert layer.head_object(B, "k").tags == {}
    layer.put_object_tagging(B, "k", {"x": "y"})
    layer.put_object_tagging(B, "k", {"b": "2"}, ObjectOptions(version_id=v1))
    assert layer.head_object(B, "k", ObjectOptions(version_id=v2)).tags == {"x": "y"}
    assert layer.head_object(B, "k", ObjectOptions(version_id=v1)).tags == {"b": "2"}
    assert len(get(layer, "k", v1)) == 100  # the inline frames survived the rewrite
    layer.delete_object_tagging(B, "k", ObjectOptions(version_id=v1))
    assert layer.head_object(B, "k", ObjectOptions(version_id=v1)).tags == {}
    assert layer.copy_object(B, "k", B, "c").tags == {"x": "y"}  # copied with the object
    marker = layer.delete_object(B, "k").version_id
    with pytest.raises(ObjectNotFound):
        layer.put_object_tagging(B, "k", {"x": "z"})
    with pytest.raises(VersionIsDeleteMarker):
        layer.put_object_tagging(B, "k", {"x": "z"}, ObjectOptions(version_id=marker))


def test_object_lock(make_layer: MakeLayer) -> None:
    layer = make_layer(4)
    layer.create_bucket("plain")
    layer.put_object("plain", "k", b"x")
    with pytest.raises(LockNotEnabled):
        layer.put_object_legal_hold("plain", "k", True)
    with pytest.raises(LockNotEnabled):
        layer.put_object("plain", "k", b"x", ObjectOptions(lock_mode="GOVERNANCE", lock_until_ns=1))
    with pytest.raises(InvalidBucketState):  # lock needs versioning Enabled
        layer.put_bucket_config("plain", ObjectLockConfig())
    layer.create_bucket(B, object_lock=True)
    assert layer.head_bucket(B).config(VersioningConfig) == VersioningConfig("Enabled")
    with pytest.raises(InvalidBucketState):
        layer.put_bucket_config(B, VersioningConfig("Suspended"))
    soon = time.time_ns() + 3600 * 10**9
    gov = layer.put_object(B, "g", b"g", ObjectOptions(lock_mode="GOVERNANCE", lock_until_ns=soon))
    comp = layer.put_object(B, "c", b"c", ObjectOptions(lock_mode="COMPLIANCE", lock_until_ns=soon))
    at = {"g": ObjectOptions(version_id=gov.version_id), "c": ObjectOptions(version_id=comp.version_id)}
    for key in ("g", "c"):
        with pytest.raises(ObjectLocked):
            layer.delete_object(B, key, at[key])
        assert layer.delete_object(B, key).delete_marker  # markers may still be written
    with pytest.raises(ObjectLocked):
        layer.put_object_retention(B, "c", "COMPLIANCE", soon - 1, at["c"])
    with pytest.raises(ObjectLocked):
        layer.put_object_retention(B, "c", "GOVERNANCE", soon + 1, at["c"])
    with pytest.raises(ObjectLocked):
        layer.delete_object(B, "c", ObjectOptions(version_id=comp.version_id, bypass_governance=True))
    layer.put_object_retention(B, "c", "COMPLIANCE", soon + 10**9, at["c"])  # extending is fine
    with pytest.raises(ObjectLocked):
        layer.put_object_retention(B, "g", "", 0, at["g"])
    layer.put_object_legal_hold(B, "g", True, at["g"])
    with pytest.raises(ObjectLocked):  # a legal hold stops even a bypass
        layer.delete_object(B, "g", ObjectOptions(version_id=gov.version_id, bypass_governance=True))
    layer.put_object_legal_hold(B, "g", False, at["g"])
    layer.delete_object(B, "g", ObjectOptions(version_id=gov.version_id, bypass_governance=True))
    with pytest.raises(NoSuchVersion):
        layer.head_object(B, "g", at["g"])
    with pytest.raises(BucketNotEmpty):
        layer.delete_bucket(B)


def test_default_retention_applies_to_new_versions(make_layer: MakeLayer) -> None:
    layer = make_layer(1)
    layer.create_bucket(B, object_lock=True)
    layer.put_bucket_config(B, ObjectLockConfig(mode="GOVERNANCE", days=1))
    info = layer.put_object(B, "k", b"x")
    assert info.lock_mode == "GOVERNANCE"
    assert abs(info.lock_until_ns - (time.time_ns() + 86_400 * 10**9)) < 60 * 10**9
    explicit = layer.put_object(B, "k", b"y", ObjectOptions(lock_mode="COMPLIANCE",
                                                             lock_until_ns=time.time_ns() + 10**12))
    assert explicit.lock_mode == "COMPLIANCE"
    with pytest.raises(ObjectLocked):
        layer.delete_object(B, "k", ObjectOptions(version_id=info.version_id))


def test_force_delete_empties_a_bucket_but_never_a_locked_one(make_layer: MakeLayer) -> None:
    layer = versioned(make_layer, 4)
    for body in (b"1", b"2", os.urandom(BIG)):
        layer.put_object(B, "k", body)
    layer.delete_object(B, "k")
    with pytest.raises(BucketNotEmpty):
        layer.delete_bucket(B)
    layer.delete_bucket(B, force=True)
    assert layer.buckets.lookup(B) is None
    layer.create_bucket("locked", object_lock=True)
    layer.put_object("locked", "k", b"x")
    with pytest.raises(ObjectLocked):
        layer.delete_bucket("locked", force=True)
    assert layer.list_object_versions("locked").versions[0].key == "k"
