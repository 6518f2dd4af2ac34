"""Crash consistency: a writer process is killed (SIGKILL) in the middle of PUTs.

tests/engine/crash_writer.py overwrites one key in a loop with self-verifying bodies
(inline and multi-block, 1 KiB to 3 MiB, block size 256 KiB), printing "begin <gen>"
and "ack <gen>" around every put_object.  After the kill, the parent reopens the
deployment (which sweeps the staging area) and checks that the key holds an intact
object of the last acknowledged generation or of the one in flight - never a mix,
never damaged bytes - and that .cairn/tmp is empty on every drive.

The random kills use random.Random(seed); the seed is printed and can be replayed with
CAIRN_CRASH_SEED=<seed>.  The crash-point tests make the writer die (os._exit) at an
exact place of the PUT instead, so each outcome is deterministic.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cairn.engine import erasure_set
from cairn.engine.api import ObjectLayer
from cairn.engine.errors import ObjectNotFound

from .crash_writer import BLOCK_SIZE, CRASH_EXIT, INLINE_MAX, make_body, parse_body
from .helpers import read

pytestmark = pytest.mark.slow

WRITER = str(Path(__file__).with_name("crash_writer.py"))
BUCKET = "crash"
ROUNDS = 15
FRESH_ROUNDS = 10

def seed_for(name: str) -> int:
    seed = int(os.environ.get("CAIRN_CRASH_SEED", time.time_ns() % 2**32))
    print(f"{name}: seed {seed} (replay with CAIRN_CRASH_SEED={seed})")
    return seed


def make_drives(base: Path, n: int) -> list[str]:
    out = []
    for i in range(n):
        p = base / f"d{i}"
        p.mkdir(parents=True, exist_ok=True)
        out.append(str(p))
    return out


def open_layer(drives: list[str]) -> ObjectLayer:
    return ObjectLayer.open(drives, sync="full", block_size=BLOCK_SIZE, inline_max=INLINE_MAX)


def writer_cmd(drives: list[str], key: str, start_gen: int, *extra: str) -> list[str]:
    return [sys.executable, WRITER, "--bucket", BUCKET, "--key", key, "--start-gen", str(start_gen),
            *extra, *drives]  # fmt: skip


class Outcome:
    """What a writer printed before it died."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.begun = [int(x.split()[1]) for x in lines if x.startswith("begin ")]
        self.acked = [int(x.split()[1]) for x in lines if x.startswith("ack ")]
        assert self.acked == self.begun[: len(self.acked)], lines
        self.in_flight = self.begun[-1] if len(self.begun) > len(self.acked) else None

    def allowed(self, before: int | None) -> set[int | None]:
        """Generations the key may hold now; `before`: what it held before this writer started."""
        return {self.acked[-1] if self.acked else before, self.in_flight}


def check_state(drives: list[str], key: str, allowed: set[int | None], context: str,
                size: int | None = None) -> int | None:
    """Reopen, check staging is empty and the key holds an intact allowed generation; return it."""
    ol = open_layer(drives)
    try:
        for d in drives:
            tmp = os.path.join(d, ".cairn", "tmp")
            assert os.listdir(tmp) == [], f"{context}: staging not swept on {d}: {os.listdir(tmp)}"
        try:
            body = read(ol, BUCKET, key)
        except ObjectNotFound:
            got = None
        else:
            try:
                got = parse_body(body)
            except ValueError as exc:
                raise AssertionError(f"{context}: the key holds a damaged or mixed body: {exc}") from None
            meta = ol.head_object(BUCKET, key)
            assert (meta.size, meta.etag) == (len(body), hashlib.md5(body).hexdigest()), context
        assert got in allowed, f"{context}: key holds generation {got}, expected one of {allowed}"
        listed = {o.key: o.etag for o in ol.list_objects(BUCKET, prefix=key).objects if o.key == key}
        allowed_etags = {hashlib.md5(make_body(g, size)).hexdigest() for g in allowed if g is not None}
        if got is None:
            assert key not in listed or listed[key] in allowed_etags, context
        else:
            assert listed.get(key) in allowed_etags, f"{context}: listing shows another version"
        return got
    finally:
        ol.close()


