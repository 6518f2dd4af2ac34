"""Tests of one drive's metadata store (cairn.engine.metastore)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cairn.engine import metastore
from cairn.engine.errors import DriveError, RecordDamaged
from cairn.engine.metajobs import MAGIC, frame, unframe
from cairn.engine.metastore import MetaStore

T = TypeVar("T")


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "meta.db")


@pytest.fixture
def store(db: str) -> Iterator[MetaStore]:
    s = MetaStore(db, drive="d0")
    yield s
    s.close()


def within(seconds: float, fn: Callable[[], T]) -> T:
    """Run fn in a thread; fail the test if it has not returned after `seconds` (no hangs)."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:
            box["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"operation still running after {seconds} s"
    if "error" in box:
        raise box["error"]
    return box["value"]  # type: ignore[no-any-return]


def raw(path: str) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None, timeout=10)


# --- framing ------------------------------------------------------------------------------------


def test_frame_round_trip_and_rejects() -> None:
    for payload in (b"", b"x", bytes(range(256)) * 3):
        stored = frame(payload)
        assert stored.startswith(MAGIC) and len(stored) == len(payload) + 8
        assert unframe(stored) == payload
    good = frame(b"hello")
    assert unframe(good[:-1]) is None  # truncated
    assert unframe(good[:7]) is None  # shorter than magic + crc
    assert unframe(good[:4] + bytes([good[4] ^ 1]) + good[5:]) is None  # flipped payload bit
    assert unframe(good[:-1] + bytes([good[-1] ^ 0x80])) is None  # flipped crc bit
    future = b"CRM2hello"
    assert unframe(future + zlib.crc32(future).to_bytes(4, "big")) is None  # unknown version
    assert unframe("CRM1text") is None and unframe(None) is None and unframe(7) is None


# --- basic operations ---------------------------------------------------------------------------


def test_put_get_delete_overwrite(store: MetaStore) -> None:
    assert store.get(b"a") is None
    store.commit([(b"a", b"1"), (b"b", b"2")])
    assert store.get(b"a") == b"1" and store.get(b"b") == b"2"
    store.commit([(b"a", b"one"), (b"b", None), (b"c", b"")])
    assert store.get(b"a") == b"one" and store.get(b"b") is None and store.get(b"c") == b""
    store.commit([(b"d", b"x"), (b"d", None), (b"e", None), (b"e", b"last")])  # in order
    assert store.get(b"d") is None and store.get(b"e") == b"last"
    store.commit([(bytearray(b"f"), memoryview(b"mv"))])  # type: ignore[list-item]
    assert store.get(b"f") == b"mv"
    store.commit([])


def test_records_survive_reopen(db: str) -> None:
    with MetaStore(db, drive="d0") as s:
        s.commit([(b"k", b"v" * 10_000)])
    with MetaStore(db, drive="d0", sync="relaxed") as s:
        assert s.get(b"k") == b"v" * 10_000
        kv = raw(db).execute("SELECT value FROM meta WHERE name = 'schema_version'").fetchone()
        assert kv == ("1",)


def test_scan_ranges(store: MetaStore) -> None:
    keys = [b"a", b"b", b"ba", b"bb", b"c", b"d"]
    store.commit([(k, k.upper()) for k in keys])
    assert [k for k, _ in store.scan(b"b", b"c", 100)] == [b"b", b"ba", b"bb"]  # end exclusive
    assert [k for k, _ in store.scan(b"bb", None, 100)] == [b"bb", b"c", b"d"]  # start inclusive
    assert store.scan(b"", None, 2) == [(b"a", b"A"), (b"b", b"B")]
    assert store.scan(b"e", None, 10) == []
    assert store.scan(b"c", b"c", 10) == [] and store.scan(b"d", b"a", 10) == []
    assert store.scan(b"", None, 0) == [] and store.scan(b"", None, -1) == []
    with pytest.raises(TypeError):
        store.scan("a", None, 10)  # type: ignore[arg-type]


