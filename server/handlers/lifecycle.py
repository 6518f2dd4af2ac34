"""Lifecycle: PutBucketLifecycleConfiguration, GetBucketLifecycleConfiguration and
DeleteBucketLifecycle, with S3's LifecycleConfiguration document.  The rules are applied by the
background scanner (engine/lifecycle_job.py); the x-amz-expiration header of object answers is
server/lifecycle.py's.

Theory of operation
-------------------
The document is checked as S3 checks it, shape first (any violation is MalformedXML, as the
published schema makes it), then values:

- The root LifecycleConfiguration holds 1 to 1000 Rule and nothing else; a body over 2 MiB is
  refused.  A Rule holds Status (Enabled or Disabled), exactly one of Filter and the older
  rule-level Prefix, at most one ID, Expiration, NoncurrentVersionExpiration and
  AbortIncompleteMultipartUpload, any number of Transition and NoncurrentVersionTransition, and
  nothing else.
- A Filter holds at most one of Prefix, Tag, ObjectSizeGreaterThan, ObjectSizeLessThan and And
  (none: every object); an And at least two predicates (Prefix, Tags, the two sizes); a Tag one
  Key and one Value.  An Expiration holds exactly one of Days, Date and ExpiredObjectDeleteMarker
  (S3 answers MalformedXML for Days with Date: its schema makes them a choice); a
  NoncurrentVersionExpiration NoncurrentDays and perhaps NewerNoncurrentVersions; an
  AbortIncompleteMultipartUpload DaysAfterInitiation.  Numbers are 32-bit integers (sizes 64-bit),
  booleans xs:boolean, dates ISO 8601.
- Values, rule by rule in document order: an ID over 255 characters, a second rule with the same
  ID, Days, NoncurrentDays or DaysAfterInitiation under 1, NewerNoncurrentVersions outside 1..100,
  a Date not at midnight UTC, sizes out of order: InvalidArgument, with S3's messages.  A rule
  without any action; ExpiredObjectDeleteMarker or AbortIncompleteMultipartUpload with a Tag
  filter (and the latter with a size filter); a prefix over 1024 characters; tags repeating a
  key; a rule-level Prefix beside rules with a Filter: InvalidRequest.
- Transitions move objects to another storage class, which Cairn honours only by moving them to
  a remote tier the operator configured (`mc admin tier add`, engine/tiers.py): a Transition
  (Days or Date) or NoncurrentVersionTransition (NoncurrentDays, NewerNoncurrentVersions) whose
  StorageClass is a configured tier's name is kept; any other storage class is refused with
  InvalidStorageClass and a message naming the tiers there are, as MinIO refuses a transition to a
  tier it does not know.  MinIO's limits: at most one of each per rule (InvalidRequest otherwise);
  Days and NoncurrentDays may be 0 (S3 allows it for transitions), not negative.

RestoreObject: a transitioned version is read through from its tier, so nothing ever needs a
restore; as S3 answers a restore of an object whose storage class needs none, it is refused with
403 InvalidObjectState (the message says why), after the version is found (NoSuchKey otherwise).

A rule without an ID gets a random one, as S3 gives (GetBucketLifecycleConfiguration shows it).
GetBucketLifecycleConfiguration writes each rule as it was given (Filter or Prefix, And or not),
in S3's element order; a bucket without one answers NoSuchLifecycleConfiguration.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Collection
from dataclasses import replace
from datetime import UTC, datetime
from xml.etree.ElementTree import Element

from cairn.engine.api import LifecycleConfig, LifecycleFilter, LifecycleRule

from ..body import read_body
from ..checksum_headers import verify_body_digest
from ..context import Context, Response
from ..errors import S3Error
from ..params import version_options
from ..xml import XML_HEADER, XMLError, document, esc, expect_root, parse_bool, parse_xml, timestamp
from .service import configured
from .tagging import check_tag

MAX_BODY = 2 << 20
MAX_RULES = 1000
MAX_ID = 255
MAX_PREFIX = 1024
MAX_NEWER_VERSIONS = 100
MAX_INT = 2**31 - 1
MAX_SIZE = 2**63 - 1
RULE_ONCE = frozenset({"ID", "Status", "Filter", "Prefix", "Expiration", "NoncurrentVersionExpiration",
                       "AbortIncompleteMultipartUpload"})
RULE_MANY = frozenset({"Transition", "NoncurrentVersionTransition"})
FILTER_ELEMENTS = frozenset({"Prefix", "Tag", "ObjectSizeGreaterThan", "ObjectSizeLessThan", "And"})
AND_ELEMENTS = frozenset({"Prefix", "Tag", "ObjectSizeGreaterThan", "ObjectSizeLessThan"})
EXPIRATION_ELEMENTS = frozenset({"Days", "Date", "ExpiredObjectDeleteMarker"})
NONCURRENT_ELEMENTS = frozenset({"NoncurrentDays", "NewerNoncurrentVersions"})
NO_TRANSITIONS = ("{action} to storage class {cls!r} cannot be honoured: Cairn moves objects to another "
                  "storage class only to a remote tier, and {tiers}")

Children = dict[str, list[Element]]


def invalid_argument(message: str) -> S3Error:
    return S3Error("InvalidArgument", message)


def invalid_request(message: str) -> S3Error:
    return S3Error("InvalidRequest", message)


# -- the document's shape ------------------------------------------------------------------------

def _children(parent: Element, allowed: frozenset[str], many: frozenset[str] = frozenset()) -> Children:
    """The children of `parent` by tag: only `allowed` ones, each once unless in `many`, no text
    beside them (MalformedXML otherwise)."""
    if parent.text is not None and parent.text.strip():
        raise XMLError("MalformedXML")
    out: Children = {}
    for child in parent:
        if child.tag not in allowed and child.tag not in many:
            raise XMLError("MalformedXML")
        out.setdefault(child.tag, []).append(child)
        if len(out[child.tag]) > 1 and child.tag not in many:
            raise XMLError("MalformedXML")
    return out


def _text(element: Element) -> str:
    """A leaf's text ("" when empty); MalformedXML for an element holding elements."""
    if len(element):
        raise XMLError("MalformedXML")
    return element.text or ""


