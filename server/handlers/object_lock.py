"""Object Lock: GetObjectLockConfiguration and PutObjectLockConfiguration (ObjectLockConfiguration),
GetObjectRetention and PutObjectRetention (Retention), GetObjectLegalHold and PutObjectLegalHold
(LegalHold); the x-amz-object-lock-* request headers of PutObject, CopyObject and
CreateMultipartUpload, and the response headers of GetObject and HeadObject.

Errors are S3's as observed on the wire (versitygw's AWS-checked tables, Ceph's s3-tests, MinIO):

- a document S3's schema refuses (wrong root, ObjectLockEnabled other than "Enabled", a mode other
  than GOVERNANCE or COMPLIANCE -- lowercase included --, both or neither of Days and Years, a
  Days or Years that is not an integer, a Retention with a Mode but no date or the reverse, a
  legal hold Status other than ON or OFF) -> MalformedXML;
- Days or Years not positive -> InvalidArgument "Default retention period must be a positive
  integer value." (ArgumentName Days or Years), beyond 36500 days or 100 years -> InvalidArgument
  "Default retention period too large.";
- a retain-until date not in the future -> InvalidArgument "The retain until date must be in the
  future!";
- headers: a mode without a date or the reverse, an unknown mode or legal hold, a date that is not
  ISO 8601 -> InvalidArgument naming the header;
- an empty body -> MissingRequestBodyError.

Dates are ISO 8601 (RFC 3339) in, with up to nine fractional digits and Z or an offset, and
`2030-01-01T00:00:00.000Z` (UTC, milliseconds) out.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from xml.etree.ElementTree import Element

from cairn.engine.api import ObjectInfo, ObjectLockConfig, ObjectOptions

from ..body import read_body
from ..checksum_headers import verify_body_digest
from ..context import Context, Response
from ..errors import S3Error
from ..params import version_options
from ..xml import XML_HEADER, XMLError, document, esc, expect_root, fields, only, parse_xml, text
from .service import request_bucket

MODES = ("GOVERNANCE", "COMPLIANCE")
MAX_DAYS = 36500  # S3's longest default retention: 100 years
MAX_YEARS = 100
MAX_LOCK_XML = 1 << 16  # bytes of an object lock document we read
MODE_HEADER = "x-amz-object-lock-mode"
DATE_HEADER = "x-amz-object-lock-retain-until-date"
HOLD_HEADER = "x-amz-object-lock-legal-hold"
BYPASS_HEADER = "x-amz-bypass-governance-retention"

BOTH_SUPPLIED = "x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied."
NOT_POSITIVE = "Default retention period must be a positive integer value."
TOO_LARGE = "Default retention period too large."
IN_THE_PAST = "The retain until date must be in the future!"
NOT_ISO8601 = "The retain until date must be provided in ISO 8601 format"
UNKNOWN_MODE = "Unknown wormMode directive."
BAD_LEGAL_HOLD = "Legal Hold must be either of 'ON' or 'OFF'"
LOCK_NOT_FOUND = "Object Lock configuration does not exist for this bucket"
NO_OBJECT_LOCK = "The specified object does not have a ObjectLock configuration"
BUCKET_NOT_LOCKED = "Bucket is missing Object Lock Configuration"

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ISO8601 = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})"
                      r"(?:\.([0-9]{1,9}))?(?:[Zz]|([+-])([0-9]{2}):([0-9]{2}))", re.ASCII)
_INTEGER = re.compile(r"[+-]?[0-9]{1,20}", re.ASCII)
_INT32 = 1 << 31

# ---------------------------------------------------------------------------------------------
# Dates


def parse_iso8601_ns(value: str) -> int | None:
    """An ISO 8601 / RFC 3339 date-time with its zone (Z or +hh:mm) as ns since the epoch, None
    when it is not one (or names no real instant: month 13, 25 o'clock, a leap second)."""
    match = _ISO8601.fullmatch(value.strip())
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(g) for g in match.group(1, 2, 3, 4, 5, 6))
    try:
        moment = datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except ValueError:
        return None
    seconds = (moment - _EPOCH) // timedelta(seconds=1)
    if match[8]:
        off_hours, off_minutes = int(match[9]), int(match[10])
        if off_hours > 23 or off_minutes > 59:
            return None
        offset = off_hours * 3600 + off_minutes * 60
        seconds -= offset if match[8] == "+" else -offset
    return seconds * 10**9 + int((match[7] or "").ljust(9, "0"))


