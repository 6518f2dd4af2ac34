"""Bucket notifications: which events a request makes, and queueing them before it is answered.

Theory of operation
-------------------
Emission is one step of the request pipeline (app.py), after the handler succeeded and before
the answer is sent.  A request to a bucket without a NotificationConfiguration costs a set
lookup (is this an operation that makes events?) and a dictionary lookup in the bucket record
authorization already loaded.  Otherwise `events_of` says what happened from the operation, its
key and the answer's headers (x-amz-version-id, x-amz-delete-marker, ETag), or from the events
a handler handed over in `Response.events` (DeleteObjects: one per key deleted; PostObject: its
form's key); the size and ETag an answer does not carry are read from the version written.
Each event that a configuration of the bucket wants (event name, prefix, suffix) becomes the
body MinIO's webhook target POSTs, `{"EventName", "Key", "Records": [record]}`, queued for the
configuration's target in the metadata store (engine/event_queue.py) on a write quorum: the
request is acknowledged only once its events are durable, and an error to queue them is the
request's error (a client retrying it makes the events again).  The window left: a crash between
the engine's commit of the change and the queue's commit (both a few milliseconds) loses the
event of a change that was made but never acknowledged.  Delivery is delivery.py's.
Lifecycle expirations, which no request makes, are told by the scanner's lifecycle job
(`lifecycle_notifier`) and queued the same way right after each delete.

Records are S3's event message structure, version 2.0: eventName without "s3:" as AWS writes it
("ObjectCreated:Put"), the top-level EventName with it as MinIO writes it; eventSource
"minio:s3" as MinIO (the ARNs are MinIO's too); the key URL-encoded as AWS does (form encoding,
"/" kept); the sequencer the event time in hex nanoseconds, as MinIO.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from urllib.parse import quote_plus

import orjson

from cairn.engine.api import (
    BucketInfo,
    DeletedObject,
    NotificationConfig,
    NotificationRule,
    ObjectLayer,
    ObjectOptions,
)
from cairn.engine.errors import EngineError

from .context import Context, ObjectEvent, Response, ServerConfig
from .errors import from_engine

log = logging.getLogger("cairn.server")

CREATED, REMOVED, ACCESSED = "s3:ObjectCreated:", "s3:ObjectRemoved:", "s3:ObjectAccessed:"
TAGGING, EXPIRATION = "s3:ObjectTagging:", "s3:LifecycleExpiration:"

# Every event name a configuration may ask for: S3's (including those Cairn never makes: restores,
# replication, transitions, reduced redundancy) and MinIO's own.  The families' members are what
# a "<family>:*" stands for when configurations are checked for overlaps.
FAMILIES: dict[str, tuple[str, ...]] = {
    "s3:ObjectCreated": ("Put", "Post", "Copy", "CompleteMultipartUpload", "PutRetention", "PutLegalHold",
                         "PutTagging", "DeleteTagging"),
    "s3:ObjectRemoved": ("Delete", "DeleteMarkerCreated", "DeleteAllVersions", "NoOP"),
    "s3:ObjectAccessed": ("Get", "Head", "GetRetention", "GetLegalHold", "Attributes"),
    "s3:ObjectRestore": ("Post", "Completed", "Delete"),
    "s3:ObjectTagging": ("Put", "Delete"),
    "s3:ObjectAcl": ("Put",),
    "s3:LifecycleExpiration": ("Delete", "DeleteMarkerCreated"),
    "s3:Replication": ("OperationFailedReplication", "OperationMissedThreshold",
                       "OperationReplicatedAfterThreshold", "OperationNotTracked",
                       "OperationCompletedReplication"),
    "s3:ObjectTransition": ("Failed", "Complete"),
}
SINGLE = frozenset({"s3:ReducedRedundancyLostObject", "s3:LifecycleTransition", "s3:IntelligentTiering",
                    "s3:TestEvent"})
EVENT_NAMES = frozenset(
    {f"{family}:{member}" for family, members in FAMILIES.items() for member in members}
    | {f"{family}:*" for family in FAMILIES} | SINGLE)

# What each operation makes when it succeeds (the pipeline's quick test), and its event name.
CREATES = {"PutObject": CREATED + "Put", "CopyObject": CREATED + "Copy",
           "CompleteMultipartUpload": CREATED + "CompleteMultipartUpload"}
OTHERS = {"GetObject": ACCESSED + "Get", "HeadObject": ACCESSED + "Head",
          "GetObjectAttributes": ACCESSED + "Attributes", "GetObjectRetention": ACCESSED + "GetRetention",
          "GetObjectLegalHold": ACCESSED + "GetLegalHold",
          "PutObjectTagging": TAGGING + "Put", "DeleteObjectTagging": TAGGING + "Delete",
          "PutObjectAcl": "s3:ObjectAcl:Put"}
EMITTING = frozenset({*CREATES, *OTHERS, "DeleteObject"})


def members(name: str) -> frozenset[str]:
    """The single event names a configured name stands for."""
    if name.endswith(":*"):
        family = name[:-2]
        return frozenset(f"{family}:{m}" for m in FAMILIES.get(family, ())) | {name}
    return frozenset({name})


def parse_arn(arn: str) -> tuple[str, str, str] | None:
    """(region, target id, target type) of MinIO's arn:minio:sqs:<region>:<id>:<type>; None when
    the ARN is not of that shape."""
    parts = arn.split(":")
    if len(parts) != 6 or parts[:3] != ["arn", "minio", "sqs"] or not parts[4] or not parts[5]:
        return None
    return parts[3], parts[4], parts[5]


def target_of(arn: str) -> str:
    """The queue's name of the target an ARN addresses ("<id>:<type>")."""
    parsed = parse_arn(arn)
    assert parsed is not None, arn  # stored configurations were checked
    return f"{parsed[1]}:{parsed[2]}"


