"""A deployment's shape: erasure sets, parity, drive slots, and where an object's shards go.

Placement.  ``set_for_object`` and ``shard_order`` hash the deployment id,
bucket and key with BLAKE2b (stable across processes, machines and Python
versions, unlike ``hash()``), each with its own personalisation so the two
choices are independent.  Shard ``i`` of an object lives on drive
``(i + offset) % set_size`` of its set, which spreads data and parity shards
evenly over the drives of a set.
"""

from __future__ import annotations

import hashlib
import itertools
import os
from dataclasses import dataclass

from .errors import FormatError

SYS_DIR_NAME = ".cairn"
FORMAT_FILE_NAME = "format.json"
MIN_SET_SIZE = 2
MAX_SET_SIZE = 16


# --------------------------------------------------------------------------
# Set planning and parity
# --------------------------------------------------------------------------


def plan_sets(n: int) -> tuple[int, int]:
    """(set_count, set_size) for n drives: the largest set size in 2..16 dividing n; 1 drive is (1, 1)."""
    if n < 1:
        raise FormatError("no drives given: pass at least one drive path")
    if n == 1:
        return 1, 1
    for size in range(MAX_SET_SIZE, MIN_SET_SIZE - 1, -1):
        if n % size == 0:
            return n // size, size
    below, above = _nearest_valid_counts(n)
    raise FormatError(
        f"{n} drives cannot be split into equal erasure sets of {MIN_SET_SIZE} to {MAX_SET_SIZE} drives: "
        f"use 1 drive or a count divisible by one of {MIN_SET_SIZE}..{MAX_SET_SIZE} "
        f"(the nearest are {below} and {above})"
    )


def _nearest_valid_counts(n: int) -> tuple[int, int]:
    def valid(count: int) -> bool:
        return any(count % size == 0 for size in range(MIN_SET_SIZE, MAX_SET_SIZE + 1))

    below = next(c for c in range(n - 1, 0, -1) if valid(c) or c == 1)
    above = next(c for c in itertools.count(n + 1) if valid(c))
    return below, above


def default_parity(set_size: int) -> int:
    """MinIO's default parity for a set of ``set_size`` drives (EC:N of the STANDARD class)."""
    if set_size < 1:
        raise ValueError(f"set size must be at least 1, not {set_size}")
    if set_size == 1:
        return 0
    if set_size <= 3:
        return 1
    if set_size <= 5:
        return 2
    if set_size <= 7:
        return 3
    return 4


def choose_parity(set_size: int, parity: int | None) -> int:
    """The parity to use: the default, or a validated override.

    Like MinIO (minimum parity 0, maximum half the set), an explicit parity of 0
    is accepted: it is an opt-in for scratch deployments that want capacity and
    no redundancy.  The default is never 0 for sets of two drives or more.
    """
    if parity is None:
        return default_parity(set_size)
    limit = set_size // 2
    if not 0 <= parity <= limit:
        raise FormatError(
            f"parity {parity} is not possible with erasure sets of {set_size} drives: "
            f"choose 0 to {limit} (default {default_parity(set_size)})"
        )
    return parity


# --------------------------------------------------------------------------
# Data structures
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Drive:
    path: str
    drive_id: str
    set_index: int
    drive_index: int
    online: bool = True
    needs_heal: bool = False
    problem: str = ""  # why the drive is offline (empty when online)

    @property
    def sys_dir(self) -> str:
        return os.path.join(self.path, SYS_DIR_NAME)

    @property
    def format_path(self) -> str:
        return os.path.join(self.sys_dir, FORMAT_FILE_NAME)

    @property
    def meta_db_path(self) -> str:
        return os.path.join(self.sys_dir, "meta.db")

    @property
    def tmp_dir(self) -> str:
        return os.path.join(self.sys_dir, "tmp")

    @property
    def data_dir(self) -> str:
        return os.path.join(self.sys_dir, "data")


@dataclass(frozen=True)
class ErasureSetLayout:
    index: int
    drives: list[Drive]
    data_shards: int
    parity_shards: int

    @property
    def size(self) -> int:
        return len(self.drives)


@dataclass(frozen=True)
class Deployment:
    deployment_id: str
    sets: list[ErasureSetLayout]
    parity: int

    @property
    def set_count(self) -> int:
        return len(self.sets)

    @property
    def set_size(self) -> int:
        return self.sets[0].size

    @property
    def drives(self) -> list[Drive]:
        return [drive for erasure_set in self.sets for drive in erasure_set.drives]

    def set_for(self, bucket: str, key: str) -> ErasureSetLayout:
        return self.sets[set_for_object(self.deployment_id, self.set_count, bucket, key)]


# --------------------------------------------------------------------------
# Placement
# --------------------------------------------------------------------------


def _stable_hash(person: bytes, deployment_id: str, bucket: str, key: str) -> int:
    name = f"{deployment_id}/{bucket}/{key}".encode("utf-8", "surrogatepass")
    return int.from_bytes(hashlib.blake2b(name, digest_size=8, person=person).digest(), "big")


def set_for_object(deployment_id: str, set_count: int, bucket: str, key: str) -> int:
    """Index of the erasure set that holds bucket/key."""
    if set_count < 1:
        raise ValueError(f"set_count must be at least 1, not {set_count}")
    return _stable_hash(b"cairn-set", deployment_id, bucket, key) % set_count


def shard_order(deployment_id: str, set_size: int, bucket: str, key: str) -> list[int]:
    """order[i] is the drive index (within the set) that holds shard i of bucket/key."""
    if set_size < 1:
        raise ValueError(f"set_size must be at least 1, not {set_size}")
    offset = _stable_hash(b"cairn-shard", deployment_id, bucket, key) % set_size
    return [(i + offset) % set_size for i in range(set_size)]