def _leaf(children: Children, name: str) -> str | None:
    found = children.get(name)
    return None if not found else _text(found[0])


def _integer(text: str | None, maximum: int = MAX_INT) -> int | None:
    """An xs:int (or xs:long, by `maximum`); None when absent; MalformedXML when not one."""
    if text is None:
        return None
    value = text.strip()
    digits = value[1:] if value[:1] in "+-" else value
    if not (digits.isascii() and digits.isdigit()) or not -maximum - 1 <= int(value) <= maximum:
        raise XMLError("MalformedXML")
    return int(value)


def _date(text: str | None) -> int | None:
    """Expiration's Date as seconds since the epoch; at midnight UTC (InvalidArgument otherwise)."""
    if text is None:
        return None
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise XMLError("MalformedXML") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    seconds = when.timestamp()
    if seconds % 86_400:
        raise invalid_argument("'Date' must be at midnight GMT")
    return int(seconds)


def _tag(element: Element) -> tuple[str, str]:
    fields = _children(element, frozenset({"Key", "Value"}))
    key, value = _leaf(fields, "Key"), _leaf(fields, "Value")
    if key is None or value is None:
        raise XMLError("MalformedXML")
    check_tag(key, value)
    return key, value


def _predicates(children: Children, form: str) -> LifecycleFilter:
    prefix = _leaf(children, "Prefix")
    tags = tuple(_tag(t) for t in children.get("Tag", ()))
    size_gt = _integer(_leaf(children, "ObjectSizeGreaterThan"), MAX_SIZE)
    size_lt = _integer(_leaf(children, "ObjectSizeLessThan"), MAX_SIZE)
    return LifecycleFilter(prefix, tags, size_gt, size_lt, form)


def _filter(rule: Children) -> LifecycleFilter:
    """The rule's Filter, or its rule-level Prefix (exactly one of them)."""
    filters, prefixes = rule.get("Filter"), rule.get("Prefix")
    if (filters is None) == (prefixes is None):
        raise XMLError("MalformedXML")
    if prefixes is not None:
        return LifecycleFilter(_text(prefixes[0]), form="prefix")
    assert filters is not None
    children = _children(filters[0], FILTER_ELEMENTS)
    if len(children) > 1:
        raise XMLError("MalformedXML")  # more than one condition: they go in an And
    if "And" not in children:
        return _predicates(children, "filter")
    inner = _children(children["And"][0], AND_ELEMENTS, frozenset({"Tag"}))
    if sum(len(found) for found in inner.values()) < 2:
        raise XMLError("MalformedXML")
    return _predicates(inner, "and")


