"""Drives (drive_args, layout, drive_format, drives): expansion, set planning, identity, placement."""

from __future__ import annotations

import json
import os
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cairn.engine import drive_healing, drives
from cairn.engine.drive_args import expand_drive_args
from cairn.engine.drive_format import DamagedFormat, DriveFormat, format_path, read_format
from cairn.engine.drives import open_deployment
from cairn.engine.errors import FormatError
from cairn.engine.layout import (
    Deployment,
    choose_parity,
    default_parity,
    plan_sets,
    set_for_object,
    shard_order,
)

# --------------------------------------------------------------------------
# Ellipsis expansion
# --------------------------------------------------------------------------


def test_expand_simple() -> None:
    assert expand_drive_args(["/mnt/d{1...4}"]) == ["/mnt/d1", "/mnt/d2", "/mnt/d3", "/mnt/d4"]


def test_expand_plain_paths_pass_through_and_arguments_concatenate() -> None:
    assert expand_drive_args(["/a", "/b{1...2}", "/c"]) == ["/a", "/b1", "/b2", "/c"]


def test_expand_keeps_padding() -> None:
    paths = expand_drive_args(["/mnt/d{01...16}"])
    assert paths[0] == "/mnt/d01" and paths[8] == "/mnt/d09" and paths[-1] == "/mnt/d16"
    assert len(paths) == 16
    assert expand_drive_args(["/x{001...003}"]) == ["/x001", "/x002", "/x003"]


def test_expand_unpadded_zero_start() -> None:
    assert expand_drive_args(["/x{0...10}"])[:2] == ["/x0", "/x1"]
    assert expand_drive_args(["/x{0...10}"])[-1] == "/x10"


def test_expand_hex_like_minio() -> None:
    assert expand_drive_args(["/x{8...b}"]) == ["/x8", "/x9", "/xa", "/xb"]


def test_expand_multiple_ellipses_in_minio_order() -> None:
    # MinIO varies the leftmost range fastest, so consecutive drives alternate over the left part.
    assert expand_drive_args(["/mnt/host{1...2}/disk{1...3}"]) == [
        "/mnt/host1/disk1",
        "/mnt/host2/disk1",
        "/mnt/host1/disk2",
        "/mnt/host2/disk2",
        "/mnt/host1/disk3",
        "/mnt/host2/disk3",
    ]
    three = expand_drive_args(["/r{1...2}/h{1...2}/d{1...2}"])
    assert three[:3] == ["/r1/h1/d1", "/r2/h1/d1", "/r1/h2/d1"]
    assert len(set(three)) == 8


def test_expand_makes_paths_absolute(tmp_path: Path) -> None:
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        assert expand_drive_args(["d{1...2}", "./e/"]) == [
            str(tmp_path / "d1"),
            str(tmp_path / "d2"),
            str(tmp_path / "e"),
        ]
    finally:
        os.chdir(cwd)


@pytest.mark.parametrize(
    "arg",
    [
        "/mnt/d{4...1}",
        "/mnt/d{a...}",
        "/mnt/d{...4}",
        "/mnt/d{...}",
        "/mnt/d{1..4}",
        "/mnt/d{1....4}",
        "/mnt/d{-1...1}",
        "/mnt/d{1...2O}",
        "/mnt/d{f...z}",
        "/mnt/d{{1...4}}",
        "/mnt/d{1...4}{1..2}",
        "/mnt/d1...4",
        "/mnt/d{1...4",
        "/mnt/d1...4}",
    ],
)
def test_expand_malformed_names_the_argument(arg: str) -> None:
    with pytest.raises(FormatError) as exc:
        expand_drive_args(["/ok", arg])
    assert repr(arg) in str(exc.value)


def test_expand_refuses_huge_ranges() -> None:
    with pytest.raises(FormatError, match="more than"):
        expand_drive_args(["/d{1...1000000000}"])
    with pytest.raises(FormatError, match="more than"):
        expand_drive_args(["/d{1...1000}/e{1...1000}"])


def test_expand_duplicates() -> None:
    with pytest.raises(FormatError, match="/mnt/d2 is given more than once"):
        expand_drive_args(["/mnt/d{1...4}", "/mnt/d{2...3}"])
    with pytest.raises(FormatError, match="more than once"):
        expand_drive_args(["/mnt/d1", "/mnt/d1/"])


def test_expand_nothing() -> None:
    with pytest.raises(FormatError, match="no drives"):
        expand_drive_args([])


# --------------------------------------------------------------------------
# Set planning and parity
# --------------------------------------------------------------------------

