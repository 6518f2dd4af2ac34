"""What a bucket's configuration adds to the options of a write: its versioning status, the
default retention of its object lock for a new version that asks for none, and its default
encryption for a new version that asks for none."""

from __future__ import annotations

import time
from dataclasses import replace

from .bucket_config import EncryptionConfig, ObjectLockConfig, VersioningConfig
from .buckets import BucketInfo
from .errors import LockNotEnabled
from .options import ObjectOptions
from .sse import SSE_KMS, Encryption


def lock_of(bucket: BucketInfo) -> ObjectLockConfig:
    """The bucket's object lock (LockNotEnabled when it has none)."""
    lock = bucket.config(ObjectLockConfig)
    if lock is None:
        raise LockNotEnabled("Bucket is missing Object Lock Configuration")
    return lock


def write_options(bucket: BucketInfo, opts: ObjectOptions | None, new_version: bool = True) -> ObjectOptions:
    """`opts` with the bucket's versioning status and, for a new version without retention of its
    own, the default retention; lock fields on a bucket without object lock: LockNotEnabled."""
    opts = opts or ObjectOptions()
    versioning = bucket.config(VersioningConfig)
    status = versioning.status if versioning else ""
    lock = bucket.config(ObjectLockConfig)
    if lock is None:
        if opts.lock_mode or opts.legal_hold:
            lock_of(bucket)
    elif new_version and opts.lock_mode is None and lock.mode:
        opts = replace(opts, lock_mode=lock.mode, lock_until_ns=lock.default_until_ns(time.time_ns()))
    if new_version and opts.encryption is None:
        default = bucket.config(EncryptionConfig)
        if default is not None:
            key_id = default.kms_key_id if default.algorithm == SSE_KMS else ""
            opts = replace(opts, encryption=Encryption(default.algorithm, key_id))
    return replace(opts, versioning=status) if status else opts