def iso8601_ms(ns: int) -> str:
    """ns since the epoch as S3 prints a retain-until date: `2030-01-01T00:00:00.000Z`."""
    seconds, rest = divmod(ns, 10**9)
    t = _EPOCH + timedelta(seconds=seconds)
    return (f"{t.year:04d}-{t.month:02d}-{t.day:02d}T{t.hour:02d}:{t.minute:02d}:{t.second:02d}"
            f".{rest // 10**6:03d}Z")


# ---------------------------------------------------------------------------------------------
# Documents


def _document(body: bytes, root_name: str) -> Element:
    """The parsed body, its root checked; MissingRequestBodyError when there is no body at all."""
    if not body.strip():
        raise S3Error("MissingRequestBodyError", "Request Body is empty")
    root = parse_xml(body, MAX_LOCK_XML)
    expect_root(root, root_name)
    return root


def _xml_int(value: str | None) -> int | None:
    """An xs:int element's value (None when absent); MalformedXML when it is not one."""
    if value is None:
        return None
    value = value.strip()
    if not _INTEGER.fullmatch(value) or not -_INT32 <= int(value) < _INT32:
        raise XMLError("MalformedXML")
    return int(value)


def _default_retention(element: Element) -> ObjectLockConfig:
    """DefaultRetention: Mode and exactly one of Days and Years, positive and at most 100 years."""
    values = fields(element)
    days, years = _xml_int(values.get("Days")), _xml_int(values.get("Years"))
    mode = values.get("Mode")
    if mode not in MODES or (days is None) == (years is None):
        raise XMLError("MalformedXML")
    name, period, limit = ("Days", days, MAX_DAYS) if days is not None else ("Years", years, MAX_YEARS)
    assert period is not None
    if period <= 0:
        raise S3Error("InvalidArgument", NOT_POSITIVE, ArgumentName=name)
    if period > limit:
        raise S3Error("InvalidArgument", TOO_LARGE, ArgumentName=name)
    return ObjectLockConfig(True, mode, days or 0, years or 0)


def parse_object_lock_configuration(body: bytes) -> ObjectLockConfig:
    """PutObjectLockConfiguration's ObjectLockConfiguration: ObjectLockEnabled must be "Enabled";
    an optional Rule/DefaultRetention sets the default retention (none without them)."""
    root = _document(body, "ObjectLockConfiguration")
    if text(root, "ObjectLockEnabled") != "Enabled":
        raise XMLError("MalformedXML")
    rule = only(root, "Rule")
    retention = None if rule is None else only(rule, "DefaultRetention")
    return ObjectLockConfig(True) if retention is None else _default_retention(retention)


def object_lock_configuration_xml(config: ObjectLockConfig) -> bytes:
    """GetObjectLockConfiguration: ObjectLockEnabled, then the Rule when there is a default."""
    body = "<ObjectLockEnabled>Enabled</ObjectLockEnabled>" if config.enabled else ""
    if config.mode:
        period = f"<Days>{config.days}</Days>" if config.days else f"<Years>{config.years}</Years>"
        body += (f"<Rule><DefaultRetention><Mode>{esc(config.mode)}</Mode>{period}"
                 "</DefaultRetention></Rule>")
    return document("ObjectLockConfiguration", body)