EXPECTED_SETS = {
    1: (1, 1), 2: (1, 2), 3: (1, 3), 4: (1, 4), 5: (1, 5), 6: (1, 6), 7: (1, 7), 8: (1, 8),
    9: (1, 9), 10: (1, 10), 11: (1, 11), 12: (1, 12), 13: (1, 13), 14: (1, 14), 15: (1, 15),
    16: (1, 16), 17: None, 18: (2, 9), 19: None, 20: (2, 10), 21: (3, 7), 22: (2, 11),
    23: None, 24: (2, 12), 25: (5, 5), 26: (2, 13), 27: (3, 9), 28: (2, 14), 29: None,
    30: (2, 15), 31: None, 32: (2, 16),
}  # fmt: skip


@pytest.mark.parametrize("n", range(1, 33))
def test_plan_sets_table(n: int) -> None:
    expected = EXPECTED_SETS[n]
    if expected is None:
        with pytest.raises(FormatError, match=f"{n} drives cannot be split"):
            plan_sets(n)
    else:
        assert plan_sets(n) == expected


def test_plan_sets_error_suggests_counts() -> None:
    with pytest.raises(FormatError, match="nearest are 16 and 18"):
        plan_sets(17)
    with pytest.raises(FormatError, match="no drives"):
        plan_sets(0)


def test_plan_sets_large_counts() -> None:
    assert plan_sets(64) == (4, 16)
    assert plan_sets(88) == (8, 11)  # same answer as MinIO for data/controller{1...11}/export{1...8}


@pytest.mark.parametrize(
    ("size", "parity"),
    [(1, 0), (2, 1), (3, 1), (4, 2), (5, 2), (6, 3), (7, 3)] + [(n, 4) for n in range(8, 33)],
)
def test_default_parity_table(size: int, parity: int) -> None:
    assert default_parity(size) == parity


def test_default_parity_never_exceeds_half() -> None:
    for size in range(1, 17):
        assert default_parity(size) <= size // 2 or size == 1


def test_parity_override_validation() -> None:
    assert choose_parity(8, None) == 4
    assert choose_parity(8, 2) == 2
    assert choose_parity(8, 0) == 0  # EC:0 allowed, as in MinIO
    assert choose_parity(1, 0) == 0
    assert choose_parity(16, 8) == 8
    for size, bad in [(8, 5), (8, -1), (1, 1), (2, 2), (3, 2), (16, 9)]:
        with pytest.raises(FormatError, match=f"parity {bad} is not possible with erasure sets of {size}"):
            choose_parity(size, bad)


# --------------------------------------------------------------------------
# Drive identity
# --------------------------------------------------------------------------


def drive_paths(root: Path, n: int) -> list[str]:
    return [str(root / f"d{i}") for i in range(1, n + 1)]


def ids(dep: Deployment) -> list[list[str]]:
    return [[d.drive_id for d in s.drives] for s in dep.sets]


def test_fresh_deployment_and_reopen(tmp_path: Path) -> None:
    paths = drive_paths(tmp_path, 8)
    os.makedirs(paths[0])  # an existing directory, with unrelated content, is fine
    (Path(paths[0]) / "unrelated.txt").write_text("keep me")
    dep = open_deployment(paths)
    assert dep.set_count == 1 and dep.set_size == 8 and dep.parity == 4
    assert dep.sets[0].data_shards == 4 and dep.sets[0].parity_shards == 4
    assert all(d.online and not d.needs_heal for d in dep.drives)
    assert [d.path for d in dep.drives] == paths
    assert (Path(paths[0]) / "unrelated.txt").read_text() == "keep me"
    for d in dep.drives:
        assert os.path.isdir(d.tmp_dir) and os.path.isdir(d.data_dir)
        assert d.meta_db_path == os.path.join(d.path, ".cairn", "meta.db")

    doc = json.loads(Path(format_path(paths[3])).read_text())
    assert doc["format"] == "cairn" and doc["version"] == 1
    assert doc["deployment_id"] == dep.deployment_id
    assert doc["set_index"] == 0 and doc["drive_index"] == 3
    assert doc["drive_id"] == dep.drives[3].drive_id
    assert doc["sets"] == ids(dep) and doc["parity"] == 4

    again = open_deployment(paths)
    assert again == dep
    assert not [n for n in os.listdir(Path(paths[0]) / ".cairn") if n.endswith(".tmp")]


