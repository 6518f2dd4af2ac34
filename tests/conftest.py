"""What every test shares: the bucket change tables of the deployments the tests create are
removed at the end of the session (each deployment maps one in /dev/shm, generations.py)."""

from __future__ import annotations

import glob
import os
import tempfile
from collections.abc import Iterator

import pytest

from cairn.engine.generations import SHM_DIR

pytest_plugins = ["tests.e2e.mcadmin"]  # mc admin fixtures for the e2e tests that make users


def bucket_tables() -> set[str]:
    pattern = f"cairn-{os.getuid()}-*.buckets"
    return {path for directory in (SHM_DIR, tempfile.gettempdir())
            for path in glob.glob(os.path.join(directory, pattern))}


@pytest.fixture(scope="session", autouse=True)
def remove_bucket_tables() -> Iterator[None]:
    before = bucket_tables()
    yield
    for path in bucket_tables() - before:
        os.unlink(path)