def parse_retention(body: bytes, now_ns: int | None = None) -> tuple[str, int]:
    """PutObjectRetention's Retention: (mode, retain-until ns); ("", 0) for an empty Retention, which
    removes a GOVERNANCE retention (with the bypass header; the engine decides)."""
    values = fields(_document(body, "Retention"))
    mode, date = values.get("Mode"), values.get("RetainUntilDate")
    until = None if date is None else parse_iso8601_ns(date)
    if date is not None and until is None:
        raise XMLError("MalformedXML")
    if (mode is not None and mode not in MODES) or (mode is None) != (until is None):
        raise XMLError("MalformedXML")
    if mode is None or until is None:
        return "", 0
    if until <= (time.time_ns() if now_ns is None else now_ns):
        raise S3Error("InvalidArgument", IN_THE_PAST)
    return mode, until


def retention_xml(info: ObjectInfo) -> bytes:
    """GetObjectRetention's Retention: Mode and RetainUntilDate."""
    return document("Retention", f"<Mode>{esc(info.lock_mode)}</Mode>"
                                 f"<RetainUntilDate>{iso8601_ms(info.lock_until_ns)}</RetainUntilDate>")


def parse_legal_hold(body: bytes) -> bool:
    """PutObjectLegalHold's LegalHold: Status ON (True) or OFF (False)."""
    status = text(_document(body, "LegalHold"), "Status")
    if status not in ("ON", "OFF"):
        raise XMLError("MalformedXML")
    return status == "ON"


def legal_hold_xml(info: ObjectInfo) -> bytes:
    return document("LegalHold", f"<Status>{'ON' if info.legal_hold else 'OFF'}</Status>")


# ---------------------------------------------------------------------------------------------
# Headers


@dataclass(frozen=True)
class LockOptions:
    """The object lock a write asks for (None: not asked), named as ObjectOptions names it."""

    lock_mode: str | None = None
    lock_until_ns: int | None = None
    legal_hold: bool | None = None

    @property
    def requested(self) -> bool:
        return self.lock_mode is not None or self.legal_hold is not None

    def apply(self, opts: ObjectOptions) -> ObjectOptions:
        """`opts` with this lock set on it (and returned)."""
        opts.lock_mode, opts.lock_until_ns, opts.legal_hold = (
            self.lock_mode, self.lock_until_ns, self.legal_hold)
        return opts


def _invalid(message: str, header: str, value: str | None = None) -> S3Error:
    error = S3Error("InvalidArgument", message, ArgumentName=header)
    if value is not None:
        error.extra["ArgumentValue"] = value
    return error


def parse_lock_headers(headers: Mapping[str, str], now_ns: int | None = None) -> LockOptions:
    """x-amz-object-lock-mode, -retain-until-date and -legal-hold (names lowercase), as S3 checks
    them: mode and date both or neither, the mode and legal hold upper case, the date ISO 8601 and
    in the future; InvalidArgument naming the header otherwise."""
    mode, date = headers.get(MODE_HEADER) or None, headers.get(DATE_HEADER) or None
    hold = headers.get(HOLD_HEADER)
    if hold is not None and hold not in ("ON", "OFF"):
        raise _invalid(BAD_LEGAL_HOLD, HOLD_HEADER, hold)
    legal_hold = None if hold is None else hold == "ON"
    if mode is None and date is None:
        return LockOptions(legal_hold=legal_hold)
    if date is None:
        raise _invalid(BOTH_SUPPLIED, DATE_HEADER)
    if mode is None:
        raise _invalid(BOTH_SUPPLIED, MODE_HEADER)
    if mode not in MODES:
        raise _invalid(UNKNOWN_MODE, MODE_HEADER, mode)
    until = parse_iso8601_ns(date)
    if until is None:
        raise _invalid(NOT_ISO8601, DATE_HEADER, date)
    if until <= (time.time_ns() if now_ns is None else now_ns):
        raise _invalid(IN_THE_PAST, DATE_HEADER, date)
    return LockOptions(mode, until, legal_hold)


def lock_options(ctx: Context) -> LockOptions:
    """The object lock the request's headers ask of a PutObject, CopyObject or
    CreateMultipartUpload."""
    return parse_lock_headers(ctx.request.header_map)


