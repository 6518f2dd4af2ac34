"""Where the worker processes' metrics meet: prometheus_client's multiprocess directory.

Theory of operation
-------------------
prometheus_client's multiprocess mode keeps each process's metric values in memory-mapped files
named after its pid (counter_<pid>.db, gauge_livesum_<pid>.db, ...) in PROMETHEUS_MULTIPROC_DIR;
a scrape merges every file it finds there (MultiProcessCollector): counters and `sum` gauges add
up over every process that ever ran, dead ones included (a worker that was replaced keeps its
counts), `livesum` gauges over the living only: `mark_dead` removes a dead worker's, and the
supervisor calls it when one exits.

`prepare` runs once in the supervisor, before the workers fork: it picks the directory
(CAIRN_METRICS_DIR, else a fresh one under the system's temporary directory, removed at exit:
nothing is written beside the drives), clears what an earlier run left there, and sets
PROMETHEUS_MULTIPROC_DIR for this process and the workers it forks.  prometheus_client chooses
its value class when it is first imported, so `prepare` also installs the multiprocess one in
case something imported it earlier.  The values themselves follow a fork: prometheus_client
reopens its files under the new pid at the first write.

The janitor worker's own figures (the scanner's bucket usage, heal pass counts) are snapshots,
not counters: they go in one JSON file here (`publish`, replaced atomically), read by whichever
worker answers a scrape (`janitor_state`).
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import os
import shutil
import tempfile
import time
from typing import Any

import orjson

ENV = "PROMETHEUS_MULTIPROC_DIR"
DIR_ENV = "CAIRN_METRICS_DIR"
JANITOR_FILE = "janitor.json"
STARTED_ENV = "CAIRN_SERVER_STARTED"  # when the server started (time.time()), for its workers


def directory() -> str | None:
    """The multiprocess directory of this server (None: metrics are per process)."""
    return os.environ.get(ENV) or None


def prepare(where: str | None = None) -> str:
    """Set up the directory for a server run (see the module docstring); returns it."""
    where = where or os.environ.get(DIR_ENV) or None
    if where:
        os.makedirs(where, exist_ok=True)
        for stale in (*glob.glob(os.path.join(where, "*.db")), os.path.join(where, JANITOR_FILE)):
            with contextlib.suppress(FileNotFoundError):
                os.remove(stale)
    else:
        where = tempfile.mkdtemp(prefix="cairn-metrics-")
        owner = os.getpid()

        def remove() -> None:
            if os.getpid() == owner:  # not in a forked worker that exits
                shutil.rmtree(where, ignore_errors=True)

        atexit.register(remove)
    os.environ[ENV] = where
    os.environ[STARTED_ENV] = repr(time.time())
    from prometheus_client import values

    if not getattr(values.ValueClass, "_multiprocess", False):
        values.ValueClass = values.MultiProcessValue()  # type: ignore[no-untyped-call]
    return where


def mark_dead(pid: int) -> None:
    """A worker exited: its live gauges (requests in flight) no longer count."""
    where = directory()
    if where is not None:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid, where)  # type: ignore[no-untyped-call]


def publish(state: dict[str, Any]) -> None:
    """Replace the janitor's snapshot (a few hundred bytes per bucket)."""
    where = directory()
    if where is None:
        return
    path = os.path.join(where, JANITOR_FILE)
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "wb") as f:
        f.write(orjson.dumps(state))
    os.replace(tmp, path)


def janitor_state() -> dict[str, Any]:
    """The janitor's last snapshot ({} before the first)."""
    where = directory()
    if where is None:
        return {}
    try:
        with open(os.path.join(where, JANITOR_FILE), "rb") as f:
            state = orjson.loads(f.read())
    except (OSError, orjson.JSONDecodeError):
        return {}
    return state if isinstance(state, dict) else {}
