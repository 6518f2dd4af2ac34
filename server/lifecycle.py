"""What lifecycle adds to object answers: `x-amz-expiration` on PutObject, GetObject, HeadObject
and CompleteMultipartUpload (when a rule will expire the version written or read), and
`x-amz-abort-date` / `x-amz-abort-rule-id` on CreateMultipartUpload (when a rule will abort the
upload).  When and by which rule is engine/lifecycle.py's; the document is handlers/lifecycle.py's.

The bucket's record is the one authorization loaded for the request (no read of its own): a
bucket without a lifecycle configuration costs a dictionary lookup.  The configuration is decoded
once per bucket record (name, creation, generation) and kept.  The header names the rule as
`rule-id="..."`; characters a quoted HTTP string cannot carry (a quote, a backslash, controls,
anything outside ASCII) and `%` are percent-encoded (UTF-8), so no rule ID can break the header.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from cairn.engine.api import BucketInfo, LifecycleConfig, ObjectInfo
from cairn.engine.lifecycle import Expiry, current_expiry, day_ns, upload_expiry

from .context import Context
from .metadata import http_date

_CONFIGS: dict[tuple[str, int, int], LifecycleConfig] = {}
_UNSAFE = re.compile(r'[^\x20-\x7e]|["\\%]')
LAST_DATE_NS = 253402300799 * 10**9  # 9999-12-31T23:59:59Z: beyond it, no HTTP date to give


def lifecycle_of(ctx: Context) -> LifecycleConfig | None:
    """The lifecycle configuration of the request's bucket, from the record authorization loaded."""
    access = ctx.access
    info = access.buckets.get(ctx.bucket) if access is not None else None
    if info is None or LifecycleConfig.KIND not in info.configs:
        return None
    return _config(info)


def _config(info: BucketInfo) -> LifecycleConfig:
    slot = (info.name, info.created_ns, info.generation)
    config = _CONFIGS.get(slot)
    if config is None:
        if len(_CONFIGS) > 10_000:
            _CONFIGS.clear()
        config = _CONFIGS[slot] = info.config(LifecycleConfig) or LifecycleConfig()
    return config


def rule_id_text(rule_id: str) -> str:
    return _UNSAFE.sub(lambda m: quote(m.group(), safe=""), rule_id) if _UNSAFE.search(rule_id) else rule_id


def _date(expiry: Expiry) -> str | None:
    return http_date(expiry.when_ns / 1e9) if 0 <= expiry.when_ns <= LAST_DATE_NS else None


def expiration_header(ctx: Context, info: ObjectInfo) -> list[tuple[str, str]]:
    """`x-amz-expiration: expiry-date="<HTTP date>", rule-id="<ID>"` for the current version of the
    request's key, when a rule expires it; none for a read of a version by id."""
    config = lifecycle_of(ctx)
    if config is None or ctx.query.get("versionId") is not None:
        return []
    expiry = current_expiry(config, ctx.key, info, day_ns(ctx.config.lifecycle_day_seconds))
    date = _date(expiry) if expiry is not None else None
    if expiry is None or date is None:
        return []
    return [("x-amz-expiration", f'expiry-date="{date}", rule-id="{rule_id_text(expiry.rule_id)}"')]


def abort_headers(ctx: Context, initiated_ns: int) -> list[tuple[str, str]]:
    """CreateMultipartUpload's x-amz-abort-date and x-amz-abort-rule-id, when a rule aborts the
    upload (the server-wide --stale-uploads-after is no rule of the bucket: S3 names none)."""
    config = lifecycle_of(ctx)
    expiry = upload_expiry(config, ctx.key, initiated_ns, day_ns(ctx.config.lifecycle_day_seconds)) \
        if config is not None else None
    date = _date(expiry) if expiry is not None else None
    if expiry is None or date is None:
        return []
    return [("x-amz-abort-date", date), ("x-amz-abort-rule-id", rule_id_text(expiry.rule_id))]