def _rule(element: Element) -> tuple[LifecycleRule, Children]:
    """One Rule, its shape checked (its values are `_check_rule`'s)."""
    children = _children(element, RULE_ONCE, RULE_MANY)
    status = _leaf(children, "Status")
    if status not in ("Enabled", "Disabled"):
        raise XMLError("MalformedXML")
    rule = LifecycleRule(_leaf(children, "ID") or "", status, _filter(children))
    if "Expiration" in children:
        expiration = _children(children["Expiration"][0], EXPIRATION_ELEMENTS)
        if len(expiration) != 1:
            raise XMLError("MalformedXML")
        marker = _leaf(expiration, "ExpiredObjectDeleteMarker")
        rule = replace(rule, expiration_days=_integer(_leaf(expiration, "Days")),
                       expiration_date=_date(_leaf(expiration, "Date")),
                       expired_object_delete_marker=None if marker is None else parse_bool(marker))
    if "NoncurrentVersionExpiration" in children:
        noncurrent = _children(children["NoncurrentVersionExpiration"][0], NONCURRENT_ELEMENTS)
        days = _integer(_leaf(noncurrent, "NoncurrentDays"))
        if days is None:
            raise XMLError("MalformedXML")
        rule = replace(rule, noncurrent_days=days,
                       newer_noncurrent_versions=_integer(_leaf(noncurrent, "NewerNoncurrentVersions")))
    if "AbortIncompleteMultipartUpload" in children:
        abort = _children(children["AbortIncompleteMultipartUpload"][0], frozenset({"DaysAfterInitiation"}))
        abort_days = _integer(_leaf(abort, "DaysAfterInitiation"))
        if abort_days is None:
            raise XMLError("MalformedXML")
        rule = replace(rule, abort_days=abort_days)
    moves = [_transition_shape(t, frozenset({"Days", "Date", "StorageClass"}), ("Days", "Date"))
             for t in children.get("Transition", ())]
    if moves:  # more than one: refused by _check_rule, once every shape is checked
        rule = replace(rule, transition_days=_integer(_leaf(moves[0], "Days")),
                       transition_date=_date(_leaf(moves[0], "Date")),
                       transition_class=_leaf(moves[0], "StorageClass"))
    moves = [_transition_shape(t, NONCURRENT_ELEMENTS | {"StorageClass"}, ("NoncurrentDays",))
             for t in children.get("NoncurrentVersionTransition", ())]
    if moves:
        rule = replace(rule, noncurrent_transition_days=_integer(_leaf(moves[0], "NoncurrentDays")),
                       noncurrent_transition_newer=_integer(_leaf(moves[0], "NewerNoncurrentVersions")),
                       noncurrent_transition_class=_leaf(moves[0], "StorageClass"))
    return rule, children


def _transition_shape(element: Element, allowed: frozenset[str], when: tuple[str, ...]) -> Children:
    fields = _children(element, allowed)
    if _leaf(fields, "StorageClass") is None or sum(name in fields for name in when) != 1:
        raise XMLError("MalformedXML")
    for name in ("Days", "NoncurrentDays", "NewerNoncurrentVersions"):
        _integer(_leaf(fields, name))
    return fields


# -- the values ------------------------------------------------------------------------------------

def _positive(value: int | None, element: str, action: str) -> None:
    if value is not None and value < 1:
        raise invalid_argument(f"'{element}' for {action} action must be a positive integer")


