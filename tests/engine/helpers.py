"""Shorthands the engine tests share."""

from __future__ import annotations

import os

from cairn.engine.api import ObjectLayer
from cairn.engine.localdrive import LocalDrive


def read(layer: ObjectLayer, bucket: str, key: str, start: int = 0, length: int | None = None) -> bytes:
    """GetObject of bytes [start, start+length) (to the end when length is None), whole."""
    reader = layer.get_object(bucket, key)
    if start or length is not None:
        reader.restrict(start, reader.info.size - start if length is None else length)
    return reader.read_all()


def bucket_exists(layer: ObjectLayer, bucket: str) -> bool:
    return layer.buckets.lookup(bucket) is not None


def data_path(drive: LocalDrive, data_id: str) -> str:
    """Where a local drive keeps the shard files of data directory `data_id`."""
    return os.path.join(drive.drive.data_dir, data_id[:2], data_id)