def test_fresh_multi_set_layout(tmp_path: Path) -> None:
    dep = open_deployment(drive_paths(tmp_path, 18), parity=2)
    assert (dep.set_count, dep.set_size, dep.parity) == (2, 9, 2)
    assert [(d.set_index, d.drive_index) for d in dep.sets[1].drives] == [(1, j) for j in range(9)]
    assert dep.sets[1].drives[0].path == str(tmp_path / "d10")
    assert len({d.drive_id for d in dep.drives}) == 18
    assert dep.sets[1].data_shards == 7


def test_single_drive(tmp_path: Path) -> None:
    dep = open_deployment([str(tmp_path / "only")])
    assert (dep.set_count, dep.set_size, dep.parity) == (1, 1, 0)
    assert open_deployment([str(tmp_path / "only")]) == dep


def test_parity_override_at_open(tmp_path: Path) -> None:
    paths = drive_paths(tmp_path, 4)
    with pytest.raises(FormatError, match="parity 3 is not possible"):
        open_deployment(paths, parity=3)
    assert not os.path.exists(paths[0])  # nothing created on a refused open
    dep = open_deployment(paths, parity=1)
    assert dep.parity == 1
    assert open_deployment(paths).parity == 1  # stored parity wins when none is given
    assert open_deployment(paths, parity=1).parity == 1
    with pytest.raises(FormatError, match="created with parity 1, not 2"):
        open_deployment(paths, parity=2)


def test_foreign_drive_refused(tmp_path: Path) -> None:
    ours = open_deployment(drive_paths(tmp_path / "a", 4))
    theirs = open_deployment(drive_paths(tmp_path / "b", 4))
    mixed = drive_paths(tmp_path / "a", 4)
    mixed[2] = theirs.drives[2].path
    with pytest.raises(FormatError) as exc:
        open_deployment(mixed)
    assert str(exc.value).startswith(
        f"drive {mixed[2]} belongs to deployment {theirs.deployment_id}, not {ours.deployment_id} "
        "of the other drives"
    )


def test_swapped_drives_refused(tmp_path: Path) -> None:
    paths = drive_paths(tmp_path, 4)
    open_deployment(paths)
    swapped = [paths[0], paths[2], paths[1], paths[3]]
    with pytest.raises(FormatError) as exc:
        open_deployment(swapped)
    assert str(exc.value) == (
        f"drive {paths[2]} was drive 3 of set 1; it is given as drive 2 of set 1: "
        "pass the drives in their original order"
    )


def test_swap_across_sets_refused(tmp_path: Path) -> None:
    paths = drive_paths(tmp_path, 32)  # 2 sets of 16
    open_deployment(paths)
    swapped = list(paths)
    swapped[0], swapped[16] = swapped[16], swapped[0]
    with pytest.raises(FormatError, match=r"was drive 1 of set 2; it is given as drive 1 of set 1"):
        open_deployment(swapped)


def test_wrong_drive_count_refused(tmp_path: Path) -> None:
    paths = drive_paths(tmp_path, 8)
    open_deployment(paths)
    with pytest.raises(FormatError, match=r"has 8 drives \(1 set\(s\) of 8\) but 4 were given"):
        open_deployment(paths[:4])
    with pytest.raises(FormatError, match="but 16 were given"):
        open_deployment(paths + drive_paths(tmp_path / "more", 8))


def test_wiped_drive_is_reformatted_into_its_slot(tmp_path: Path) -> None:
    paths = drive_paths(tmp_path, 4)
    dep = open_deployment(paths)
    shutil.rmtree(paths[1])
    os.makedirs(paths[1])  # a new, empty disk mounted in its place
    healed = open_deployment(paths)
    drive = healed.drives[1]
    assert drive.online and drive.needs_heal
    assert drive.drive_id == dep.drives[1].drive_id
    assert (drive.set_index, drive.drive_index) == (0, 1)
    assert [d.needs_heal for d in healed.drives] == [False, True, False, False]
    fmt = read_format(paths[1])
    assert fmt is not None and fmt.drive_id == dep.drives[1].drive_id
    assert fmt.deployment_id == dep.deployment_id
    assert os.path.isdir(drive.tmp_dir) and os.path.isdir(drive.data_dir)
    # a restart before it was healed finds it still to heal (its marker, drive_healing.py) ...
    assert open_deployment(paths).drives[1].needs_heal
    # ... and once healed (the heal job clears the marker) it is an ordinary member again
    drive_healing.clear(paths[1])
    assert not open_deployment(paths).drives[1].needs_heal


def test_missing_directory_is_offline_not_created(tmp_path: Path) -> None:
    paths = drive_paths(tmp_path, 4)
    dep = open_deployment(paths)
    shutil.rmtree(paths[3])
    reopened = open_deployment(paths)
    drive = reopened.drives[3]
    assert not drive.online and not drive.needs_heal
    assert drive.drive_id == dep.drives[3].drive_id
    assert "does not exist" in drive.problem
    assert not os.path.exists(paths[3])