def test_get_many_reads_keys_and_a_range_head_in_one_statement(store: MetaStore, db: str) -> None:
    store.commit([(b"a", b"A"), (b"b", b""), (b"ba", b"BA"), (b"bb", b"BB"), (b"c", b"C")])
    before = store.rows_read
    assert store.get_many([b"a", b"b", b"zz"]) == ({b"a": b"A", b"b": b""}, None)  # absent: left out
    assert store.rows_read - before == 2
    assert store.get_many([b"c"], (b"b\x00", b"c", b"")) == ({b"c": b"C"}, b"ba")  # the first key only
    assert store.get_many([b"c"], (b"bb\x00", b"c", b"")) == ({b"c": b"C"}, None)  # nothing in range
    assert store.get_many([], (b"b", None, b"")) == ({}, b"b")
    assert store.get_many([], (b"b", None, b"B")) == ({}, b"b")  # b"" does not start with b"B"
    assert store.get_many([], (b"b\x00", None, b"B")) == ({}, b"c")  # passed over: values B...
    raw(db).execute("UPDATE kv SET v = ? WHERE k = ?", (b"garbage!", b"a"))
    assert store.get_many([b"a", b"c"]) == ({b"a": None, b"c": b"C"}, None)  # damaged: None


def test_bytewise_order(store: MetaStore) -> None:
    keys = [
        b"",
        b"\x00",
        b"\x00\x00",
        b"\x00\xff",
        b"\x01",
        b"a",
        b"a\x00",
        b"a\xff",
        b"\x7f",
        b"\x80",
        b"\xff",
        b"\xff\x00",
        b"\xff\xff",
        "é".encode(),
        "日本".encode(),
        b"z",
    ]
    store.commit([(k, b"v") for k in keys])
    assert [k for k, _ in store.scan(b"", None, 100)] == sorted(keys)
    assert [k for k, _ in store.scan(b"\x00", b"\x01", 100)] == [b"\x00", b"\x00\x00", b"\x00\xff"]
    assert [k for k, _ in store.scan(b"\xff", None, 100)] == [b"\xff", b"\xff\x00", b"\xff\xff"]


def test_rows_read_counts_rows_fetched(store: MetaStore) -> None:
    store.commit([(bytes([i]), b"v") for i in range(10)])
    before = store.rows_read
    store.get(b"\x03")
    store.get(b"missing")
    assert store.rows_read == before + 1
    assert len(store.scan(b"", None, 4)) == 4
    assert store.rows_read == before + 5
    store.scan(b"\x08", None, 100)
    assert store.rows_read == before + 7


# --- model test ---------------------------------------------------------------------------------

_keys = st.one_of(
    st.lists(st.sampled_from([0x00, 0x01, 0x41, 0x7F, 0x80, 0xC3, 0xA9, 0xFF]), max_size=4).map(bytes),
    st.text(alphabet="aZé日\x00", max_size=3).map(str.encode),
)
_ops = st.lists(st.tuples(_keys, st.one_of(st.none(), st.binary(max_size=8))), max_size=8)
_scans = st.lists(st.tuples(_keys, st.one_of(st.none(), _keys), st.integers(0, 12)), max_size=8)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batches=st.lists(_ops, max_size=6), scans=_scans)
def test_matches_sorted_model(
    batches: list[list[tuple[bytes, bytes | None]]], scans: list[tuple[bytes, bytes | None, int]]
) -> None:
    model: dict[bytes, bytes] = {}
    with (
        tempfile.TemporaryDirectory() as d,
        MetaStore(os.path.join(d, "m.db"), drive="m", sync="relaxed") as s,
    ):
        for batch in batches:
            s.commit(batch)
            for k, v in batch:
                if v is None:
                    model.pop(k, None)
                else:
                    model[k] = v
        for start, end, limit in scans:
            want = [(k, model[k]) for k in sorted(model) if k >= start and (end is None or k < end)]
            assert s.scan(start, end, limit) == want[:limit]
        for k in {k for batch in batches for k, _ in batch}:
            assert s.get(k) == model.get(k)
        assert s.scan(b"", None, 1000) == sorted(model.items())


# --- atomicity ----------------------------------------------------------------------------------


