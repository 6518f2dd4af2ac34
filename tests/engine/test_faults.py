"""Fault injection against the storage engine: lost drives, bitrot, damaged and stale metadata,
read-only and full drives, hostile names, failing bodies.

The invariant everywhere: a read returns exactly the bytes that were written, or raises an
engine error (DataCorrupted, ReadQuorumError, ...); it never returns wrong bytes.  Damage that
parity covers is served around and reported to ol.heal with the drive it was found on.

Small block_size / inline_max make multi-block shard files out of small objects.  Tests that
need privileges (bind mounts, tmpfs, chattr) skip with the reason when they are not available.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from cairn.engine.api import ObjectLayer, ObjectOptions
from cairn.engine.erasure import frame_size
from cairn.engine.errors import (
    ChecksumMismatch,
    DataCorrupted,
    DriveError,
    EngineError,
    FormatError,
    IncompleteBody,
    InvalidBucketName,
    InvalidObjectName,
    KeyTooLong,
    ObjectNotFound,
    ReadQuorumError,
    WriteQuorumError,
)
from cairn.engine.info import SHARD_FILE, ObjectInfo
from cairn.engine.layout import default_parity
from cairn.engine.records import object_key
from cairn.engine.shardfile import HEADER_SIZE, block_count, block_length, frame_offset

from .faulty import FaultyDrive
from .helpers import read

BS = 64 << 10  # block size
INLINE = 4 << 10  # inline limit
BUCKET = "faults"
SIZES = {"inline": 3001, "multi": 5 * BS + 12345}  # the multi object: 6 blocks, the last partial
KINDS = ("inline", "multi")
READ_FAILURES = (ReadQuorumError, DataCorrupted)



# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------


def payload(n: int, seed: int | str) -> bytes:
    return random.Random(seed).randbytes(n)


def make_drives(base: Path, n: int) -> list[str]:
    paths = [base / f"d{i}" for i in range(n)]
    for p in paths:
        p.mkdir(parents=True, exist_ok=True)
    return [str(p) for p in paths]


def open_layer(drives: list[str], **kw: object) -> ObjectLayer:
    kw.setdefault("sync", "relaxed")
    return ObjectLayer.open(drives, block_size=BS, inline_max=INLINE, **kw)  # type: ignore[arg-type]


def ranges(size: int) -> list[tuple[int, int | None]]:
    out: list[tuple[int, int | None]] = [(0, None), (0, size), (size - 1, 1), (size // 2, None)]
    if size > BS:
        out += [(BS - 10, 20), (BS, BS), (2 * BS + 5, 2 * BS + 17), (size - 7, 7), (3 * BS - 1, None)]
    else:
        out += [(123, 1000), (1, size - 2)]
    return out


def check_reads(ol: ObjectLayer, key: str, data: bytes) -> None:
    """Every range of the object reads back exactly (get_object and streamed blocks)."""
    for start, length in ranges(len(data)):
        want = data[start:] if length is None else data[start : start + length]
        got = read(ol, BUCKET, key, start, length)
        assert got == want, f"wrong bytes for range start={start} length={length}"
    streamed = b"".join(bytes(v) for v in ol.get_object(BUCKET, key).blocks())
    assert streamed == data


def partial_read(ol: ObjectLayer, key: str) -> tuple[bytes, BaseException | None]:
    """Stream the object until it fails: (bytes received, the error or None)."""
    got = bytearray()
    try:
        for view in ol.get_object(BUCKET, key).blocks():
            got += view
    except EngineError as exc:
        return bytes(got), exc
    return bytes(got), None


def reported(ol: ObjectLayer, key: str) -> dict[int, set[str]]:
    """Drain the heal queue: drive index -> reasons reported for `key`."""
    out: dict[int, set[str]] = {}
    for item in ol.heal.drain():
        assert item.bucket == BUCKET
        if item.key == key:
            for d in item.drives:
                out.setdefault(d, set()).add(item.reason)
    return out


def part_path(drive: str, data_id: str) -> str:
    return os.path.join(drive, ".cairn", "data", data_id[:2], data_id, SHARD_FILE)


def flip(path: str, offset: int, mask: int = 0x5A) -> None:
    with open(path, "r+b") as f:
        f.seek(offset)
        b = f.read(1)
        assert len(b) == 1, f"{path} has no byte {offset}"
        f.seek(offset)
        f.write(bytes([b[0] ^ mask]))


def tmp_entries(drives: list[str]) -> dict[str, list[str]]:
    out = {}
    for d in drives:
        tmp = os.path.join(d, ".cairn", "tmp")
        if os.path.isdir(tmp):
            out[d] = sorted(os.listdir(tmp))
    return out


def assert_tmp_empty(drives: list[str]) -> None:
    leftovers = {d: e for d, e in tmp_entries(drives).items() if e}
    assert not leftovers, f"staging leftovers in .cairn/tmp: {leftovers}"


def data_ids(drives: list[str]) -> set[tuple[str, str]]:
    """(drive, data_id) of every object data directory."""
    out = set()
    for d in drives:
        root = os.path.join(d, ".cairn", "data")
        if not os.path.isdir(root):
            continue
        for aa in os.listdir(root):
            for data_id in os.listdir(os.path.join(root, aa)):
                out.add((d, data_id))
    return out


class Env:
    """A deployment with one object `key` of the given kind."""

    def __init__(self, base: Path, kind: str, n: int = 4, parity: int | None = None, seed: int = 1) -> None:
        self.drives = make_drives(base / "drives", n)
        self.parity = parity
        self.ol = open_layer(self.drives, parity=parity)
        self.ol.create_bucket(BUCKET)
        self.key = f"obj-{kind}"
        self.data = payload(SIZES[kind], seed)
        self.meta = self.ol.put_object(BUCKET, self.key, self.data)
        assert (self.meta.data_id is None) == (kind == "inline")
        assert self.meta.size == len(self.data)

    @property
    def k(self) -> int:
        return self.meta.data_shards

    @property
    def m(self) -> int:
        return self.meta.parity_shards

    def shard_drive(self, shard: int) -> int:
        return self.meta.distribution[shard]

    def part(self, shard: int) -> str:
        assert self.meta.data_id is not None
        return part_path(self.drives[self.shard_drive(shard)], self.meta.data_id)

    def reopen(self) -> None:
        self.ol.close()
        self.ol = open_layer(self.drives, parity=self.parity)

    def close(self) -> None:
        self.ol.close()


@pytest.fixture
def envs(tmp_path: Path) -> Iterator[list[Env]]:
    made: list[Env] = []
    yield made
    for env in made:
        with contextlib.suppress(Exception):
            env.close()


MakeEnv = Callable[..., Env]


@pytest.fixture
def make_env(tmp_path: Path, envs: list[Env]) -> MakeEnv:
    def make(kind: str, n: int = 4, parity: int | None = None) -> Env:
        env = Env(tmp_path / f"env{len(envs)}", kind, n, parity)
        envs.append(env)
        return env

    return make


def run(*cmd: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, check=False)


@contextlib.contextmanager
def read_only_bind_mount(path: str) -> Iterator[None]:
    """Make `path` a read-only bind mount of itself; skip the test if mounting is not permitted."""
    r = run("mount", "--bind", path, path)
    if r.returncode:
        pytest.skip(f"mount --bind not permitted here: {r.stderr.strip()}")
    try:
        r = run("mount", "-o", "remount,bind,ro", path)
        if r.returncode:
            pytest.skip(f"read-only remount not permitted here: {r.stderr.strip()}")
        yield
    finally:
        if run("umount", path).returncode:
            run("umount", "-l", path)


@contextlib.contextmanager
def tmpfs(path: str, size: str = "2m") -> Iterator[None]:
    r = run("mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", path)
    if r.returncode:
        pytest.skip(f"mounting a tmpfs is not permitted here: {r.stderr.strip()}")
    try:
        yield
    finally:
        if run("umount", path).returncode:
            run("umount", "-l", path)


def _immutable_targets(drive: str) -> list[str]:
    # Not the SQLite -shm file: SQLite maps it shared, and a store to a mapped page of an immutable
    # file is a SIGBUS.  A real read-only mount cannot reach that state (remounting read-only fails
    # while files are open for writing), so the shm file staying writable is the realistic model.
    out = [drive]
    for root, dirs, files in os.walk(drive):
        out += [os.path.join(root, n) for n in dirs + files if not n.endswith("-shm")]
    return out


@contextlib.contextmanager
def read_only_metadata(drive: str) -> Iterator[None]:
    """Make the drive's metadata database refuse writes (chattr +i on meta.db and its WAL); reads work."""
    targets = [os.path.join(drive, ".cairn", n) for n in ("meta.db", "meta.db-wal")]
    targets = [t for t in targets if os.path.exists(t)]
    r = run("chattr", "+i", targets[0])
    if r.returncode:
        pytest.skip(f"chattr +i is not supported here: {r.stderr.strip()}")
    try:
        for t in targets[1:]:
            assert run("chattr", "+i", t).returncode == 0
        yield
    finally:
        for t in targets:
            run("chattr", "-i", t)


