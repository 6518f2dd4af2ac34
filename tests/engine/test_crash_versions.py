"""Crash consistency of versions: a writer process (crash_writer.py --versioned) PUTs and
DELETEs one key of a versioning-Enabled bucket and is killed (SIGKILL, or os._exit at an exact
point of the metadata commit).  Afterwards the key's version list is the one before the
operation in flight or the one after it, never anything else: every acknowledged version is
there, in order, readable by its id and intact; a delete marker is a marker; nothing is lost or
doubled.  Random kills replay with CAIRN_CRASH_SEED=<seed> (printed)."""

from __future__ import annotations

import random
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from cairn.engine.api import ObjectLayer, ObjectOptions

from .crash_writer import CRASH_EXIT, parse_body
from .test_crash import BUCKET, MULTI, kill_round, make_drives, open_layer, seed_for, writer_cmd

pytestmark = pytest.mark.slow

KEY = "versioned/key"
DELETE_EVERY = 3  # every third generation is a DELETE (a delete marker)


@dataclass(frozen=True)
class Entry:
    version_id: str
    gen: int | None  # None: a delete marker


def version_list(ol: ObjectLayer) -> list[Entry]:
    """The key's versions, newest first, each read back by id (its body must be intact)."""
    out = []
    page = ol.list_object_versions(BUCKET, prefix=KEY, max_keys=10_000)
    assert not page.truncated
    for i, v in enumerate(page.versions):
        assert v.key == KEY and v.is_latest == (i == 0)
        if v.info.delete_marker:
            out.append(Entry(v.info.version_id, None))
            continue
        body = ol.get_object(BUCKET, KEY, ObjectOptions(version_id=v.info.version_id)).read_all()
        out.append(Entry(v.info.version_id, parse_body(body)))  # ValueError: a version without its data
    return out


def acked(lines: list[str]) -> list[Entry]:
    """The operations a writer acknowledged, oldest first: (version id, generation or None)."""
    kinds = {int(x.split()[1]): x.split()[2] for x in lines if x.startswith("begin ")}
    return [Entry(vid, None if kinds[gen] == "delete" else gen)
            for gen, vid in ((int(x.split()[1]), x.split()[2]) for x in lines if x.startswith("ack "))]


def check_history(drives: list[str], history: list[Entry], in_flight: tuple[int, str] | None,
                  context: str) -> list[Entry]:
    """The version list must be `history` (newest first), or that plus the operation in flight on
    top; returns the list as found."""
    with open_layer(drives) as ol:
        found = version_list(ol)
    if found == history:
        return found
    assert in_flight is not None and found[1:] == history, f"{context}: {found} vs {history}"
    gen, kind = in_flight
    assert found[0].gen == (None if kind == "delete" else gen), f"{context}: top is {found[0]}"
    assert found[0].version_id not in {e.version_id for e in history}, context
    return found


@pytest.mark.parametrize("ndrives", [1, 4])
def test_kill_versioned_writer(tmp_path: Path, ndrives: int) -> None:
    rng = random.Random(seed_for(f"versions/{ndrives} drives"))
    drives = make_drives(tmp_path, ndrives)
    history: list[Entry] = []  # newest first
    next_gen = 1
    for r in range(8):
        outcome, delay = kill_round(drives, KEY, next_gen, rng, wait_ack=True, max_delay=0.3,
                                    extra=("--versioned", "--delete-every", str(DELETE_EVERY)))
        begun = [x.split() for x in outcome.lines if x.startswith("begin ")]
        history = acked(outcome.lines)[::-1] + history
        flight = (int(begun[-1][1]), begun[-1][2]) if outcome.in_flight is not None else None
        history = check_history(drives, history, flight, f"round {r}, killed after {delay:.3f}s")
        next_gen = max(outcome.begun) + 1
    assert sum(e.gen is None for e in history) >= 1 and len(history) >= 8


# (drives, crash point, what the list must be: "old", "new" or "either")
POINTS = [(1, "meta:all", "new"), (4, "published", "old"), (4, "meta:1", "old"), (4, "meta:2", "either"),
          (4, "meta:3", "new"), (4, "meta:all", "new")]


@pytest.mark.parametrize("op", ["put", "delete"])
@pytest.mark.parametrize(("ndrives", "point", "expect"), POINTS)
def test_versioned_crash_point(tmp_path: Path, ndrives: int, point: str, expect: str, op: str) -> None:
    drives = make_drives(tmp_path, ndrives)
    # Generations 1 and 2 are PUTs, acknowledged; generation 3 (a PUT, or a DELETE) dies at `point`.
    every = ("--delete-every", "3") if op == "delete" else ()
    cmd = writer_cmd(drives, KEY, 1, "--versioned", *every, "--count", "3", "--size", str(MULTI), "--crash",
                     point)
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert proc.returncode == CRASH_EXIT, proc.stderr
    lines = proc.stdout.splitlines()
    before = acked(lines)[::-1]
    assert [e.gen for e in before] == [2, 1]
    with open_layer(drives) as ol:
        found = version_list(ol)
    new = found[1:] == before and found[0].gen == (None if op == "delete" else 3)
    assert {"old": found == before, "new": new, "either": found == before or new}[expect], (point, found)
    with open_layer(drives) as ol:  # and the key goes on taking versions
        ol.put_object(BUCKET, KEY, b"after")
        assert version_list_len(ol) == len(found) + 1


def version_list_len(ol: ObjectLayer) -> int:
    return len(ol.list_object_versions(BUCKET, prefix=KEY).versions)