def read_line(proc: subprocess.Popen[str], deadline: float) -> str:
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line:
        proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        err = proc.stderr.read() if proc.stderr else ""
        raise AssertionError(f"writer exited ({proc.returncode}) early:\n{err}")
    return line.strip()


def kill_round(drives: list[str], key: str, start_gen: int, rng: random.Random, *, wait_ack: bool,
               max_delay: float, extra: tuple[str, ...] = ()) -> tuple[Outcome, float]:
    """Start a writer (with `extra` arguments), let it run for a random time, SIGKILL it; return
    what it printed."""
    proc = subprocess.Popen(writer_cmd(drives, key, start_gen, *extra), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)  # fmt: skip
    lines = []
    try:
        deadline = time.monotonic() + 30
        lines.append(read_line(proc, deadline))
        assert lines[0] == "ready", lines
        if wait_ack:
            # Start the clock once the first PUT is acknowledged: that PUT reached every drive and
            # settles whatever the previous kill left half-committed (see test_no_time_travel...).
            while not lines[-1].startswith("ack"):
                lines.append(read_line(proc, deadline))
        delay = rng.uniform(0, max_delay)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        # Read through the same buffered pipe objects as read_line (communicate() would read the
        # raw pipes and lose what readline() already buffered).
        assert proc.stdout is not None and proc.stderr is not None
        out, err = proc.stdout.read(), proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL, f"writer ended by itself ({proc.returncode}):\n{err}"
    lines += out.splitlines()  # each line is one write(2) of a few bytes: never torn
    return Outcome([x for x in lines if x != "ready"]), delay


def tally(stats: dict[str, int], outcome: Outcome, got: int | None) -> None:
    if outcome.in_flight is None:
        stats["killed between PUTs"] = stats.get("killed between PUTs", 0) + 1
    else:
        which = "new" if got == outcome.in_flight else "absent" if got is None else "old"
        stats[f"killed in a PUT, {which} visible"] = stats.get(f"killed in a PUT, {which} visible", 0) + 1


def orphaned_data(drives: list[str], keep: set[str]) -> int:
    """Data directories in .cairn/data that no live object refers to (crash leftovers)."""
    n = 0
    for d in drives:
        root = os.path.join(d, ".cairn", "data")
        n += sum(1 for aa in os.listdir(root) for i in os.listdir(os.path.join(root, aa)) if i not in keep)
    return n


@pytest.mark.parametrize("ndrives", [1, 4])
def test_kill_writer_overwriting_one_key(tmp_path: Path, ndrives: int) -> None:
    rng = random.Random(seed_for(f"overwrite/{ndrives} drives"))
    drives = make_drives(tmp_path, ndrives)
    key = "hot/key"
    current: int | None = None
    next_gen = 1
    stats: dict[str, int] = {}
    for r in range(ROUNDS):
        outcome, delay = kill_round(drives, key, next_gen, rng, wait_ack=True, max_delay=0.3)
        context = f"round {r}, killed after {delay:.3f}s, writer said {outcome.lines[-3:]}"
        current = check_state(drives, key, outcome.allowed(current), context)
        tally(stats, outcome, current)
        next_gen = max(outcome.begun) + 1
    with open_layer(drives) as ol:
        live = ol.head_object(BUCKET, key).data_id
    orphans = orphaned_data(drives, {live} if live else set())
    print(f"{ndrives} drives, {ROUNDS} kills: {stats}; orphaned data directories left: {orphans}")


@pytest.mark.parametrize("ndrives", [1, 4])
def test_kill_writer_during_first_put(tmp_path: Path, ndrives: int) -> None:
    rng = random.Random(seed_for(f"fresh/{ndrives} drives"))
    drives = make_drives(tmp_path, ndrives)
    stats: dict[str, int] = {}
    next_gen = 1
    for r in range(FRESH_ROUNDS):
        key = f"fresh/{r}"
        outcome, delay = kill_round(drives, key, next_gen, rng, wait_ack=False, max_delay=0.04)
        context = f"round {r}, killed after {delay:.3f}s, writer said {outcome.lines}"
        got = check_state(drives, key, outcome.allowed(None), context)
        tally(stats, outcome, got)
        next_gen = max(outcome.begun, default=next_gen) + 1
    print(f"{ndrives} drives, {FRESH_ROUNDS} kills near the first PUT of a new key: {stats}")