@contextlib.contextmanager
def read_only_drive(drive: str) -> Iterator[None]:
    """Make a drive read-only while the engine has it open: chattr +i on its directories and files.

    A read-only bind mount cannot be used here: remounting it read-only fails (EBUSY) while the
    engine holds files open for writing (test_read_only_drive_at_open covers a drive read-only
    from the start).  As root, chmod would not stop writes.
    """
    targets = _immutable_targets(drive)
    r = run("chattr", "+i", drive)
    if r.returncode:
        pytest.skip(f"chattr +i is not supported here: {r.stderr.strip()}")
    try:
        for t in targets[1:]:
            r = run("chattr", "+i", t)
            assert r.returncode == 0, r.stderr
        yield
    finally:
        for t in targets:
            run("chattr", "-i", t)


# --------------------------------------------------------------------------
# lost drives
# --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_drive_removed_while_open(make_env: MakeEnv, kind: str) -> None:
    env = make_env(kind)
    assert (env.k, env.m) == (2, default_parity(4))
    gone = []
    for shard in range(env.m):  # lose the drives of the data shards, one after the other
        drive = env.shard_drive(shard)
        shutil.rmtree(env.drives[drive])
        gone.append(drive)
        check_reads(env.ol, env.key, env.data)
        assert env.ol.head_object(BUCKET, env.key).etag == env.meta.etag
        found = reported(env.ol, env.key)
        assert set(gone) <= set(found), f"lost drives {gone} not all reported: {found}"
    # One more than parity: a clear error, never bytes.
    shutil.rmtree(env.drives[env.shard_drive(env.m)])
    for start, length in ranges(len(env.data)):
        with pytest.raises(READ_FAILURES):
            read(env.ol, BUCKET, env.key, start, length)