def _check_rule(rule: LifecycleRule, children: Children, ids: set[str], tiers: Collection[str]) -> None:
    """S3's value checks of one rule (see the module docstring), in its order."""
    if len(rule.id) > MAX_ID:
        raise invalid_argument(f"ID length should not exceed allowed limit of {MAX_ID}")
    if rule.id in ids:
        raise invalid_argument("Rule ID must be unique. Found same ID for more than one rule")
    f = rule.filter
    if f.prefix is not None and len(f.prefix) > MAX_PREFIX:
        raise invalid_request(f"The maximum size of a prefix is {MAX_PREFIX}")
    if len({name for name, _ in f.tags}) < len(f.tags):
        raise invalid_request("Duplicate Tag Keys are not allowed.")
    if f.size_gt is not None and f.size_gt < 0:
        raise invalid_argument("'ObjectSizeGreaterThan' must be a non-negative integer")
    if f.size_lt is not None and f.size_lt < 1:
        raise invalid_argument("'ObjectSizeLessThan' must be a positive integer")
    if f.size_gt is not None and f.size_lt is not None and f.size_gt >= f.size_lt:
        raise invalid_argument("'ObjectSizeGreaterThan' must be less than 'ObjectSizeLessThan'")
    if not any(name in children for name in ("Expiration", "NoncurrentVersionExpiration",
                                             "AbortIncompleteMultipartUpload", *RULE_MANY)):
        raise invalid_request("At least one action needs to be specified in a rule")
    _positive(rule.expiration_days, "Days", "Expiration")
    _positive(rule.noncurrent_days, "NoncurrentDays", "NoncurrentVersionExpiration")
    _positive(rule.abort_days, "DaysAfterInitiation", "AbortIncompleteMultipartUpload")
    keep = rule.newer_noncurrent_versions
    if keep is not None and not 1 <= keep <= MAX_NEWER_VERSIONS:
        raise invalid_argument(f"'NewerNoncurrentVersions' for NoncurrentVersionExpiration action must be a "
                               f"positive integer up to {MAX_NEWER_VERSIONS}")
    if rule.expired_object_delete_marker is not None and f.tags:
        raise invalid_request("ExpiredObjectDeleteMarker cannot be specified with Tags.")
    if rule.abort_days is not None and f.tags:
        raise invalid_request("AbortIncompleteMultipartUpload cannot be specified with Tags.")
    if rule.abort_days is not None and (f.size_gt is not None or f.size_lt is not None):
        raise invalid_request("AbortIncompleteMultipartUpload cannot be specified with Object Size.")
    for action in RULE_MANY:
        if len(children.get(action, ())) > 1:
            raise invalid_request(f"At most one {action} is allowed in a rule: Cairn transitions a "
                                  "version to one remote tier")
    for days, element, action in (
            (rule.transition_days, "Days", "Transition"),
            (rule.noncurrent_transition_days, "NoncurrentDays", "NoncurrentVersionTransition")):
        if days is not None and days < 0:
            raise invalid_argument(f"'{element}' for {action} action must be nonnegative")
    keep = rule.noncurrent_transition_newer
    if keep is not None and not 1 <= keep <= MAX_NEWER_VERSIONS:
        raise invalid_argument(f"'NewerNoncurrentVersions' for NoncurrentVersionTransition action must be a "
                               f"positive integer up to {MAX_NEWER_VERSIONS}")
    for action, storage_class in (("Transition", rule.transition_class),
                                  ("NoncurrentVersionTransition", rule.noncurrent_transition_class)):
        if storage_class is not None and storage_class not in tiers:
            there = (f"the configured tiers are {', '.join(sorted(tiers))}" if tiers else
                     "none is configured (mc admin tier add)")
            raise S3Error("InvalidStorageClass", NO_TRANSITIONS.format(action=action, cls=storage_class,
                                                                       tiers=there))


def new_rule_id() -> str:
    """An ID for a rule given without one (S3 makes up a 48-character one like this)."""
    return base64.b64encode(str(uuid.uuid4()).encode()).decode()


def parse_lifecycle_configuration(body: bytes, tiers: Collection[str] = ()) -> LifecycleConfig:
    """The configuration a PutBucketLifecycleConfiguration body holds; `tiers`: the names of the
    remote tiers configured (a transition's StorageClass must be one)."""
    root = parse_xml(body, MAX_BODY)
    expect_root(root, "LifecycleConfiguration")
    if (root.text is not None and root.text.strip()) or not 1 <= len(root) <= MAX_RULES:
        raise XMLError("MalformedXML")
    if any(element.tag != "Rule" for element in root):
        raise XMLError("MalformedXML")
    parsed = [_rule(element) for element in root]  # the whole shape first, then the values
    ids: set[str] = set()
    rules: list[LifecycleRule] = []
    for rule, children in parsed:
        _check_rule(rule, children, ids, tiers)
        if rule.id:
            ids.add(rule.id)
        rules.append(rule)
    forms = {rule.filter.form == "prefix" for rule in rules}
    if len(forms) > 1:
        raise invalid_request("Base level prefix cannot be used in Lifecycle V2, prefixes are only supported "
                              "in the Filter.")
    named = []
    for rule in rules:
        if not rule.id:
            while not rule.id or rule.id in ids:
                rule = replace(rule, id=new_rule_id())
            ids.add(rule.id)
        named.append(rule)
    return LifecycleConfig(tuple(named))


# -- GetBucketLifecycleConfiguration ---------------------------------------------------------------