def test_unreadable_drive_is_offline(tmp_path: Path) -> None:
    paths = drive_paths(tmp_path, 4)
    open_deployment(paths)
    os.unlink(paths[2] + "/.cairn/format.json")
    os.makedirs(paths[2] + "/.cairn/format.json")  # reading it fails with IsADirectoryError
    drive = open_deployment(paths).drives[2]
    assert not drive.online and "cannot read" in drive.problem


def test_damaged_format_is_offline(tmp_path: Path) -> None:
    paths = drive_paths(tmp_path, 4)
    open_deployment(paths)
    Path(format_path(paths[0])).write_text("{not json")
    with pytest.raises(DamagedFormat):
        read_format(paths[0])
    drive = open_deployment(paths).drives[0]
    assert not drive.online and "damaged" in drive.problem
    assert Path(format_path(paths[0])).read_text() == "{not json"  # never overwritten


def test_drive_with_data_but_no_format_is_not_reformatted(tmp_path: Path) -> None:
    paths = drive_paths(tmp_path, 4)
    open_deployment(paths)
    os.unlink(format_path(paths[0]))
    Path(paths[0], ".cairn", "data", "obj").write_bytes(b"x")
    drive = open_deployment(paths).drives[0]
    assert not drive.online and "no .cairn/format.json" in drive.problem
    assert read_format(paths[0]) is None


def test_not_a_directory(tmp_path: Path) -> None:
    paths = drive_paths(tmp_path, 2)
    Path(paths[1]).write_text("file")
    with pytest.raises(FormatError, match=r"cannot create a new deployment: .*d2 is not a directory"):
        open_deployment(paths)


def test_not_enough_drives(tmp_path: Path) -> None:
    paths = drive_paths(tmp_path, 4)
    open_deployment(paths)
    for p in paths[1:]:
        shutil.rmtree(p)
        os.makedirs(p)
    with pytest.raises(FormatError, match=r"not enough drives of set 1 .*: 1 of 4"):
        open_deployment(paths)
    assert read_format(paths[1]) is None  # nothing written on a refused open


def test_half_a_set_is_enough(tmp_path: Path) -> None:
    paths = drive_paths(tmp_path, 4)
    open_deployment(paths)
    shutil.rmtree(paths[0])
    shutil.rmtree(paths[1])
    os.makedirs(paths[1])
    dep = open_deployment(paths)
    states = [(d.online, d.needs_heal) for d in dep.drives]
    assert states == [(False, False), (True, True), (True, False), (True, False)]


def test_unknown_format_or_version_rejected(tmp_path: Path) -> None:
    paths = drive_paths(tmp_path, 2)
    open_deployment(paths)
    path = Path(format_path(paths[0]))
    doc = json.loads(path.read_text())
    path.write_text(json.dumps({**doc, "version": 2}))
    with pytest.raises(FormatError, match="format version 2, this Cairn understands version 1"):
        open_deployment(paths)
    path.write_text(json.dumps({**doc, "format": "minio"}))
    with pytest.raises(FormatError, match="is not a Cairn drive format"):
        open_deployment(paths)


def test_inconsistent_format_is_damaged(tmp_path: Path) -> None:
    paths = drive_paths(tmp_path, 2)
    open_deployment(paths)
    path = Path(format_path(paths[0]))
    doc = json.loads(path.read_text())
    bad_fields: list[dict[str, Any]] = [
        {"drive_index": 1},
        {"set_index": 3},
        {"sets": "x"},
        {"parity": 2},
        {"drive_id": 7},
        {"set_index": True},
    ]
    for bad in bad_fields:
        path.write_text(json.dumps({**doc, **bad}))
        with pytest.raises(DamagedFormat):
            read_format(paths[0])


def test_same_directory_twice_refused(tmp_path: Path) -> None:
    os.makedirs(tmp_path / "real")
    os.symlink(tmp_path / "real", tmp_path / "alias")
    with pytest.raises(FormatError, match="are the same directory"):
        open_deployment([str(tmp_path / "real"), str(tmp_path / "alias")])