@pytest.mark.parametrize("kind", KINDS)
def test_drives_removed_before_reopen(make_env: MakeEnv, kind: str) -> None:
    env = make_env(kind)
    env.close()
    gone = [env.shard_drive(0), env.shard_drive(env.k)]  # a data and a parity shard
    for d in gone:
        shutil.rmtree(env.drives[d])
    env.ol = open_layer(env.drives)
    assert [dr.online for dr in env.ol.deployment.drives] == [i not in gone for i in range(4)]
    check_reads(env.ol, env.key, env.data)
    assert set(gone) <= set(reported(env.ol, env.key))
    env.close()
    # Three of four gone: the deployment refuses to start rather than guess.
    shutil.rmtree(env.drives[env.shard_drive(1)])
    with pytest.raises(FormatError):
        open_layer(env.drives)
    assert not os.path.exists(env.drives[gone[0]]), "an offline drive must not be re-created"


@pytest.mark.parametrize("kind", KINDS)
def test_drives_removed_before_reopen_beyond_parity(make_env: MakeEnv, kind: str) -> None:
    env = make_env(kind, n=6, parity=2)  # 4 + 2: three drives left still make half the set
    assert (env.k, env.m) == (4, 2)
    env.close()
    for shard in (0, 1, 4):
        shutil.rmtree(env.drives[env.shard_drive(shard)])
    env.ol = open_layer(env.drives, parity=2)
    for start, length in ranges(len(env.data)):
        with pytest.raises(READ_FAILURES):
            read(env.ol, BUCKET, env.key, start, length)


def test_put_does_not_recreate_a_vanished_drive(make_env: MakeEnv) -> None:
    env = make_env("multi")
    victim = env.drives[0]
    shutil.rmtree(victim)  # e.g. the disk was unmounted under a mount point
    data = payload(SIZES["multi"], "after")
    env.ol.put_object(BUCKET, "after", data)
    assert read(env.ol, BUCKET, "after") == data
    assert not os.path.exists(victim), f"PUT re-created {victim} and wrote into it"


# --------------------------------------------------------------------------
# bitrot in shard files
# --------------------------------------------------------------------------


def _frame_start(env: Env, block: int) -> int:
    return frame_offset(block, BS, env.k)


@pytest.mark.parametrize(
    "where",
    ["frame-data", "frame-crc", "last-frame-data", "header-magic", "header-version", "header-block-size"],
)
def test_shard_bitrot_on_one_drive(make_env: MakeEnv, where: str) -> None:
    env = make_env("multi")
    last = block_count(len(env.data), BS) - 1
    offset = {
        "frame-data": _frame_start(env, 2) + 4 + 777,
        "frame-crc": _frame_start(env, 2) + 1,
        "last-frame-data": _frame_start(env, last) + 4 + 3,
        "header-magic": 0,
        "header-version": 4,
        "header-block-size": 9,
    }[where]
    victim = env.shard_drive(0)  # a data shard: reads use it whenever it verifies
    flip(env.part(0), offset)
    check_reads(env.ol, env.key, env.data)
    found = reported(env.ol, env.key)
    assert found.keys() == {victim}, found
    assert found[victim] == {"shard missing or damaged"}


def test_shard_bitrot_on_every_data_shard_within_parity(make_env: MakeEnv) -> None:
    env = make_env("multi")
    for shard in range(env.k):
        flip(env.part(shard), _frame_start(env, 1) + 4 + 10 * shard)
        flip(env.part(shard), _frame_start(env, 4) + 4 + 1000)
    check_reads(env.ol, env.key, env.data)
    assert set(reported(env.ol, env.key)) == {env.shard_drive(s) for s in range(env.k)}