def _filter_xml(f: LifecycleFilter) -> str:
    parts = [] if f.prefix is None else [f"<Prefix>{esc(f.prefix)}</Prefix>"]
    parts += [f"<Tag><Key>{esc(k)}</Key><Value>{esc(v)}</Value></Tag>" for k, v in f.tags]
    if f.size_gt is not None:
        parts.append(f"<ObjectSizeGreaterThan>{f.size_gt}</ObjectSizeGreaterThan>")
    if f.size_lt is not None:
        parts.append(f"<ObjectSizeLessThan>{f.size_lt}</ObjectSizeLessThan>")
    if f.form == "prefix":
        return f"<Prefix>{esc(f.prefix or '')}</Prefix>"
    inner = "".join(parts)
    return f"<Filter><And>{inner}</And></Filter>" if f.form == "and" else f"<Filter>{inner}</Filter>"


def _rule_xml(rule: LifecycleRule) -> str:
    body = f"<ID>{esc(rule.id)}</ID>{_filter_xml(rule.filter)}<Status>{rule.status}</Status>"
    if rule.expiration_days is not None:
        body += f"<Expiration><Days>{rule.expiration_days}</Days></Expiration>"
    elif rule.expiration_date is not None:
        date = timestamp(datetime.fromtimestamp(rule.expiration_date, UTC))
        body += f"<Expiration><Date>{date}</Date></Expiration>"
    elif rule.expired_object_delete_marker is not None:
        marker = "true" if rule.expired_object_delete_marker else "false"
        body += f"<Expiration><ExpiredObjectDeleteMarker>{marker}</ExpiredObjectDeleteMarker></Expiration>"
    if rule.noncurrent_days is not None:
        newer = rule.newer_noncurrent_versions
        body += (f"<NoncurrentVersionExpiration><NoncurrentDays>{rule.noncurrent_days}</NoncurrentDays>"
                 + ("" if newer is None else f"<NewerNoncurrentVersions>{newer}</NewerNoncurrentVersions>")
                 + "</NoncurrentVersionExpiration>")
    if rule.transition_class is not None:
        when = (f"<Days>{rule.transition_days}</Days>" if rule.transition_days is not None else
                f"<Date>{timestamp(datetime.fromtimestamp(rule.transition_date or 0, UTC))}</Date>")
        body += f"<Transition>{when}<StorageClass>{esc(rule.transition_class)}</StorageClass></Transition>"
    if rule.noncurrent_transition_class is not None:
        newer = rule.noncurrent_transition_newer
        body += (f"<NoncurrentVersionTransition><NoncurrentDays>{rule.noncurrent_transition_days}"
                 "</NoncurrentDays>"
                 + ("" if newer is None else f"<NewerNoncurrentVersions>{newer}</NewerNoncurrentVersions>")
                 + f"<StorageClass>{esc(rule.noncurrent_transition_class)}</StorageClass>"
                 "</NoncurrentVersionTransition>")
    if rule.abort_days is not None:
        body += (f"<AbortIncompleteMultipartUpload><DaysAfterInitiation>{rule.abort_days}"
                 "</DaysAfterInitiation></AbortIncompleteMultipartUpload>")
    return f"<Rule>{body}</Rule>"


def lifecycle_configuration_xml(config: LifecycleConfig) -> bytes:
    return document("LifecycleConfiguration", "".join(_rule_xml(rule) for rule in config.rules))


# -- the operations --------------------------------------------------------------------------------

async def handle_put_bucket_lifecycle_configuration(ctx: Context) -> Response:
    body = await read_body(ctx, MAX_BODY)
    verify_body_digest(ctx, body)
    tiers = await ctx.run(ctx.layer.tiers.names)
    config = parse_lifecycle_configuration(body, tiers)
    await ctx.run(ctx.layer.put_bucket_config, ctx.bucket, config)
    return Response(200)


async def handle_get_bucket_lifecycle_configuration(ctx: Context) -> Response:
    config = await configured(ctx, LifecycleConfig,
                              S3Error("NoSuchLifecycleConfiguration", BucketName=ctx.bucket))
    return Response(200, [XML_HEADER], lifecycle_configuration_xml(config))


async def handle_restore_object(ctx: Context) -> Response:
    await read_body(ctx, MAX_BODY)  # the RestoreRequest: nothing in it changes the answer
    info = await ctx.run(ctx.layer.head_object, ctx.bucket, ctx.key, version_options(ctx.query))
    where = (f"it is in remote tier {info.tier.name}, and GET reads it through from there"
             if info.tier is not None else "it is stored locally")
    raise S3Error("InvalidObjectState", f"Restore is not allowed for the object's current storage class: "
                  f"{where}; no restore is needed to read it", 403, StorageClass=info.storage_class)


async def handle_delete_bucket_lifecycle(ctx: Context) -> Response:
    await ctx.run(ctx.layer.delete_bucket_config, ctx.bucket, LifecycleConfig)
    return Response(204)
