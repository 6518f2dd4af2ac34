"""Bucket notifications: Put/GetBucketNotificationConfiguration with S3's NotificationConfiguration.
Which events requests make and how they are queued is server/notification.py's; their delivery
server/delivery.py's.

The document, checked as S3 and MinIO check it.  The root NotificationConfiguration holds any
number of QueueConfiguration, TopicConfiguration and CloudFunctionConfiguration (each: at most
one Id, exactly one Queue/Topic/CloudFunction ARN, one or more Event, at most one Filter holding
one S3Key of FilterRules, each with one Name and one Value) and nothing else; any other shape, and
a body over 256 KiB, is MalformedXML (EventBridgeConfiguration too: Cairn has no EventBridge).
Then InvalidArgument, configuration by configuration: an event name S3 or MinIO does not define,
or given twice; a filter rule name other than prefix or suffix (either case), two of one, a
value over 1024 bytes; an ARN that is not MinIO's arn:minio:sqs:<region>:<id>:<type>, names
another region than the server's (an empty region is the server's, as `mc event add` sends it),
or a target the operator did not define.  Last, two configurations that share an event type
(`s3:ObjectCreated:*` shares every ObjectCreated one) and whose filters can both match a key
(one prefix starts the other, one suffix ends the other) overlap, as S3 refuses, whatever their
destinations.  A configuration without an Id gets a generated one, as S3 gives.

An empty NotificationConfiguration removes the configuration; GET of a bucket without one
answers an empty NotificationConfiguration, as S3 does.
"""

from __future__ import annotations

import base64
import os
from collections import Counter
from xml.etree.ElementTree import Element

from cairn.engine.api import NotificationConfig, NotificationRule

from ..body import read_body
from ..context import Context, Response
from ..errors import S3Error
from ..notification import EVENT_NAMES, members, parse_arn
from ..xml import XML_HEADER, XMLError, document, esc, parse_xml
from .service import request_bucket

MAX_BODY = 256 << 10
MAX_FILTER_VALUE = 1024
KINDS = {"QueueConfiguration": "Queue", "TopicConfiguration": "Topic",
         "CloudFunctionConfiguration": "CloudFunction"}
BAD_ARN = "A specified destination ARN does not exist or is not well-formed. Verify the destination ARN."
OVERLAP = "Configurations overlap. Configurations on the same bucket cannot share a common event type."


def _blank(text: str | None) -> bool:
    return text is None or not text.strip()


def _leaf(element: Element) -> str:
    if len(element):
        raise XMLError("MalformedXML")
    return element.text or ""


def _filters(element: Element) -> list[tuple[str, str]]:
    """A Filter's FilterRules as (Name, Value), shape checked."""
    if not _blank(element.text) or len(element) != 1 or element[0].tag != "S3Key":
        raise XMLError("MalformedXML")
    key = element[0]
    out: list[tuple[str, str]] = []
    for rule in key:
        if rule.tag != "FilterRule" or not _blank(rule.text):
            raise XMLError("MalformedXML")
        parts = {child.tag: child for child in rule}
        if len(parts) != len(rule) or set(parts) != {"Name", "Value"}:
            raise XMLError("MalformedXML")
        out.append((_leaf(parts["Name"]), _leaf(parts["Value"])))
    return out


def _shape(element: Element, kind: str) -> tuple[str | None, str, list[str], list[tuple[str, str]]]:
    """(Id, ARN, events, filter rules) of one configuration, its shape checked (MalformedXML)."""
    ids: list[str] = []
    arns: list[str] = []
    events: list[str] = []
    filters: list[list[tuple[str, str]]] = []
    if not _blank(element.text):
        raise XMLError("MalformedXML")
    for child in element:
        if child.tag == "Id":
            ids.append(_leaf(child))
        elif child.tag == kind:
            arns.append(_leaf(child).strip())
        elif child.tag == "Event":
            events.append(_leaf(child).strip())
        elif child.tag == "Filter":
            filters.append(_filters(child))
        else:
            raise XMLError("MalformedXML")
    if len(ids) > 1 or len(arns) != 1 or not events or len(filters) > 1:
        raise XMLError("MalformedXML")
    return (ids[0] if ids else None), arns[0], events, (filters[0] if filters else [])


def _check_events(events: list[str]) -> None:
    for name in events:
        if name not in EVENT_NAMES:
            raise S3Error("InvalidArgument", "A specified event is not supported for notifications.",
                          ArgumentName="Event", ArgumentValue=name)
    if len(set(events)) != len(events):
        raise S3Error("InvalidArgument", "The same event name is given twice in one configuration.",
                      ArgumentName="Event")


def _check_filters(filters: list[tuple[str, str]]) -> None:
    seen: set[str] = set()
    for name, value in filters:
        lower = name.lower()
        if lower not in ("prefix", "suffix"):
            raise S3Error("InvalidArgument", "filter rule name must be either prefix or suffix",
                          ArgumentName="FilterRule", ArgumentValue=name)
        if lower in seen:
            raise S3Error("InvalidArgument", f"Cannot specify more than one {lower} rule in a filter.",
                          ArgumentName="FilterRule", ArgumentValue=name)
        seen.add(lower)
        if len(value.encode("utf-8", "surrogatepass")) > MAX_FILTER_VALUE:
            raise S3Error("InvalidArgument", "Size of filter rule value cannot exceed 1024 bytes in UTF-8 "
                                             "representation", ArgumentName="FilterRule")