@pytest.mark.parametrize("where", ["frame-data", "frame-crc"])
def test_shard_bitrot_beyond_parity(make_env: MakeEnv, where: str) -> None:
    env = make_env("multi")
    bad_block = 3
    delta = 4 + 55 if where == "frame-data" else 2
    for shard in range(env.m + 1):  # m + 1 frames of the same block
        flip(env.part(shard), _frame_start(env, bad_block) + delta)
    got, error = partial_read(env.ol, env.key)
    assert isinstance(error, DataCorrupted), error
    assert got == env.data[: len(got)], "wrong bytes before the failure"
    assert len(got) <= bad_block * BS
    with pytest.raises(DataCorrupted):
        read(env.ol, BUCKET, env.key)
    with pytest.raises(DataCorrupted):
        read(env.ol, BUCKET, env.key, bad_block * BS + 100, 10)
    with pytest.raises(DataCorrupted):
        read(env.ol, BUCKET, env.key, bad_block * BS - 5, 10)
    # Blocks that verify are still served.
    assert read(env.ol, BUCKET, env.key, 0, bad_block * BS) == env.data[: bad_block * BS]
    tail = (bad_block + 1) * BS
    assert read(env.ol, BUCKET, env.key, tail) == env.data[tail:]


def test_shard_bitrot_on_every_shard(make_env: MakeEnv) -> None:
    env = make_env("multi")
    for shard in range(env.k + env.m):
        flip(env.part(shard), HEADER_SIZE + 4 + shard)  # block 0, every shard
    with pytest.raises(DataCorrupted):
        read(env.ol, BUCKET, env.key, 0, 1)


# --------------------------------------------------------------------------
# truncated / deleted shard files
# --------------------------------------------------------------------------


def _damage_part(env: Env, shard: int, how: str) -> None:
    path = env.part(shard)
    if how == "truncate-mid-frame":
        os.truncate(path, _frame_start(env, 3) + 10)
    elif how == "truncate-last-byte":
        os.truncate(path, os.path.getsize(path) - 1)
    elif how == "truncate-header":
        os.truncate(path, HEADER_SIZE - 3)
    elif how == "empty":
        os.truncate(path, 0)
    elif how == "delete":
        os.unlink(path)
    elif how == "delete-dir":
        shutil.rmtree(os.path.dirname(path))
    else:
        raise AssertionError(how)


DAMAGE = ["truncate-mid-frame", "truncate-last-byte", "truncate-header", "empty", "delete", "delete-dir"]


@pytest.mark.parametrize("how", DAMAGE)
def test_shard_file_damaged_on_one_drive(make_env: MakeEnv, how: str) -> None:
    env = make_env("multi")
    size = os.path.getsize(env.part(0))
    last = block_count(len(env.data), BS) - 1
    blocks = range(last + 1)
    expected = HEADER_SIZE + sum(frame_size(block_length(b, len(env.data), BS), env.k) for b in blocks)
    assert size == expected  # the documented layout
    _damage_part(env, 0, how)
    check_reads(env.ol, env.key, env.data)
    assert set(reported(env.ol, env.key)) == {env.shard_drive(0)}


@pytest.mark.parametrize("how", ["truncate-mid-frame", "delete", "empty"])
def test_shard_files_damaged_beyond_parity(make_env: MakeEnv, how: str) -> None:
    env = make_env("multi")
    for shard in (0, 2, 3):
        _damage_part(env, shard, how)
    got, error = partial_read(env.ol, env.key)
    assert isinstance(error, DataCorrupted), error
    assert got == env.data[: len(got)]
    with pytest.raises(DataCorrupted):
        read(env.ol, BUCKET, env.key, len(env.data) - 10, 10)


# --------------------------------------------------------------------------
# damaged and stale metadata
# --------------------------------------------------------------------------


def meta_db(drive: str) -> str:
    return os.path.join(drive, ".cairn", "meta.db")


def damage_record_update(drive: str, key: str, at: float = 0.5) -> None:
    """Flip one byte of the object's stored value through SQLite (silent damage, as the record sees it)."""
    k = object_key(BUCKET, key)
    with contextlib.closing(sqlite3.connect(meta_db(drive), isolation_level=None, timeout=10)) as conn:
        (v,) = conn.execute("SELECT v FROM kv WHERE k = ?", (k,)).fetchone()
        i = int(len(v) * at)
        damaged = v[:i] + bytes([v[i] ^ 0x20]) + v[i + 1 :]
        conn.execute("UPDATE kv SET v = ? WHERE k = ?", (damaged, k))


