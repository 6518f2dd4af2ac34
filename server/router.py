"""Request router: which S3 operation a request names, and on which bucket and key.

Theory of operation
-------------------
`route()` is a pure function of the request head (method, decoded path, decoded query,
lower-cased headers, Host) to a `Route`: the AWS operation name exactly as AWS spells it
("PutObject", "ListObjectsV2", "GetBucketPolicyStatus", ...), the bucket and the key. It reads
no body, touches no storage and knows nothing of authentication, so it is tested as a table
(tests/server/test_router.py), as Garage tests src/api/s3/router.rs. Every operation in AWS's S3
API is routed by name, implemented or not, so the server can answer `NotImplemented` naming
exactly what was asked for; `OPERATIONS` lists them all. A request S3 itself refuses from its
shape alone raises `RouteError` carrying S3's code, message, status and the extra `<Error>`
members and headers S3 sends with it (`Method`/`ResourceType` and `Allow` on a 405, ...).

The steps, in order:

1. Special paths, matched on the exact path before anything S3: GET/HEAD of MinIO's probes
   /minio/health/{live,ready,cluster} and of its Prometheus endpoints /minio/v2/metrics/{cluster,
   node,bucket} (other methods there are a 405), anything under
   /minio/admin/ (AdminApi) and under /cairn/ (CairnApi, our own reserved prefix), with bucket
   None and key the rest of the path, whatever the Host says. Only these exact prefixes are
   special, as in MinIO: "/minio", "/minio/x", "/minio/admin" (no slash) and "/cairn" are the
   bucket "minio" or "cairn" as usual.
2. The method. S3 parses GET, HEAD, PUT, POST, DELETE, PATCH and OPTIONS; anything else is its
   400 `BadRequest` "An error occurred when parsing the HTTP request.". PATCH is parsed and then
   refused with a 405 at every resource, since no S3 operation is a PATCH.
3. Addressing. Virtual-hosted style when the Host (port and a trailing dot dropped, case
   folded) is "<bucket>.<domain>" for one of the server's domains -- the longest domain wins
   when several match, so "b.s3.example.com" under both "example.com" and "s3.example.com" is
   bucket "b" -- and then the whole path minus its leading "/" is the key. Otherwise path
   style: leading slashes are skipped (so "//" is still the service, as MinIO allows), the
   first segment is the bucket and everything after the next "/" is the key, verbatim ("//",
   "..", trailing "/" and all). An empty key addresses the bucket: "/b" and "/b/" are the same.
4. A POST to the service root with a form body (or Action in its query) is STS
   ("AssumeRole"; its handler reads the Action), as MinIO serves STS at the S3 endpoint;
   any other POST there is S3's 405.
5. OPTIONS is a CORS preflight ("OptionsObject", AWS's name for it), answered at any path (the
   admin API's, health and metrics paths too: the web console fetches them)
   before anything reads the query, as S3's CORS front end does.
6. Sub-resources. S3 picks the operation from the method plus the *presence* of a selector
   query parameter ("?acl", "?uploads", ...): the value is ignored, the name is
   case-sensitive, and every other parameter (listing options, response-*, X-Amz-* of a
   presigned URL, the SDKs' x-id=...) is not a selector. Which names are selectors depends on
   the resource: each of `BUCKET` and `OBJECT` maps a selector to the resource type S3 names
   in its 405 and to what each method does there, an operation or a refusal. At an object's
   path a dozen of the bucket's selectors still name the *bucket's* operation, the key ignored
   (`GET /b/k?location` is GetBucketLocation), and the rest are not selectors there at all
   (`GET /b/k?metrics` is GetObject). `uploadId` with `partNumber` is one selector, "PART"
   (UploadPart). Then, as S3 orders its checks:
   - two selectors at once are S3's 400 InvalidArgument "Conflicting query string parameters:
     a, b" (names sorted), on every method; `partNumber` counts as a selector at a bucket's path
     (alone, "Object must have a valid key name.") and beside another selector on a GET or HEAD
     at a key's; alone at a key it is GetObject/HeadObject of one part, and on other methods
     it means nothing without an uploadId (PUT ?partNumber=1 is PutObject, as in MinIO);
   - a `versionId` where the operation takes none (every bucket operation, and at a key the
     GET/HEAD of a selector whose operation takes none), and a `?website` with a value;
   - a method the selector (or the bare resource) has no operation for: 405 MethodNotAllowed
     with Method, ResourceType and an Allow header; every HEAD with a selector is one;
   - then the operation, refined by what else the request carries: list-type=2
     (ListObjectsV2), ?id (Get... vs List...Configurations), annotationName,
     x-amz-copy-source (CopyObject, UploadPartCopy), a multipart/form-data body on a bucket
     POST (PostObject; otherwise S3's 412 with its Condition).

Where a refusal's exact code is not one S3 was seen to give (a bucket's POST ?uploads, PUT of
a part without a key), the nearest S3 refusal is used and the comment beside it says so. The
behaviours are S3's as measured by other implementations against AWS (see the test module's
docstring for which); where S3 answers differently from its own API model, the router follows
S3, except that the directory-bucket operations CreateSession (?session) and RenameObject
(?renameObject) are routed by name rather than ignored as a general-purpose bucket does, so
that they are refused as not implemented instead of listing or overwriting.

A RouteError can be answered before authentication: S3 answers nearly all of these before it
reads the credential (a few, such as UserKeyMustBeSpecified, only once the bucket is found).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .errors import S3Error
from .routes import (
    BUCKET,
    BUCKET_ITSELF,
    BUCKET_OPERATIONS,
    HEALTH,
    LIST_WITHOUT_ID,
    METHOD_NOT_ALLOWED,
    METRICS,
    NO_KEY_NAME,
    OBJECT,
    OBJECT_ITSELF,
    OPERATIONS,
    PARSED_METHODS,
    PART,
    PART_AT_BUCKET,
    POST_NOT_FORM,
    PREFLIGHT,
    RESERVED_PREFIXES,
    SERVICE,
    STS,
    VERSIONLESS_AT_KEY,
    Refusal,
    Resource,
)

__all__ = ["OPERATIONS", "Route", "RouteError", "route"]


@dataclass(frozen=True)
class Route:
    """What a request asks for: an AWS operation name, and the bucket and key it names.

    `bucket` is None for service-level and special-path operations; `key` is None for
    operations on a bucket (even when reached through a key's path), else the object key.
    """

    operation: str
    bucket: str | None
    key: str | None


class RouteError(S3Error):
    """A request S3 refuses from its shape alone.

    `extra` holds the further `<Error>` members S3 sends (Method, ResourceType, ArgumentName,
    ArgumentValue, Condition), `headers` the response headers (Allow on a 405).
    """

    def __init__(self, code: str, message: str, status: int = 400,
                 extra: Mapping[str, str] | None = None,
                 headers: Mapping[str, str] | None = None) -> None:
        super().__init__(code, message, status, headers, **(extra or {}))


# --------------------------------------------------------------------------- routing


def route(method: str, path: str, query: Mapping[str, str], headers: Mapping[str, str],
          host: str | None = None, domains: Sequence[str] = ()) -> Route:
    """The operation a request names (see the module docstring), or RouteError.

    method: upper-case; path: percent-decoded request path; query: decoded names -> first
    value ("" for a name without "="); headers: lower-case names -> values; host: the Host
    header (may carry a port; taken from headers when None); domains: the server's domains
    for virtual-hosted-style addressing.
    """
    special = _special(method, path)
    if special is not None:
        return special
    if method not in PARSED_METHODS:
        raise RouteError("BadRequest", "An error occurred when parsing the HTTP request.")

    bucket, key = _address(path, host if host is not None else headers.get("host"), domains)
    if method == "OPTIONS":
        return Route(PREFLIGHT, bucket, key)
    if bucket is None:
        if method == "POST" and _is_sts(query, headers):
            return Route(STS, None, None)
        return Route(_act(method, SERVICE), None, None)
    if key is None:
        return _bucket_route(method, bucket, query, headers)
    return _object_route(method, bucket, key, query, headers)


def _is_sts(query: Mapping[str, str], headers: Mapping[str, str]) -> bool:
    """A POST to the service root that is an STS call (MinIO serves STS at the S3 endpoint): a
    form body, or the Action in the query."""
    form = headers.get("content-type", "").lower().startswith("application/x-www-form-urlencoded")
    return form or "Action" in query


def _special(method: str, path: str) -> Route | None:
    health = HEALTH.get(path) or METRICS.get(path)
    if method == "OPTIONS" and (health is not None or path.startswith(RESERVED_PREFIXES[0][0])):
        # A browser's preflight of the admin API or a metrics scrape (the web console): the
        # server-wide CORS default answers it, as for a request naming no bucket.
        return Route(PREFLIGHT, None, None)
    if health is not None:
        if method not in ("GET", "HEAD"):
            raise RouteError("MethodNotAllowed", METHOD_NOT_ALLOWED, 405,
                             {"Method": method}, {"Allow": "GET, HEAD"})
        return Route(health, None, None)
    for prefix, name in RESERVED_PREFIXES:
        if path.startswith(prefix):
            return Route(name, None, path[len(prefix):])
    return None


def _address(path: str, host: str | None,
             domains: Sequence[str]) -> tuple[str | None, str | None]:
    """(bucket, key) the request addresses: (None, None) for the service, key None for a bucket."""
    bucket = _host_bucket(host, domains) if host and domains else None
    if bucket is not None:
        key = path[1:] if path.startswith("/") else path
        return bucket, key or None
    rest = path.lstrip("/")
    if not rest:
        return None, None
    bucket, _, key = rest.partition("/")
    return bucket, key or None


def normal_host(host: str) -> str:
    """Host or domain lower-cased, without a port or a trailing dot."""
    host = host.strip().lower()
    if not host.startswith("["):  # an IPv6 literal's colons are not a port
        name, colon, port = host.rpartition(":")
        if colon and (not port or (port.isascii() and port.isdigit())):
            host = name
    return host.rstrip(".")


def _host_bucket(host: str, domains: Sequence[str]) -> str | None:
    """The bucket a virtual-hosted-style Host names under the longest matching domain."""
    name = normal_host(host)
    best: tuple[int, str] | None = None
    for domain in domains:
        domain = normal_host(domain).lstrip(".")
        if not domain or not name.endswith("." + domain):
            continue
        bucket = name[: -len(domain) - 1]
        if bucket and (best is None or len(domain) > best[0]):
            best = (len(domain), bucket)
    return best[1] if best else None


def _bucket_route(method: str, bucket: str, query: Mapping[str, str],
                  headers: Mapping[str, str]) -> Route:
    selected = sorted(name for name in query if name in BUCKET or name == "partNumber")
    if "partNumber" in selected and set(selected) == {"partNumber", "uploadId"}:
        resource = PART_AT_BUCKET
    elif len(selected) > 1:
        raise _conflict(selected)
    elif selected == ["partNumber"]:
        raise _refusal(NO_KEY_NAME)
    else:
        resource = BUCKET[selected[0]] if selected else BUCKET_ITSELF

    if "versionId" in query and not (method == "POST" and resource is BUCKET_ITSELF):
        reads_it = ((selected == ["acl"] and method in ("GET", "HEAD", "PUT"))
                    or (selected == ["restore"] and method == "POST"))
        raise _bad_version(query["versionId"], reads_it)
    _check_website(query)

    operation = _act(method, resource)
    if operation == "ListObjects" and query.get("list-type") == "2":
        operation = "ListObjectsV2"
    elif operation == "PostObject" and not _is_form(headers.get("content-type", "")):
        raise _refusal(POST_NOT_FORM)
    elif method == "GET" and operation in LIST_WITHOUT_ID and not query.get("id"):
        operation = LIST_WITHOUT_ID[operation]
    return Route(operation, bucket, None)


def _object_route(method: str, bucket: str, key: str, query: Mapping[str, str],
                  headers: Mapping[str, str]) -> Route:
    selected = sorted(name for name in query if name in OBJECT)
    if "partNumber" in query:
        if selected == ["uploadId"]:
            selected = ["PART"]
        elif selected and method in ("GET", "HEAD"):
            selected = sorted([*selected, "partNumber"])
    if len(selected) > 1:
        raise _conflict(selected)
    _check_website(query)
    if (selected and selected[0] in VERSIONLESS_AT_KEY and method in ("GET", "HEAD")
            and "versionId" in query):
        raise _bad_version(query["versionId"], False)

    if not selected:
        resource = OBJECT_ITSELF
    elif selected == ["PART"]:
        resource = PART
    else:
        resource = OBJECT[selected[0]]
    operation = _act(method, resource)

    if operation in BUCKET_OPERATIONS:
        if method == "GET" and operation in LIST_WITHOUT_ID and not query.get("id"):
            operation = LIST_WITHOUT_ID[operation]
        return Route(operation, bucket, None)
    if "x-amz-copy-source" in headers:
        operation = {"PutObject": "CopyObject", "UploadPart": "UploadPartCopy"}.get(
            operation, operation)
    if operation == "GetObjectAnnotation" and "annotationName" not in query:
        operation = "ListObjectAnnotations"
    return Route(operation, bucket, key)


def _act(method: str, resource: Resource) -> str:
    """The operation `method` is at `resource`, or the refusal S3 answers instead."""
    action = resource.actions.get(method)
    if action is None:
        allow = ", ".join(sorted(resource.actions))
        raise RouteError("MethodNotAllowed", METHOD_NOT_ALLOWED, 405,
                         {"Method": method, "ResourceType": resource.resource_type},
                         {"Allow": allow} if allow else None)
    if isinstance(action, Refusal):
        raise _refusal(action)
    return action


def _refusal(refusal: Refusal) -> RouteError:
    return RouteError(refusal.code, refusal.message, refusal.status, dict(refusal.extra))


def _conflict(selected: list[str]) -> RouteError:
    return RouteError("InvalidArgument",
                      "Conflicting query string parameters: " + ", ".join(selected), 400,
                      {"ArgumentName": "ResourceType", "ArgumentValue": selected[0]})


def _bad_version(version_id: str, reads_it: bool) -> RouteError:
    message = ("Invalid version id specified" if reads_it
               else "This operation does not accept a version-id.")
    return RouteError("InvalidArgument", message, 400,
                      {"ArgumentName": "versionId", "ArgumentValue": version_id})


def _check_website(query: Mapping[str, str]) -> None:
    value = query.get("website")
    if value:
        raise RouteError("InvalidArgument", "The website parameter must not have a value", 400,
                         {"ArgumentName": "website", "ArgumentValue": value})


def _is_form(content_type: str) -> bool:
    return content_type.partition(";")[0].strip().lower() == "multipart/form-data"