# -- what happened ----------------------------------------------------------------------------

def _header(resp: Response, name: str) -> str | None:
    lower = name.lower()
    return next((v for n, v in resp.headers if n.lower() == lower), None)


def events_of(ctx: Context, resp: Response) -> list[ObjectEvent]:
    """The events of a successful request (see the module docstring)."""
    if resp.events is not None:
        return resp.events
    op, key = ctx.operation, ctx.key_name
    if key is None:
        return []
    version = _header(resp, "x-amz-version-id")
    if op == "DeleteObject":
        marker = _header(resp, "x-amz-delete-marker") == "true" and "versionId" not in ctx.query
        return [ObjectEvent(REMOVED + ("DeleteMarkerCreated" if marker else "Delete"), key, version, 0, "")]
    if op == "PutObject":  # the size the body had (what the engine stored, or it would have refused)
        decoded = ctx.header("x-amz-decoded-content-length")
        size = int(decoded) if decoded and decoded.isdigit() else ctx.request.content_length
        etag = _header(resp, "ETag")
        return [ObjectEvent(CREATES[op], key, version, size, etag.strip('"') if etag else None)]
    if op in CREATES:
        return [ObjectEvent(CREATES[op], key, version)]
    if op in ("GetObject", "HeadObject"):
        if _header(resp, "x-amz-delete-marker") == "true":
            return []
        etag = (_header(resp, "ETag") or "").strip('"')
        return [ObjectEvent(OTHERS[op], key, version or ctx.query.get("versionId"), resp.length, etag)]
    if op in OTHERS:
        return [ObjectEvent(OTHERS[op], key, version or ctx.query.get("versionId"))]
    return []


# -- the records ------------------------------------------------------------------------------