def _check_arn(ctx: Context, arn: str) -> None:
    parsed = parse_arn(arn)
    names = {target.name for target in ctx.config.webhooks}
    if (parsed is None or parsed[0] not in ("", ctx.config.region)
            or f"{parsed[1]}:{parsed[2]}" not in names):
        raise S3Error("InvalidArgument", BAD_ARN, ArgumentName=arn, ArgumentValue=arn)


def event_types(rule: NotificationRule) -> frozenset[str]:
    """Every single event name a configuration's events stand for (wildcards expanded)."""
    return frozenset().union(*(members(e) for e in rule.events))


def _filters_overlap(pa: str, sa: str, pb: str, sb: str) -> bool:
    """Whether a key can start with both prefixes and end with both suffixes."""
    return (pa.startswith(pb) or pb.startswith(pa)) and (sa.endswith(sb) or sb.endswith(sa))


def overlap(a: NotificationRule, b: NotificationRule) -> bool:
    """Whether two configurations share an event type and a key both their filters match."""
    return (_filters_overlap(a.prefix, a.suffix, b.prefix, b.suffix)
            and not event_types(a).isdisjoint(event_types(b)))


def _tails(text: str) -> list[str]:
    return [text[i:] for i in range(len(text) + 1)]


def _clash(rules: list[tuple[str, str]]) -> bool:
    """Whether two of these (prefix, suffix) filters can match one key.  Sorted by prefix, the
    filters whose prefix starts another's precede it, so one walk keeps the stack of those
    (`open`); each filter's suffix is looked up against theirs in two multisets: their suffixes
    (is one of them a tail of this suffix?) and all their suffixes' tails (is this suffix a tail
    of one of them?).  Linear in the filters' total length, however hostile the document."""
    ends: Counter[str] = Counter()
    tails: Counter[str] = Counter()
    open_: list[tuple[str, str]] = []
    for prefix, suffix in sorted(rules):
        while open_ and not prefix.startswith(open_[-1][0]):
            _, gone = open_.pop()
            ends[gone] -= 1
            tails.subtract(_tails(gone))
        if tails[suffix] > 0 or any(ends[t] > 0 for t in _tails(suffix)):
            return True
        open_.append((prefix, suffix))
        ends[suffix] += 1
        tails.update(_tails(suffix))
    return False


def check_overlaps(rules: list[NotificationRule]) -> None:
    """InvalidArgument when two configurations overlap: among the configurations of each event
    type (a set of them checked once however many types share it), two whose filters clash."""
    by_type: dict[str, list[int]] = {}
    for i, rule in enumerate(rules):
        for name in event_types(rule):
            by_type.setdefault(name, []).append(i)
    for group in {tuple(g) for g in by_type.values() if len(g) > 1}:
        if _clash([(rules[i].prefix, rules[i].suffix) for i in group]):
            raise S3Error("InvalidArgument", OVERLAP, ArgumentName="Event")


def _new_id() -> str:
    return base64.b64encode(os.urandom(36)).decode()


def parse_notification_configuration(body: bytes, ctx: Context) -> NotificationConfig:
    root = parse_xml(body, MAX_BODY)
    if root.tag != "NotificationConfiguration" or not _blank(root.text):
        raise XMLError("MalformedXML")
    shapes: list[tuple[str, tuple[str | None, str, list[str], list[tuple[str, str]]]]] = []
    for child in root:
        kind = KINDS.get(child.tag)
        if kind is None:
            raise XMLError("MalformedXML")
        shapes.append((kind, _shape(child, kind)))
    rules: list[NotificationRule] = []
    for kind, (rule_id, arn, events, filters) in shapes:
        _check_events(events)
        _check_filters(filters)
        _check_arn(ctx, arn)
        rules.append(NotificationRule(kind, arn, tuple(events), rule_id or _new_id(), tuple(filters)))
    check_overlaps(rules)
    return NotificationConfig(tuple(rules))


def notification_configuration_xml(config: NotificationConfig | None) -> bytes:
    """GetBucketNotificationConfiguration: each configuration with its Id, ARN, Events and Filter,
    Topic ones first, then Queue, then CloudFunction, as S3 writes them."""
    parts: list[str] = []
    for kind in ("Topic", "Queue", "CloudFunction"):
        for rule in config.rules if config is not None else ():
            if rule.kind != kind:
                continue
            events = "".join(f"<Event>{esc(e)}</Event>" for e in rule.events)
            filters = "".join(f"<FilterRule><Name>{esc(n)}</Name><Value>{esc(v)}</Value></FilterRule>"
                              for n, v in rule.filters)
            parts.append(f"<{kind}Configuration><Id>{esc(rule.id)}</Id><{kind}>{esc(rule.arn)}</{kind}>"
                         f"{events}{f'<Filter><S3Key>{filters}</S3Key></Filter>' if filters else ''}"
                         f"</{kind}Configuration>")
    return document("NotificationConfiguration", "".join(parts))


async def handle_put_bucket_notification_configuration(ctx: Context) -> Response:
    config = parse_notification_configuration(await read_body(ctx, MAX_BODY), ctx)
    if config.rules:
        await ctx.run(ctx.layer.put_bucket_config, ctx.bucket, config)
    else:
        await ctx.run(ctx.layer.delete_bucket_config, ctx.bucket, NotificationConfig)
    return Response(200)


async def handle_get_bucket_notification_configuration(ctx: Context) -> Response:
    config = (await request_bucket(ctx)).config(NotificationConfig)
    return Response(200, [XML_HEADER], notification_configuration_xml(config))
