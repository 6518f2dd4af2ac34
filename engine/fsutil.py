"""Small filesystem helpers the engine shares."""

from __future__ import annotations

import os


def fsync_dir(path: str) -> None:
    """Make a directory's entries (creations, renames, removals) durable."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