def test_wrong_types_rejected_before_anything_is_applied(store: MetaStore) -> None:
    for bad in ([(b"a", b"1"), (b"b", "text")], [(b"a", b"1"), ("b", b"2")], [(b"a", b"1"), (b"b", 3)]):
        with pytest.raises(TypeError):
            store.commit(bad)  # type: ignore[arg-type]
    assert store.get(b"a") is None and store.transactions == 0


def _wait_for(cond: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 5
    while not cond():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.005)


def test_failing_batch_in_a_group_is_atomic_and_alone(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    real_frame = frame
    monkeypatch.setattr(metastore, "frame", lambda p: object() if p == b"BAD" else real_frame(p))
    s = MetaStore(db, drive="d0")
    blocker = raw(db)
    blocker.execute("BEGIN IMMEDIATE")  # hold the write lock so batches pile up into one group
    outcome: dict[str, BaseException | None] = {}

    def run(name: str, ops: list[tuple[bytes, bytes | None]]) -> None:
        try:
            s.commit(ops)
            outcome[name] = None
        except BaseException as exc:
            outcome[name] = exc

    threads = [threading.Thread(target=run, args=("first", [(b"first", b"1")]))]
    threads[0].start()
    _wait_for(lambda: not s._queue, "the committer to take the first batch")  # blocked in BEGIN
    threads.append(
        threading.Thread(target=run, args=("bad", [(b"x1", b"1"), (b"x2", b"BAD"), (b"x3", b"3")]))
    )
    threads += [threading.Thread(target=run, args=(f"g{i}", [(b"g%d" % i, b"ok")])) for i in range(5)]
    for t in threads[1:]:
        t.start()
    _wait_for(lambda: len(s._queue) == 6, "six queued batches")
    blocker.execute("ROLLBACK")
    for t in threads:
        t.join(15)
    assert outcome.pop("first") is None
    assert isinstance(outcome.pop("bad"), DriveError)
    assert outcome == {f"g{i}": None for i in range(5)}
    assert [s.get(k) for k in (b"x1", b"x2", b"x3")] == [None, None, None]
    assert all(s.get(b"g%d" % i) == b"ok" for i in range(5))
    assert s.transactions == 1 + 5  # the first alone, then the group of six retried one by one
    s.close()


def test_close_drains_queue_and_later_commits_fail(db: str) -> None:
    s = MetaStore(db, drive="d0")
    done: list[bytes] = []
    refused: list[bytes] = []

    def work(t: int) -> None:
        for i in range(50):
            key = b"t%d-%d" % (t, i)
            try:
                s.commit([(key, b"v"), (key + b"/2", b"v")])
                done.append(key)
            except DriveError:
                refused.append(key)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(8)]
    for t in threads:
        t.start()
    time.sleep(0.02)
    s.close()
    for t in threads:
        t.join(10)
    with pytest.raises(DriveError):
        s.commit([(b"late", b"v")])
    with pytest.raises(DriveError):
        s.get(b"late")
    with MetaStore(db, drive="d0") as again:
        for key in done:
            assert again.get(key) == b"v" and again.get(key + b"/2") == b"v"
        for key in refused:
            assert again.get(key) is None and again.get(key + b"/2") is None
    s.close()  # idempotent


# --- compare and swap ---------------------------------------------------------------------------


def test_compare_and_swap(store: MetaStore) -> None:
    assert store.compare_and_swap(b"k", None, b"v1") is True  # absent -> value
    assert store.get(b"k") == b"v1"
    assert store.compare_and_swap(b"k", None, b"v2") is False  # expected absent, is present
    assert store.compare_and_swap(b"k", b"nope", b"v2") is False
    assert store.get(b"k") == b"v1"
    assert store.compare_and_swap(b"k", b"v1", b"v2") is True  # value -> value
    assert store.get(b"k") == b"v2"
    assert store.compare_and_swap(b"k", b"v2", None) is True  # value -> delete
    assert store.get(b"k") is None
    assert store.compare_and_swap(b"k", b"v2", None) is False  # expected value, is absent
    assert store.compare_and_swap(b"k", None, None) is True  # absent stays absent
    assert store.get(b"k") is None


