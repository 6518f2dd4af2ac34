"""A replaced drive's healing marker: `<drive>/.cairn/healing.json`, MinIO's `.healing.bin`.

A fresh drive found in the slot of a deployment's drive (drives.py) is a replacement: it gets
the slot's format and this marker, written *before* the format so that no crash leaves a
formatted replacement without it.  The marker says the drive is not yet a full member: the heal
job (heal_job.py) walks the deployment for it, saving in the marker where its walk is (bucket and
key) as it goes so that a restart resumes there, and removes the marker once a whole walk has
healed everything it could.  A formatted drive that still has the marker is healing again.
"""

from __future__ import annotations

import contextlib
import os
import time

import orjson

from .fsutil import fsync_dir
from .layout import SYS_DIR_NAME

MARKER_NAME = "healing.json"


def marker_path(drive_path: str) -> str:
    return os.path.join(drive_path, SYS_DIR_NAME, MARKER_NAME)


def mark(drive_path: str) -> None:
    """Write a fresh marker, durably (creating the drive's system directory if needed)."""
    os.makedirs(os.path.join(drive_path, SYS_DIR_NAME), exist_ok=True)
    save(drive_path, {"started_ns": time.time_ns(), "bucket": "", "key": ""})
    fsync_dir(os.path.dirname(marker_path(drive_path)))


def load(drive_path: str) -> dict[str, object] | None:
    """The marker's progress, or None when the drive is not healing (a marker that cannot be read
    counts as one at its start)."""
    try:
        with open(marker_path(drive_path), "rb") as f:
            doc = orjson.loads(f.read())
    except FileNotFoundError:
        return None
    except (OSError, orjson.JSONDecodeError):
        return {"started_ns": 0, "bucket": "", "key": ""}
    return doc if isinstance(doc, dict) else {"started_ns": 0, "bucket": "", "key": ""}


def save(drive_path: str, progress: dict[str, object]) -> None:
    """Replace the marker with `progress` (write to a temporary file, then rename)."""
    path = marker_path(drive_path)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(orjson.dumps(progress))
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def clear(drive_path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(marker_path(drive_path))
