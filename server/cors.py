"""CORS: which rule answers a browser's cross-origin request, and the headers that say so.  The
preflight handler (handlers/cors.py) and the pipeline's CORS step (app.py) both ask here.

Theory of operation
-------------------
A bucket's CORSConfiguration (engine CorsConfig, checked by handlers/cors.py) is a list of
rules; the first rule that matches a request answers it, as in S3.  A rule matches when

- the Origin matches one of its AllowedOrigin patterns: text compared exactly (case-sensitive,
  as S3 does), but for at most one `*`, which stands for any run of characters, possibly none.
  A pattern is a prefix and a suffix that must both be found without overlapping, so matching
  is linear and `https://*.example.com` cannot match `https://evil.example.com.attacker.net`
  (the origin must *end* with `.example.com`);
- the method (the request's own; a preflight's Access-Control-Request-Method) is one of its
  AllowedMethod, compared exactly (methods are case-sensitive);
- for a preflight, every header name of Access-Control-Request-Headers matches one of its
  AllowedHeader patterns, compared without case (header names are case-insensitive).

What `*` may stand for is bounded by what an Origin may be: the pipeline takes an Origin only
when it could be a browser's serialized origin (`plausible_origin`: at most 1024 characters of
a scheme, host and port's alphabet, a `/` only in the `://` after a scheme), so no `*` ever
matches a path, query, fragment, userinfo, space or escape (`https://attacker.net/.example.com`,
`https://attacker.net?.example.com`, `https://a@x.example.com` match nothing).  A rule's own
breadth is its author's: `https://example.com*` also matches `https://example.com.evil.net`,
exactly as on S3.

A preflight's answer names the origin, or `*` when the matching pattern is the literal `*`;
the rule's methods; the requested headers (lower-cased); its ExposeHeader and MaxAgeSeconds;
Access-Control-Allow-Credentials: true beside an echoed origin; and Vary.  An actual request's
answer (success or error, added by the pipeline) is the same without Allow-Headers; there `*` is
sent only to an anonymous request (a signed one gets its origin echoed, which every browser
accepts whatever its credentials mode).  CORS never grants access: a request the browser lets
through is authenticated and authorized like any other.

Buckets without a configuration answer from the server-wide default rule
(`--cors-allow-origin`, MinIO's CORS_ALLOW_ORIGIN): those origins, every S3 method, any request
header, the common response headers exposed.  An empty list turns the default off, so that
such buckets refuse every preflight, as S3's do.

Compiled rules are kept per bucket record (name, creation time, generation), so a request with
an Origin costs a few string comparisons; a request without one costs one dictionary lookup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from cairn.engine.api import BucketInfo, CorsConfig, CorsRule

METHODS = ("GET", "PUT", "HEAD", "POST", "DELETE")  # what AllowedMethod may name (S3's list)
VARY = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method"
MAX_ORIGIN = 1024
# A serialized origin's alphabet (scheme, host or IP literal, port), and the shape of its slashes.
_ORIGIN_CHARS = re.compile(r"[A-Za-z0-9+.\-_:\[\]]*(?://[A-Za-z0-9.\-_:\[\]]*)?")
# The response headers the server-wide default rule exposes to scripts (MinIO's list, spelled out:
# a browser reads Access-Control-Expose-Headers literally, so `x-amz*` would expose nothing).
DEFAULT_EXPOSE = (
    "Date", "ETag", "Server", "Connection", "Accept-Ranges", "Content-Range", "Content-Encoding",
    "Content-Length", "Content-Type", "Content-Disposition", "Content-Language", "Cache-Control",
    "Expires", "Last-Modified", "Retry-After", "x-amz-bucket-region", "x-amz-request-id", "x-amz-id-2",
    "x-amz-version-id", "x-amz-delete-marker", "x-amz-tagging-count", "x-amz-expiration",
    "x-amz-server-side-encryption", "x-amz-storage-class", "x-amz-object-lock-mode",
    "x-amz-object-lock-retain-until-date", "x-amz-object-lock-legal-hold", "x-amz-mp-parts-count",
    "x-amz-checksum-crc32", "x-amz-checksum-crc32c", "x-amz-checksum-crc64nvme", "x-amz-checksum-sha1",
    "x-amz-checksum-sha256", "x-amz-checksum-type")


def plausible_origin(origin: str) -> bool:
    """Whether `origin` could be a browser's Origin header (see the module docstring)."""
    return len(origin) <= MAX_ORIGIN and _ORIGIN_CHARS.fullmatch(origin) is not None


def one_wildcard(pattern: str) -> bool:
    """S3's rule for AllowedOrigin and AllowedHeader: at most one `*`."""
    return pattern.count("*") <= 1


@dataclass(frozen=True)
class Pattern:
    """An AllowedOrigin or AllowedHeader: literal text, or a prefix and a suffix around one `*`."""

    prefix: str
    suffix: str | None  # None: no wildcard, `prefix` is the whole text

    @classmethod
    def of(cls, text: str) -> Pattern:
        head, star, tail = text.partition("*")
        return cls(head, tail if star else None)

    def matches(self, text: str) -> bool:
        if self.suffix is None:
            return text == self.prefix
        return (len(text) >= len(self.prefix) + len(self.suffix) and text.startswith(self.prefix)
                and text.endswith(self.suffix))