def test_compare_and_swap_counter_under_contention(store: MetaStore) -> None:
    def bump() -> None:
        for _ in range(25):
            while True:
                cur = store.get(b"n")
                new = str(int(cur or b"0") + 1).encode()
                if store.compare_and_swap(b"n", cur, new):
                    break

    threads = [threading.Thread(target=bump) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert store.get(b"n") == b"200"


# --- group commit -------------------------------------------------------------------------------


def test_group_commit_shares_transactions(store: MetaStore) -> None:
    def work(t: int) -> None:
        for i in range(20):
            store.commit([(b"g/%02d/%02d" % (t, i), b"%d" % i)])

    threads = [threading.Thread(target=work, args=(t,)) for t in range(32)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert 0 < store.transactions < 32 * 20
    rows = store.scan(b"g/", b"g0", 10_000)
    assert len(rows) == 640
    assert rows == sorted((b"g/%02d/%02d" % (t, i), b"%d" % i) for t in range(32) for i in range(20))


# --- damaged records ----------------------------------------------------------------------------


@pytest.mark.parametrize("damage", ["payload", "crc", "magic", "short"])
def test_damaged_record(store: MetaStore, db: str, damage: str) -> None:
    store.commit([(b"a", b"alpha"), (b"b", b"bravo"), (b"c", b"charlie")])
    stored = bytearray(raw(db).execute("SELECT v FROM kv WHERE k = ?", (b"b",)).fetchone()[0])
    if damage == "payload":
        stored[5] ^= 0x01
    elif damage == "crc":
        stored[-1] ^= 0x40
    elif damage == "magic":
        stored[:4] = b"XRM1"
    else:
        stored = stored[:3]
    conn = raw(db)
    conn.execute("UPDATE kv SET v = ? WHERE k = ?", (bytes(stored), b"b"))
    conn.close()
    with pytest.raises(RecordDamaged) as info:
        store.get(b"b")
    assert info.value.key == b"b"
    assert store.scan(b"", None, 10) == [(b"a", b"alpha"), (b"b", None), (b"c", b"charlie")]
    assert store.get(b"a") == b"alpha"
    with pytest.raises(RecordDamaged):
        store.compare_and_swap(b"b", b"bravo", b"new")
    store.commit([(b"b", b"repaired")])  # a plain write replaces a damaged record
    assert store.get(b"b") == b"repaired"


# --- drive failures -----------------------------------------------------------------------------


def test_directory_removed_after_open(tmp_path: Path) -> None:
    d = tmp_path / "drive"
    d.mkdir()
    s = MetaStore(str(d / "meta.db"), drive="d7")
    s.commit([(b"a", b"1")])
    assert s.get(b"a") == b"1"
    shutil.rmtree(d)
    with pytest.raises(DriveError) as info:
        within(5, lambda: s.get(b"a"))
    assert info.value.drive == "d7"
    with pytest.raises(DriveError):
        within(5, lambda: s.scan(b"", None, 10))
    with pytest.raises(DriveError):
        within(5, lambda: s.commit([(b"b", b"2")]))
    with pytest.raises(DriveError):
        within(5, lambda: s.compare_and_swap(b"a", b"1", b"2"))
    within(5, s.close)


def test_database_file_replaced(db: str) -> None:
    s = MetaStore(db, drive="d0")
    s.commit([(b"a", b"1")])
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.unlink(db + suffix)
    with MetaStore(db, drive="other") as fresh:  # someone else puts a new database there
        fresh.commit([(b"z", b"9")])
    with pytest.raises(DriveError, match="replaced"):
        s.get(b"a")
    with pytest.raises(DriveError):
        within(5, lambda: s.commit([(b"b", b"2")]))
    s.close()


def test_not_a_database(db: str) -> None:
    Path(db).write_bytes(os.urandom(64 * 1024))
    with pytest.raises(DriveError) as info:
        within(5, lambda: MetaStore(db, drive="d3"))
    assert info.value.drive == "d3"


def test_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(DriveError):
        MetaStore(str(tmp_path / "nope" / "meta.db"), drive="d0")


def test_malformed_database(db: str) -> None:
    with MetaStore(db, drive="d0") as s:
        s.commit([(b"%06d" % i, b"x" * 200) for i in range(200)])
    conn = raw(db)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'kv'").fetchone()[0]
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    with open(db, "r+b") as f:
        f.seek((root - 1) * page)
        f.write(b"\xa5" * page)
    s = MetaStore(db, drive="d0")
    with pytest.raises(DriveError, match="malformed"):
        within(5, lambda: s.get(b"000001"))
    with pytest.raises(DriveError):
        within(5, lambda: s.scan(b"", None, 10))
    with pytest.raises(DriveError):
        within(5, lambda: s.commit([(b"000001", b"y")]))
    s.close()


def _mount(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["mount", *args], capture_output=True, text=True, check=False)


def _umount(target: Path) -> None:
    if subprocess.run(["umount", str(target)], capture_output=True, check=False).returncode:
        subprocess.run(["umount", "-l", str(target)], capture_output=True, check=False)


def test_read_only_filesystem(tmp_path: Path) -> None:
    # A bind mount cannot be remounted read-only while files on it are open for writing
    # (the kernel says EBUSY), so the store is opened through a mount that is already
    # read-only, while a writer on the real path keeps the WAL files in place.
    src, ro = tmp_path / "src", tmp_path / "ro"
    src.mkdir()
    ro.mkdir()
    writer = MetaStore(str(src / "meta.db"), drive="rw")
    writer.commit([(b"a", b"1")])
    bind = _mount("--bind", str(src), str(ro))
    if bind.returncode:
        writer.close()
        pytest.skip(f"cannot bind-mount in this sandbox: {bind.stderr.strip()}")
    try:
        remount = _mount("-o", "remount,bind,ro", str(ro))
        if remount.returncode:
            pytest.skip(f"cannot remount read-only in this sandbox: {remount.stderr.strip()}")
        reader = within(5, lambda: MetaStore(str(ro / "meta.db"), drive="ro"))
        assert reader.get(b"a") == b"1"
        with pytest.raises(DriveError, match="readonly"):
            within(5, lambda: reader.commit([(b"b", b"2")]))
        with pytest.raises(DriveError):
            within(5, lambda: reader.compare_and_swap(b"a", b"1", b"3"))
        assert reader.scan(b"", None, 10) == [(b"a", b"1")]
        reader.close()
        writer.close()  # now no -wal/-shm: a cold open on a read-only drive fails cleanly
        with pytest.raises(DriveError):
            within(5, lambda: MetaStore(str(ro / "meta.db"), drive="ro"))
    finally:
        writer.close()
        _umount(ro)


def test_writes_rejected_after_open(db: str) -> None:
    # Root ignores permission bits, but not the immutable attribute: the filesystem then
    # refuses every write to the open database files.
    if shutil.which("chattr") is None:
        pytest.skip("chattr is not installed")
    s = MetaStore(db, drive="d0")
    s.commit([(b"a", b"1")])
    files = [db + suffix for suffix in ("", "-wal") if os.path.exists(db + suffix)]
    flag = subprocess.run(["chattr", "+i", *files], capture_output=True, text=True, check=False)
    if flag.returncode:
        s.close()
        pytest.skip(f"cannot set the immutable attribute here: {flag.stderr.strip()}")
    try:
        with pytest.raises(DriveError):
            within(5, lambda: s.commit([(b"b", b"2" * 100_000)]))
        assert s.get(b"a") == b"1"
    finally:
        subprocess.run(["chattr", "-i", *files], check=True)
    s.commit([(b"c", b"3")])  # the drive came back: the store recovers
    assert s.get(b"c") == b"3" and s.get(b"b") is None
    s.close()


def test_disk_full(tmp_path: Path) -> None:
    small = tmp_path / "small"
    small.mkdir()
    mounted = _mount("-t", "tmpfs", "-o", "size=1m", "tmpfs", str(small))
    if mounted.returncode:
        pytest.skip(f"cannot mount a small tmpfs in this sandbox: {mounted.stderr.strip()}")
    try:
        s = MetaStore(str(small / "meta.db"), drive="full")
        s.commit([(b"first", b"ok")])
        written = 0
        with pytest.raises(DriveError, match="full"):
            for i in range(100):
                within(5, lambda i=i: s.commit([(b"big%03d" % i, os.urandom(64 * 1024))]))  # type: ignore[misc]
                written += 1
        assert s.get(b"first") == b"ok"
        assert len(s.scan(b"big", b"bih", 1000)) == written
        with pytest.raises(DriveError):
            within(5, lambda: s.commit([(b"half", b"x"), (b"huge", os.urandom(2 << 20))]))
        assert s.get(b"half") is None
        s.close()
    finally:
        _umount(small)


# --- several stores on one file -----------------------------------------------------------------


def test_two_stores_on_one_file(db: str) -> None:
    a, b = MetaStore(db, drive="w1"), MetaStore(db, drive="w2")

    def work(s: MetaStore, tag: bytes) -> None:
        for i in range(30):
            s.commit([(tag + b"%02d" % i, tag)])

    threads = [
        threading.Thread(target=work, args=(s, b"%s%d/" % (n, t)))
        for s, n in ((a, b"a"), (b, b"b"))
        for t in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    for s in (a, b):
        rows = s.scan(b"", None, 1000)
        assert len(rows) == 240
        assert all(v is not None and k.startswith(v) for k, v in rows)
    a.close()
    b.close()


_CHILD = """
import sys, threading
from cairn.engine.metastore import MetaStore
path, tag = sys.argv[1], sys.argv[2]
store = MetaStore(path, drive=tag)
def work(t):
    for i in range(40):
        store.commit([(f"{tag}/{t}/{i:02}".encode(), tag.encode())])
threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
for t in threads: t.start()
for t in threads: t.join()
store.close()
"""


def test_two_processes_on_one_file(db: str) -> None:
    MetaStore(db, drive="parent").close()
    children = [
        subprocess.Popen([sys.executable, "-c", _CHILD, db, tag], stderr=subprocess.PIPE)
        for tag in ("p1", "p2")
    ]
    for child in children:
        _, err = child.communicate(timeout=30)
        assert child.returncode == 0, err.decode()
    with MetaStore(db, drive="parent") as s:
        assert len(s.scan(b"p1/", b"p10", 1000)) == 160
        assert len(s.scan(b"p2/", b"p20", 1000)) == 160


# --- lazy jobs ----------------------------------------------------------------------------------


def test_a_lazy_job_joins_the_next_group_in_order(store: MetaStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(metastore, "LAZY_SECONDS", 30.0)  # however slow this machine, it waits
    store.commit([(b"k", b"tombstone")])
    before = store.transactions
    lazy = store.submit_cas([(b"k", b"tombstone")], [(b"k", None)], lazy=True)
    # The next regular write expects what the lazy one leaves: it is applied after it, with it.
    assert store.submit_cas([(b"k", None)], [(b"k", b"new")]).wait() is True
    assert lazy.wait() is True
    assert store.get(b"k") == b"new"
    assert store.transactions == before + 1


def test_a_lazy_job_alone_commits_within_lazy_seconds(store: MetaStore) -> None:
    store.commit([(b"k", b"v")])
    before = store.transactions
    lazy = store.submit_cas([(b"k", b"v")], [(b"k", None)], lazy=True)
    assert within(metastore.LAZY_SECONDS + 5, lazy.wait) is True
    assert store.get(b"k") is None and store.transactions == before + 1


def test_a_lazy_job_is_committed_at_close(db: str) -> None:
    s = MetaStore(db, drive="d0")
    s.commit([(b"k", b"v")])
    s.submit_cas([(b"k", b"v")], [(b"k", None)], lazy=True)
    s.close()
    reopened = MetaStore(db, drive="d0")
    try:
        assert reopened.get(b"k") is None
    finally:
        reopened.close()