def bypass_governance(ctx: Context, key: str | None = None) -> bool:
    """x-amz-bypass-governance-retention: true (any case), from a principal allowed
    s3:BypassGovernanceRetention on the object (AccessDenied otherwise, as S3)."""
    if (ctx.header(BYPASS_HEADER) or "").strip().lower() != "true":
        return False
    if ctx.access is not None:
        ctx.access.require("s3:BypassGovernanceRetention", ctx.bucket, key if key is not None else ctx.key)
    return True


def lock_headers(info: ObjectInfo) -> list[tuple[str, str]]:
    """GetObject's and HeadObject's lock headers: the retention when there is one, the legal hold
    when it is on."""
    out: list[tuple[str, str]] = []
    if info.lock_mode:
        out += [(MODE_HEADER, info.lock_mode), (DATE_HEADER, iso8601_ms(info.lock_until_ns))]
    if info.legal_hold:
        out.append((HOLD_HEADER, "ON"))
    return out


# ---------------------------------------------------------------------------------------------
# Handlers


async def bucket_lock(ctx: Context) -> ObjectLockConfig | None:
    """The bucket's object lock configuration, None when lock is not enabled on it."""
    info = await request_bucket(ctx)
    config = info.config(ObjectLockConfig)
    return config if config is not None and config.enabled else None


async def _locked_object(ctx: Context) -> ObjectInfo:
    """The version a Get{ObjectRetention,ObjectLegalHold} reads, in a bucket with object lock."""
    info = await ctx.run(ctx.layer.head_object, ctx.bucket, ctx.key, version_options(ctx.query))
    if await bucket_lock(ctx) is None:
        raise S3Error("InvalidRequest", BUCKET_NOT_LOCKED)
    return info


async def handle_get_object_lock_configuration(ctx: Context) -> Response:
    config = await bucket_lock(ctx)
    if config is None:
        raise S3Error("ObjectLockConfigurationNotFoundError", LOCK_NOT_FOUND, 404,
                      BucketName=ctx.bucket)
    return Response(200, [XML_HEADER], object_lock_configuration_xml(config))


async def handle_put_object_lock_configuration(ctx: Context) -> Response:
    """The engine refuses a bucket whose versioning is not Enabled (InvalidBucketState)."""
    body = await read_body(ctx, MAX_LOCK_XML)
    verify_body_digest(ctx, body)
    config = parse_object_lock_configuration(body)
    await ctx.run(ctx.layer.put_bucket_config, ctx.bucket, config)
    return Response(200)


async def handle_get_object_retention(ctx: Context) -> Response:
    info = await _locked_object(ctx)
    if not info.lock_mode:
        raise S3Error("NoSuchObjectLockConfiguration", NO_OBJECT_LOCK, 404)
    return Response(200, [XML_HEADER], retention_xml(info))


async def handle_put_object_retention(ctx: Context) -> Response:
    """COMPLIANCE only extended, GOVERNANCE shortened or removed only with the bypass header, and a
    bucket without lock refused: the engine decides."""
    body = await read_body(ctx, MAX_LOCK_XML)
    verify_body_digest(ctx, body)
    mode, until_ns = parse_retention(body)
    opts = version_options(ctx.query)
    opts.bypass_governance = bypass_governance(ctx)
    await ctx.run(ctx.layer.put_object_retention, ctx.bucket, ctx.key, mode, until_ns, opts)
    return Response(200)


async def handle_get_object_legal_hold(ctx: Context) -> Response:
    """A version whose legal hold was never set has none to show (S3's answer, not OFF)."""
    info = await _locked_object(ctx)
    if info.legal_hold is None:
        raise S3Error("NoSuchObjectLockConfiguration", NO_OBJECT_LOCK, 404)
    return Response(200, [XML_HEADER], legal_hold_xml(info))


async def handle_put_object_legal_hold(ctx: Context) -> Response:
    body = await read_body(ctx, MAX_LOCK_XML)
    verify_body_digest(ctx, body)
    on = parse_legal_hold(body)
    await ctx.run(ctx.layer.put_object_legal_hold, ctx.bucket, ctx.key, on, version_options(ctx.query))
    return Response(200)