@dataclass(frozen=True)
class Rule:
    """A CorsRule made ready for matching (header patterns lower-cased)."""

    rule: CorsRule
    origins: tuple[Pattern, ...]
    headers: tuple[Pattern, ...]
    any_origin: bool  # the literal `*` is among the origins: the answer may be `*`

    @classmethod
    def of(cls, rule: CorsRule) -> Rule:
        return cls(rule, tuple(map(Pattern.of, rule.allowed_origins)),
                   tuple(Pattern.of(h.lower()) for h in rule.allowed_headers), "*" in rule.allowed_origins)

    def allows(self, origin: str, method: str, headers: Sequence[str]) -> bool:
        return (method in self.rule.allowed_methods and any(p.matches(origin) for p in self.origins)
                and all(any(p.matches(h) for p in self.headers) for h in headers))


@dataclass(frozen=True)
class Match:
    """The rule that answers a request, and the Access-Control-Allow-Origin it may send."""

    rule: Rule
    origin: str

    def headers(self, *, wildcard: bool, allow_headers: Sequence[str] | None = None
                ) -> list[tuple[str, str]]:
        """The answer's CORS headers, in S3's order: `*` for the origin when the rule allows any
        and `wildcard` (a preflight, an anonymous request); `allow_headers` for a preflight."""
        rule = self.rule.rule
        star = wildcard and self.rule.any_origin
        out = [("Access-Control-Allow-Origin", "*" if star else self.origin),
               ("Access-Control-Allow-Methods", ", ".join(rule.allowed_methods))]
        if allow_headers:
            out.append(("Access-Control-Allow-Headers", ", ".join(allow_headers)))
        if rule.expose_headers:
            out.append(("Access-Control-Expose-Headers", ", ".join(rule.expose_headers)))
        if rule.max_age_seconds is not None:
            out.append(("Access-Control-Max-Age", str(rule.max_age_seconds)))
        if not star:
            out.append(("Access-Control-Allow-Credentials", "true"))
        out.append(("Vary", VARY))
        return out


def first_match(rules: Iterable[Rule], origin: str, method: str, headers: Sequence[str] = ()
                ) -> Match | None:
    """The first rule allowing this origin, method and (preflight) request headers, lower-cased."""
    if not plausible_origin(origin):
        return None
    for rule in rules:
        if rule.allows(origin, method, headers):
            return Match(rule, origin)
    return None


def requested_headers(value: str | None) -> list[str]:
    """Access-Control-Request-Headers as names: split at commas, trimmed, lower-cased."""
    if not value:
        return []
    return [name for name in (part.strip().lower() for part in value.split(",")) if name]


# -- which rules apply -----------------------------------------------------------------------

_COMPILED: dict[tuple[str, int, int], tuple[Rule, ...]] = {}
_DEFAULTS: dict[tuple[str, ...], tuple[Rule, ...]] = {}


def default_rule(origins: Sequence[str]) -> CorsRule:
    """The server-wide rule for buckets without a configuration (`--cors-allow-origin`)."""
    return CorsRule(tuple(origins), METHODS, ("*",), DEFAULT_EXPOSE)


def default_rules(origins: tuple[str, ...]) -> tuple[Rule, ...]:
    rules = _DEFAULTS.get(origins)
    if rules is None:
        rules = _DEFAULTS[origins] = (Rule.of(default_rule(origins)),) if origins else ()
    return rules


def bucket_rules(info: BucketInfo) -> tuple[Rule, ...] | None:
    """The bucket's compiled rules; None when it has no CORS configuration."""
    if CorsConfig.KIND not in info.configs:
        return None
    slot = (info.name, info.created_ns, info.generation)
    rules = _COMPILED.get(slot)
    if rules is None:
        config = info.config(CorsConfig)
        if len(_COMPILED) > 10_000:
            _COMPILED.clear()
        rules = _COMPILED[slot] = tuple(map(Rule.of, config.rules if config is not None else ()))
    return rules


def rules_for(info: BucketInfo | None, default_origins: tuple[str, ...]) -> tuple[Rule, ...]:
    """The rules that answer requests to this bucket (None: a request naming no bucket): its own,
    else the server-wide default."""
    own = bucket_rules(info) if info is not None else None
    return own if own is not None else default_rules(default_origins)


def response_headers(rules: Iterable[Rule], headers: Mapping[str, str], method: str, anonymous: bool
                     ) -> list[tuple[str, str]]:
    """The CORS headers of the answer to an actual (not preflight) request; none when it carries
    no Origin or no rule allows it."""
    origin = headers.get("origin")
    if not origin:
        return []
    match = first_match(rules, origin, method)
    return [] if match is None else match.headers(wildcard=anonymous)