def event_time(now_ns: int) -> str:
    when = datetime.fromtimestamp(now_ns / 1e9, UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


@dataclass(frozen=True)
class Origin:
    """Who made an event: the requester's access key, the request's id, where it came from."""

    principal: str
    request_id: str = ""
    source_ip: str = ""
    user_agent: str = ""


LIFECYCLE = Origin("", user_agent="Internal: [ILM-Expiry]")  # MinIO's name for its lifecycle expiry


def origin_of(ctx: Context) -> Origin:
    principal = ctx.principal.account if ctx.principal is not None else ""
    return Origin(ctx.identity.access_key or principal, ctx.request_id, ctx.source_ip,
                  ctx.header("user-agent") or "")


def event_record(config: ServerConfig, origin: Origin, bucket: BucketInfo, rule: NotificationRule,
                 event: ObjectEvent, now_ns: int, host_id: str = "") -> dict[str, object]:
    """One record of S3's event message structure (see the module docstring)."""
    obj: dict[str, object] = {"key": quote_plus(event.key, safe="/"), "sequencer": f"{now_ns:016X}"}
    if not event.name.startswith((REMOVED, EXPIRATION)):
        obj |= {"size": event.size or 0, "eTag": event.etag or ""}
    if event.version_id and event.version_id != "null":
        obj["versionId"] = event.version_id
    region = config.region
    return {
        "eventVersion": "2.0",
        "eventSource": "minio:s3",
        "awsRegion": region,
        "eventTime": event_time(now_ns),
        "eventName": event.name.removeprefix("s3:"),
        "userIdentity": {"principalId": origin.principal},
        "requestParameters": {"principalId": origin.principal, "region": region,
                              "sourceIPAddress": origin.source_ip},
        "responseElements": {"x-amz-request-id": origin.request_id, "x-amz-id-2": host_id},
        "s3": {
            "s3SchemaVersion": "1.0",
            "configurationId": rule.id,
            "bucket": {"name": bucket.name, "arn": f"arn:aws:s3:::{bucket.name}",
                       "ownerIdentity": {"principalId": bucket.owner or config.root_user}},
            "object": obj,
        },
        "source": {"host": origin.source_ip, "port": "", "userAgent": origin.user_agent},
    }


def webhook_body(bucket: str, event: ObjectEvent, record: dict[str, object]) -> bytes:
    """What MinIO's webhook target POSTs for one event."""
    return orjson.dumps({"EventName": event.name, "Key": f"{bucket}/{event.key}", "Records": [record]})


# -- the pipeline step ------------------------------------------------------------------------

class Notifier:
    """The pipeline's notification step, with a per-process cache of parsed configurations."""

    def __init__(self, host_id: str = "") -> None:
        self.host_id = host_id
        self._parsed: dict[str, tuple[tuple[int, int], NotificationConfig]] = {}

    def config(self, info: BucketInfo) -> NotificationConfig | None:
        doc = info.configs.get(NotificationConfig.KIND)
        if not doc:
            return None
        cached = self._parsed.get(info.name)
        version = (info.created_ns, info.generation)  # a bucket made again starts its generations anew
        if cached is not None and cached[0] == version:
            return cached[1]
        config = NotificationConfig.from_doc(doc)
        if len(self._parsed) > 10_000:
            self._parsed.clear()
        self._parsed[info.name] = (version, config)
        return config

    async def emit(self, ctx: Context, resp: Response) -> None:
        """Queue the request's events that its bucket's configuration wants (a dictionary lookup
        when it has none)."""
        if ctx.bucket_name is None:
            return
        info = await _bucket(ctx)
        config = self.config(info) if info is not None else None
        if config is None or info is None:
            return
        wanted = [(rule, event) for event in events_of(ctx, resp) for rule in config.rules
                  if rule.wants(event.name, event.key)]
        if not wanted:
            return
        now, origin = time.time_ns(), origin_of(ctx)
        entries: list[tuple[str, bytes]] = []
        looked_up: dict[ObjectEvent, ObjectEvent] = {}
        for rule, event in wanted:
            if event.size is None or event.etag is None:
                if event not in looked_up:
                    looked_up[event] = await _complete(ctx, resp, event)
                event = looked_up[event]
            record = event_record(ctx.config, origin, info, rule, event, now, self.host_id)
            entries.append((target_of(rule.arn), webhook_body(info.name, event, record)))
        try:
            await ctx.run(ctx.layer.events.append, entries)
        except EngineError as exc:  # not queued: the request is not acknowledged (see above)
            log.error("notification: %d events of %s %s could not be queued: %s (request %s)", len(entries),
                      ctx.operation, ctx.bucket, exc, ctx.request_id)
            raise from_engine(exc) from exc


async def _bucket(ctx: Context) -> BucketInfo | None:
    """The request's bucket as authorization loaded it, else as cached, else read."""
    access = ctx.access
    if access is not None and (info := access.buckets.get(ctx.bucket)) is not None:
        return info
    cached = ctx.layer.cached_bucket(ctx.bucket)
    return cached if cached is not None else await ctx.run(ctx.layer.lookup_bucket, ctx.bucket)


async def _complete(ctx: Context, resp: Response, event: ObjectEvent) -> ObjectEvent:
    """The event with the size and ETag of the version the request wrote."""
    etag = (_header(resp, "ETag") or "").strip('"') or None
    try:
        info = await ctx.run(ctx.layer.head_object, ctx.bucket, event.key,
                             ObjectOptions(version_id=event.version_id))
    except Exception:  # gone already (a concurrent delete): the event goes out with what is known
        log.warning("notification: %s/%s (%s) could not be read for its size", ctx.bucket, event.key,
                    event.name)
        return replace(event, size=event.size or 0, etag=event.etag or etag or "")
    return replace(event, size=info.size if event.size is None else event.size,
                   etag=event.etag if event.etag is not None else etag or info.etag)


# -- lifecycle expirations --------------------------------------------------------------------

def lifecycle_notifier(layer: ObjectLayer, config: ServerConfig
                       ) -> Callable[[BucketInfo, str, DeletedObject, str | None], None]:
    """What the scanner's lifecycle job calls after each expiration it applied (in its thread):
    the events of the bucket's configurations that ask for them, queued.  A configuration asking
    for S3's s3:LifecycleExpiration:Delete/DeleteMarkerCreated gets those; one asking only for
    the s3:ObjectRemoved: name of the same change gets it under that name, as MinIO sends its
    lifecycle expiries.  No request waits on these: an event that cannot be queued is logged."""
    notifier = Notifier()

    def deleted(bucket: BucketInfo, key: str, done: DeletedObject, version_asked: str | None) -> None:
        rules = notifier.config(bucket)
        if rules is None:
            return
        kind = "DeleteMarkerCreated" if done.delete_marker and version_asked is None else "Delete"
        now = time.time_ns()
        entries: list[tuple[str, bytes]] = []
        for rule in rules.rules:
            for name in (EXPIRATION + kind, REMOVED + kind):
                if rule.wants(name, key):
                    event = ObjectEvent(name, key, done.version_id, 0, "")
                    record = event_record(config, LIFECYCLE, bucket, rule, event, now)
                    entries.append((target_of(rule.arn), webhook_body(bucket.name, event, record)))
                    break
        try:
            layer.events.append(entries)
        except EngineError as exc:
            log.error("notification: %d lifecycle events of %s/%s could not be queued: %s", len(entries),
                      bucket.name, key, exc)

    return deleted