def damage_record_in_file(drive: str, needle: bytes) -> None:
    """Flip one byte of `needle` (part of the stored value) in the raw database file (layer closed)."""
    path = meta_db(drive)
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = bytearray(Path(path).read_bytes())
    hits = []
    at = raw.find(needle)
    while at >= 0:
        hits.append(at)
        at = raw.find(needle, at + 1)
    assert hits, "record bytes not found in the database file"
    for at in hits:
        raw[at + len(needle) // 2] ^= 0x01
    Path(path).write_bytes(bytes(raw))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("n_damaged", [1, 2])
def test_metadata_damaged_within_parity(make_env: MakeEnv, kind: str, n_damaged: int) -> None:
    env = make_env(kind)
    victims = [env.shard_drive(s) for s in range(n_damaged)]  # the drives of data shards
    for d in victims:
        damage_record_update(env.drives[d], env.key, at=0.3 if d % 2 else 0.9)
    check_reads(env.ol, env.key, env.data)
    assert env.ol.head_object(BUCKET, env.key) == env.meta
    found = reported(env.ol, env.key)
    assert set(victims) <= set(found)
    assert all("metadata" in found[d] for d in victims), found
    listed = env.ol.list_objects(BUCKET).objects
    assert [(o.key, o.etag) for o in listed] == [(env.key, env.meta.etag)]


@pytest.mark.parametrize("kind", KINDS)
def test_metadata_bytes_flipped_in_database_file(make_env: MakeEnv, kind: str) -> None:
    env = make_env(kind)
    env.close()
    victim = env.shard_drive(0)
    damage_record_in_file(env.drives[victim], env.meta.etag.encode())
    env.ol = open_layer(env.drives)
    check_reads(env.ol, env.key, env.data)
    found = reported(env.ol, env.key)
    assert "metadata" in found.get(victim, set()), found


@pytest.mark.parametrize("kind", KINDS)
def test_metadata_damaged_beyond_parity(make_env: MakeEnv, kind: str) -> None:
    env = make_env(kind)
    for d in range(env.m + 1):
        damage_record_update(env.drives[d], env.key)
    for start, length in ranges(len(env.data))[:4]:
        with pytest.raises(READ_FAILURES):
            read(env.ol, BUCKET, env.key, start, length)
    with pytest.raises(READ_FAILURES):
        env.ol.head_object(BUCKET, env.key)


def _db_files(drive: str) -> list[str]:
    return [meta_db(drive) + suffix for suffix in ("", "-wal", "-shm")]


def make_stale(env: Env, backup: Path, stale: list[int], new: bytes) -> ObjectInfo:
    """Overwrite env.key with `new` while the meta.db of the `stale` drives is rolled back to before."""
    env.close()
    for d in stale:
        for f in _db_files(env.drives[d]):
            if os.path.exists(f):
                (backup / str(d)).mkdir(parents=True, exist_ok=True)
                shutil.copy2(f, backup / str(d) / os.path.basename(f))
    env.ol = open_layer(env.drives)
    new_meta = env.ol.put_object(BUCKET, env.key, new)
    env.close()
    for d in stale:
        for f in _db_files(env.drives[d]):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(f)
        for saved in (backup / str(d)).iterdir():
            shutil.copy2(saved, os.path.join(env.drives[d], ".cairn", saved.name))
    env.ol = open_layer(env.drives)
    return new_meta


# Drives 0 and 1 hold the stale replicas: the lowest drive indexes, so that a vote that does not
# look at the age of the records meets the stale version first.


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("n_stale", [1, 2])
def test_stale_metadata_replica_is_outvoted(
    make_env: MakeEnv, tmp_path: Path, kind: str, n_stale: int
) -> None:
    env = make_env(kind)
    stale = list(range(n_stale))
    new = payload(SIZES[kind] + 1000, "new")
    new_meta = make_stale(env, tmp_path / "backup", stale, new)
    check_reads(env.ol, env.key, new)
    assert env.ol.head_object(BUCKET, env.key) == new_meta
    found = reported(env.ol, env.key)
    assert all("stale metadata" in found.get(d, set()) for d in stale), found


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("n_stale", [1, 2])
def test_listing_agrees_with_get_on_stale_replicas(
    make_env: MakeEnv, tmp_path: Path, kind: str, n_stale: int
) -> None:
    env = make_env(kind)
    new = payload(SIZES[kind] + 1000, "new")
    new_meta = make_stale(env, tmp_path / "backup", list(range(n_stale)), new)
    assert read(env.ol, BUCKET, env.key) == new
    listed = env.ol.list_objects(BUCKET).objects
    assert [(o.key, o.etag, o.size) for o in listed] == [(env.key, new_meta.etag, len(new))]


def test_damaged_metadata_database_file_at_open(make_env: MakeEnv) -> None:
    env = make_env("inline")
    env.close()
    victim = env.drives[env.shard_drive(0)]
    for f in _db_files(victim)[1:]:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(f)
    Path(meta_db(victim)).write_bytes(payload(8192, "garbage"))  # not an SQLite file any more
    env.ol = open_layer(env.drives)
    check_reads(env.ol, env.key, env.data)


# --------------------------------------------------------------------------
# failing metadata commits
# --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_put_failing_metadata_commit_keeps_old_object(make_env: MakeEnv, kind: str) -> None:
    """Two of four drives accept shard files but cannot commit metadata: below the write quorum of 3."""
    env = make_env(kind)
    with contextlib.ExitStack() as stack:
        for d in env.drives[2:]:
            stack.enter_context(read_only_metadata(d))
        with pytest.raises(WriteQuorumError):
            env.ol.put_object(BUCKET, env.key, payload(SIZES[kind], "failed"))
        check_reads(env.ol, env.key, env.data)


# --------------------------------------------------------------------------
# read-only drives
# --------------------------------------------------------------------------


def test_read_only_drive_at_open(make_env: MakeEnv) -> None:
    env = make_env("multi")
    env.close()
    with read_only_bind_mount(env.drives[1]):
        env.ol = open_layer(env.drives)
        try:
            check_reads(env.ol, env.key, env.data)
            for kind in KINDS:
                data = payload(SIZES[kind], f"ro-{kind}")
                env.ol.put_object(BUCKET, f"new-{kind}", data)
                check_reads(env.ol, f"new-{kind}", data)
        finally:
            env.close()


@pytest.mark.parametrize(
    ("kind", "n_ro"),
    [
        ("inline", 1),
        ("multi", 1),
        ("inline", 2),
        ("multi", 2),
    ],
)
def test_read_only_drives_while_open(make_env: MakeEnv, kind: str, n_ro: int) -> None:
    env = make_env(kind)
    ro = env.drives[:n_ro]
    new = payload(SIZES[kind] + 77, "ro-new")
    with contextlib.ExitStack() as stack:
        for d in ro:
            stack.enter_context(read_only_drive(d))
        if len(env.drives) - n_ro >= env.ol.sets[0].meta.write_quorum:
            meta = env.ol.put_object(BUCKET, env.key, new)
            check_reads(env.ol, env.key, new)
            assert env.ol.head_object(BUCKET, env.key) == meta
            found = reported(env.ol, env.key)
            assert 0 in found, found
            expected = new
        else:
            with pytest.raises(WriteQuorumError):
                env.ol.put_object(BUCKET, env.key, new)
            check_reads(env.ol, env.key, env.data)
            assert env.ol.head_object(BUCKET, env.key) == env.meta
            expected = env.data
        assert_tmp_empty(env.drives[n_ro:])
    check_reads(env.ol, env.key, expected)
    env.reopen()
    check_reads(env.ol, env.key, expected)
    assert_tmp_empty(env.drives)


# --------------------------------------------------------------------------
# hostile names
# --------------------------------------------------------------------------


def snapshot(root: Path) -> set[str]:
    out = set()
    for dirpath, dirs, files in os.walk(root):
        for n in dirs + files:
            out.add(os.path.relpath(os.path.join(dirpath, n), root))
    return out


HOSTILE_KEYS = [
    "../../etc/passwd",
    "a/../../b",
    "/abs",
    "/etc/shadow",
    "..",
    ".",
    "../",
    "./.cairn/meta.db",
    ".cairn/format.json",
    "../" * 300,
    "a\\..\\..\\b",
    "~root/x",
    "%2e%2e/%2e%2e/x",
    "dir/",
    "//double//slash",
    "x" * 1024,
    "é" * 512,  # 1024 bytes of UTF-8
    "\U0001d11e" * 256,  # 1024 bytes of 4-byte characters
    "new\nline\ttab\r",
    "\u202e..\u202d",
]


def test_hostile_keys_never_touch_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    drives = make_drives(tmp_path / "srv" / "drives", 4)
    outside = tmp_path / "srv" / "outside"
    outside.mkdir()
    (outside / "sentinel").write_bytes(b"keep")
    cwd = tmp_path / "srv" / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    ol = open_layer(drives)
    try:
        ol.create_bucket(BUCKET)
        before = snapshot(tmp_path)
        bodies = {}
        for i, key in enumerate(HOSTILE_KEYS):
            kind = KINDS[i % 2]
            bodies[key] = payload(SIZES[kind] + i, key)
            ol.put_object(BUCKET, key, bodies[key])
        for key, body in bodies.items():
            assert read(ol, BUCKET, key) == body, repr(key)
            assert ol.head_object(BUCKET, key).size == len(body)
        listed = [o.key for o in ol.list_objects(BUCKET).objects]
        assert listed == sorted(HOSTILE_KEYS, key=lambda k: k.encode())
        after = snapshot(tmp_path)
        cairn_dirs = [os.path.relpath(os.path.join(d, ".cairn"), tmp_path) for d in drives]
        created = after - before
        assert created, "objects of several blocks must create shard files"
        stray = [p for p in created if not any(p.startswith(c + os.sep) for c in cairn_dirs)]
        assert not stray, f"files created outside <drive>/.cairn: {stray}"
        removed = before - after
        assert all(any(p.startswith(c + os.sep) for c in cairn_dirs) for p in removed), removed
        assert (outside / "sentinel").read_bytes() == b"keep"
        assert os.listdir(cwd) == []
        for key in HOSTILE_KEYS:
            assert ol.delete_object(BUCKET, key)
        assert ol.list_objects(BUCKET).objects == []
        leftover = {p for p in snapshot(tmp_path) - before if "/.cairn/data/" not in f"/{p}/"}
        assert not leftover, leftover
    finally:
        ol.close()


def test_invalid_names_are_refused(tmp_path: Path) -> None:
    drives = make_drives(tmp_path / "drives", 4)
    ol = open_layer(drives)
    try:
        ol.create_bucket(BUCKET)
        before = snapshot(tmp_path)
        with pytest.raises(KeyTooLong):
            ol.put_object(BUCKET, "x" * 1025, b"data")
        with pytest.raises(KeyTooLong):
            ol.put_object(BUCKET, "é" * 513, b"data")
        for bad in ["a\x00b", "\x00", "../\x00/etc"]:
            with pytest.raises(InvalidObjectName) as info:
                ol.put_object(BUCKET, bad, b"data")
            assert not isinstance(info.value, KeyTooLong)
        with pytest.raises(InvalidObjectName):
            ol.put_object(BUCKET, "", b"data")
        with pytest.raises(InvalidObjectName):
            ol.put_object(BUCKET, "lone\udc80surrogate", b"data")
        for op in (ol.get_object, ol.head_object, ol.delete_object):
            with pytest.raises(InvalidObjectName):
                op(BUCKET, "a\x00b")
            with pytest.raises(KeyTooLong):
                op(BUCKET, "y" * 1025)
        bad_buckets = [
            "", "ab", "a" * 64, "ABC", "Bucket", "../etc", "..", "a..b", "a/b", "a\\b", "-abc", "abc-",
            ".abc", "abc.", "ab_c", "a.-b", "a-.b", "192.168.1.1", "xn--abc", "sthree-x", "abc-s3alias",
            "abc--ol-s3", "a\x00bc", "ab c", "/abs", "\nabc", "ab\ncd",
        ]  # fmt: skip
        for bad in bad_buckets:
            with pytest.raises(InvalidBucketName):
                ol.create_bucket(bad)
        assert [b.name for b in ol.list_buckets()[0]] == [BUCKET]
        with pytest.raises(ObjectNotFound):
            ol.head_object(BUCKET, "x" * 1024)
        assert snapshot(tmp_path) == before, "refused names must not create anything"
    finally:
        ol.close()


@pytest.mark.parametrize("bucket", ["abc\n", "a" * 63 + "\n"])
def test_bucket_name_with_trailing_newline_is_refused(tmp_path: Path, bucket: str) -> None:
    ol = open_layer(make_drives(tmp_path, 4))
    try:
        with pytest.raises(InvalidBucketName):
            ol.create_bucket(bucket)
    finally:
        ol.close()


# --------------------------------------------------------------------------
# failing bodies
# --------------------------------------------------------------------------


class Boom(Exception):
    pass


def failing_body(data: bytes, fail_at: int, piece: int = 10_000) -> Iterator[bytes]:
    for i in range(0, fail_at, piece):
        yield data[i : min(i + piece, fail_at)]
    raise Boom("client went away")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("fresh", [False, True], ids=["overwrite", "fresh"])
@pytest.mark.parametrize("failure", ["raises", "short", "long", "md5", "crc32c"])
def test_failed_body_changes_nothing(make_env: MakeEnv, kind: str, fresh: bool, failure: str) -> None:
    env = make_env(kind)
    key = "fresh" if fresh else env.key
    new = payload(SIZES[kind] + 4321 if kind == "multi" else SIZES[kind], "new body")
    ids_before = data_ids(env.drives)
    if failure == "raises":
        with pytest.raises(Boom):
            env.ol.put_object(BUCKET, key, failing_body(new, len(new) * 2 // 3))
    elif failure == "short":
        with pytest.raises(IncompleteBody):
            env.ol.put_object(BUCKET, key, new[:-1], ObjectOptions(size=len(new)))
    elif failure == "long":
        with pytest.raises(IncompleteBody):
            env.ol.put_object(BUCKET, key, iter([new, b"!"]), ObjectOptions(size=len(new)))
    elif failure == "md5":
        with pytest.raises(ChecksumMismatch):
            env.ol.put_object(BUCKET, key, new, ObjectOptions(expected={"md5": bytes(16)}))
    else:
        with pytest.raises(ChecksumMismatch):
            env.ol.put_object(BUCKET, key, new, ObjectOptions(expected={"crc32c": b"\0\0\0\0"}))
    assert_tmp_empty(env.drives)
    assert data_ids(env.drives) == ids_before, "data of the failed PUT left in .cairn/data"
    if fresh:
        with pytest.raises(ObjectNotFound):
            env.ol.head_object(BUCKET, key)
        assert [o.key for o in env.ol.list_objects(BUCKET).objects] == [env.key]
    check_reads(env.ol, env.key, env.data)
    assert env.ol.head_object(BUCKET, env.key) == env.meta
    assert reported(env.ol, env.key) == {}
    # and the layer still works
    env.ol.put_object(BUCKET, key, new, ObjectOptions(size=len(new)))
    check_reads(env.ol, key, new)


# --------------------------------------------------------------------------
# full drives
# --------------------------------------------------------------------------


def fill(path: str) -> None:
    with open(os.path.join(path, "filler"), "wb") as f:
        with contextlib.suppress(OSError):
            while True:
                f.write(b"\xee" * 65536)
        with contextlib.suppress(OSError):
            f.flush()


def test_disk_full_single_drive(tmp_path: Path) -> None:
    (drive,) = make_drives(tmp_path, 1)
    with tmpfs(drive):
        ol = open_layer([drive])
        try:
            ol.create_bucket(BUCKET)
            old = {k: payload(SIZES[k], f"old-{k}") for k in KINDS}
            for kind, data in old.items():
                ol.put_object(BUCKET, kind, data)
            fill(drive)
            assert shutil.disk_usage(drive).free < BS
            outcomes = {}
            for kind in KINDS:
                for key in (kind, f"fresh-{kind}"):
                    new = payload(SIZES[kind] * 3, key)
                    try:
                        ol.put_object(BUCKET, key, new)
                    except (WriteQuorumError, DriveError) as exc:
                        outcomes[key] = type(exc).__name__
                    else:  # metadata alone can still fit in the space SQLite holds
                        outcomes[key] = "stored"
                        assert kind == "inline", "a shard file cannot be written to a full drive"
                        assert read(ol, BUCKET, key) == new
                    assert_tmp_empty([drive])
            print("PUT outcomes on a full single drive:", outcomes)
            assert outcomes["multi"] == outcomes["fresh-multi"] == "WriteQuorumError"
            for kind, data in old.items():
                if outcomes[kind] != "stored":
                    check_reads(ol, kind, data)
            for kind in KINDS:
                if outcomes[f"fresh-{kind}"] != "stored":
                    with pytest.raises(ObjectNotFound):
                        ol.head_object(BUCKET, f"fresh-{kind}")
            # Space comes back: writes work again without a restart.
            os.unlink(os.path.join(drive, "filler"))
            for kind in KINDS:
                again = payload(SIZES[kind], f"again-{kind}")
                ol.put_object(BUCKET, kind, again)
                check_reads(ol, kind, again)
            assert_tmp_empty([drive])
        finally:
            ol.close()


@pytest.mark.parametrize("check", ["serves", "staging"])
def test_disk_full_one_drive_of_four(tmp_path: Path, check: str) -> None:
    drives = make_drives(tmp_path, 4)
    with tmpfs(drives[0]):
        ol = open_layer(drives)
        try:
            ol.create_bucket(BUCKET)
            old = {k: payload(SIZES[k], f"old-{k}") for k in KINDS}
            for kind, data in old.items():
                ol.put_object(BUCKET, kind, data)
            fill(drives[0])
            for kind in KINDS:
                for key in (kind, f"fresh-{kind}"):
                    new = payload(SIZES[kind] * 3, key)
                    ol.put_object(BUCKET, key, new)  # within parity: the PUT succeeds
                    check_reads(ol, key, new)
                    if kind == "multi":
                        assert 0 in reported(ol, key)
            if check == "staging":
                assert_tmp_empty(drives)
        finally:
            ol.close()


# --------------------------------------------------------------------------
# short writes
# --------------------------------------------------------------------------


def test_short_write_is_not_acknowledged(make_env: MakeEnv) -> None:
    """Three of four drives fill up while the last frame is written: the write that overflows
    stores what fits and fails with ENOSPC, as write(2) does; the PUT must fail, not be acknowledged."""
    env = make_env("multi")
    new = payload(SIZES["multi"] + 999, "short")
    nblocks = block_count(len(new), BS)
    file_size = HEADER_SIZE + sum(frame_size(block_length(b, len(new), BS), env.k) for b in range(nblocks))
    env.ol.close()
    env.ol = open_layer(env.drives, parity=env.parity, storage=FaultyDrive)
    filling = {os.path.abspath(d) for d in env.drives[:3]}
    full = [d for d in env.ol.drives if isinstance(d, FaultyDrive) and d.name in filling]
    assert len(full) == 3
    for drive in full:
        drive.fill(free=file_size - 1)  # the drive is full one byte before the end of the shard file
    try:
        env.ol.put_object(BUCKET, env.key, new)
    except WriteQuorumError:
        stored = False
    else:
        stored = True
    assert any(d.free == 0 for d in full), "no drive filled up: the short write never happened"
    for drive in full:
        drive.clear()
    check_reads(env.ol, env.key, new if stored else env.data)