def test_staging_sweep(tmp_path: Path) -> None:
    paths = drive_paths(tmp_path, 2)
    dep = open_deployment(paths)
    tmp = Path(dep.drives[0].tmp_dir)
    (tmp / "upload-123").write_bytes(b"partial")
    (tmp / "subdir" / "deeper").mkdir(parents=True)
    (tmp / "subdir" / "deeper" / "shard").write_bytes(b"partial")
    os.symlink(tmp_path, tmp / "link")  # a symlink is removed, not followed
    Path(dep.drives[0].sys_dir, ".format.json.abc.tmp").write_text("{}")
    Path(dep.drives[0].data_dir, "keep").write_bytes(b"data")
    open_deployment(paths)
    assert os.listdir(tmp) == []
    assert not Path(dep.drives[0].sys_dir, ".format.json.abc.tmp").exists()
    assert Path(dep.drives[0].data_dir, "keep").read_bytes() == b"data"
    assert os.path.isdir(tmp_path / "d1")


def test_failed_creation_is_rolled_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = drive_paths(tmp_path, 4)
    real_write = drives.write_format

    def flaky_write(path: str, fmt: DriveFormat) -> None:
        if path == paths[2]:
            raise OSError(28, "No space left on device")
        real_write(path, fmt)

    monkeypatch.setattr(drives, "write_format", flaky_write)
    with pytest.raises(FormatError, match=r"writing the format of .*d3 failed: No space left on device"):
        open_deployment(paths)
    assert [read_format(p) for p in paths] == [None] * 4
    monkeypatch.undo()
    assert open_deployment(paths).set_size == 4  # a clean retry works


def test_format_written_atomically_leaves_no_temp(tmp_path: Path) -> None:
    dep = open_deployment(drive_paths(tmp_path, 2))
    assert sorted(os.listdir(dep.drives[0].sys_dir)) == ["data", "format.json", "tmp"]


# --------------------------------------------------------------------------
# Placement
# --------------------------------------------------------------------------

DEP_ID = "0b7c6c43-1f6e-4a57-9d1c-4b7a1d0e6f00"


def test_set_for_object_stable() -> None:
    first = [set_for_object(DEP_ID, 4, "bucket", f"key-{i}") for i in range(100)]
    assert first == [set_for_object(DEP_ID, 4, "bucket", f"key-{i}") for i in range(100)]
    # pinned values: the hash must never change, or objects become unreachable
    assert [set_for_object(DEP_ID, 4, "b", k) for k in ("a", "b", "c", "photos/2024/x.jpg")] == PINNED_SETS
    assert set_for_object(DEP_ID, 1, "b", "k") == 0


PINNED_SETS = [3, 3, 2, 2]


def test_set_for_object_spread() -> None:
    counts = Counter(set_for_object(DEP_ID, 4, "bucket", f"object/{i}") for i in range(10_000))
    assert sorted(counts) == [0, 1, 2, 3]
    for n in counts.values():
        assert 2_000 <= n <= 3_000


def test_set_for_object_depends_on_all_inputs() -> None:
    base = [set_for_object(DEP_ID, 16, "bucket", f"k{i}") for i in range(200)]
    assert base != [set_for_object("other", 16, "bucket", f"k{i}") for i in range(200)]
    assert base != [set_for_object(DEP_ID, 16, "bucket2", f"k{i}") for i in range(200)]


@given(st.integers(min_value=1, max_value=16), st.text(max_size=40))
def test_shard_order_is_a_rotation(set_size: int, key: str) -> None:
    order = shard_order(DEP_ID, set_size, "bucket", key)
    assert sorted(order) == list(range(set_size))
    offset = order[0]
    assert order == [(i + offset) % set_size for i in range(set_size)]
    assert order == shard_order(DEP_ID, set_size, "bucket", key)


def test_shard_order_rotates() -> None:
    offsets = Counter(shard_order(DEP_ID, 8, "bucket", f"k{i}")[0] for i in range(4_000))
    assert sorted(offsets) == list(range(8))
    assert min(offsets.values()) > 350


def test_shard_order_pinned() -> None:
    assert [shard_order(DEP_ID, 4, "b", k) for k in "abcd"] == [
        [3, 0, 1, 2],
        [2, 3, 0, 1],
        [0, 1, 2, 3],
        [1, 2, 3, 0],
    ]


def test_placement_rejects_empty() -> None:
    with pytest.raises(ValueError):
        set_for_object(DEP_ID, 0, "b", "k")
    with pytest.raises(ValueError):
        shard_order(DEP_ID, 0, "b", "k")


def test_deployment_set_for(tmp_path: Path) -> None:
    dep = open_deployment(drive_paths(tmp_path, 32))
    erasure_set = dep.set_for("bucket", "key")
    assert erasure_set is dep.sets[set_for_object(dep.deployment_id, 2, "bucket", "key")]