# --------------------------------------------------------------------------
# deterministic crash points
# --------------------------------------------------------------------------

MULTI = 5 * BLOCK_SIZE + 1234
INLINE = 2000
assert INLINE <= INLINE_MAX < MULTI


def crash_run(drives: list[str], key: str, start_gen: int, count: int, size: int, point: str) -> Outcome:
    extra = ["--count", str(count), "--size", str(size), "--crash", point]
    proc = subprocess.run(writer_cmd(drives, key, start_gen, *extra), capture_output=True, text=True,
                          timeout=60)  # fmt: skip
    assert proc.returncode == CRASH_EXIT, f"writer did not crash at {point}: {proc.returncode}\n{proc.stderr}"
    return Outcome([x for x in proc.stdout.splitlines() if x != "ready"])


# (drives, crash point, size, which generation the key must hold: "old", "new" or "either")
CRASH_POINTS = [
    (1, "staging", MULTI, "old"),
    (1, "published", MULTI, "old"),
    (1, "meta:all", MULTI, "new"),
    (1, "meta:all", INLINE, "new"),
    (4, "staging", MULTI, "old"),
    (4, "published", MULTI, "old"),
    (4, "meta:1", MULTI, "old"),
    (4, "meta:2", MULTI, "either"),
    (4, "meta:3", MULTI, "new"),
    (4, "meta:all", MULTI, "new"),
    (4, "meta:1", INLINE, "old"),
    (4, "meta:2", INLINE, "either"),
    (4, "meta:3", INLINE, "new"),
]


@pytest.mark.parametrize("fresh", [False, True], ids=["overwrite", "fresh"])
@pytest.mark.parametrize(("ndrives", "point", "size", "expect"), CRASH_POINTS)
def test_crash_point(tmp_path: Path, ndrives: int, point: str, size: int, expect: str, fresh: bool) -> None:
    drives = make_drives(tmp_path, ndrives)
    count = 1 if fresh else 2  # overwrite: generation 1 is acknowledged, generation 2 dies
    outcome = crash_run(drives, "k", 1, count, size, point)
    assert outcome.acked == list(range(1, count)) and outcome.in_flight == count, outcome.lines
    old = None if fresh else 1
    choices: dict[str, set[int | None]] = {"old": {old}, "new": {count}, "either": {old, count}}
    allowed = choices[expect]
    got = check_state(drives, "k", allowed, f"crash at {point}", size)
    # The deployment goes on working after the crash.
    ol = open_layer(drives)
    try:
        body = make_body(99, size)
        ol.put_object(BUCKET, "k", body)
        assert read(ol, BUCKET, "k") == body
        assert read(ol, BUCKET, "k", size // 3, 1000) == body[size // 3 : size // 3 + 1000]
    finally:
        ol.close()
    print(f"crash at {point} ({ndrives} drives, {size} bytes): key holds generation {got}")


@pytest.mark.parametrize("size", [MULTI, INLINE], ids=["multi", "inline"])
def test_no_time_travel_after_two_partial_commits(tmp_path: Path, size: int,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    # A read settles a version left on too few drives once it is older than the repair grace
    # (CAIRN_REPAIR_AFTER, a minute by default: until then its writer may still be deciding it).
    # This reader comes after the grace; within it, a second crashed writer could still tip the
    # vote back to the version before.
    monkeypatch.setattr(erasure_set, "REPAIR_AFTER_NS", 0)
    monkeypatch.setenv("CAIRN_REPAIR_AFTER", "0")
    drives = make_drives(tmp_path, 4)
    first = crash_run(drives, "k", 1, 2, size, "meta:2")  # gen 1 acked; gen 2 on drives 0 and 1
    seen = check_state(drives, "k", first.allowed(None), "after the first crash", size)
    assert seen in (1, 2)
    second = crash_run(drives, "k", 3, 1, size, "meta:1")  # gen 3 on drive 0 only
    context = f"after the second crash (generation {seen} was read before)"
    check_state(drives, "k", second.allowed(seen), context, size)
