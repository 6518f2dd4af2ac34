"""SigV4 as minio-go signs it (mc, warp, every Go client built on it): a repeated query name.

minio-go's canonical query is Go's url.Values.Encode() with "+" replaced by "%20"
(pkg/signer/request-signature-v4.go, getCanonicalRequest): names sorted, and the values of
one name in the order they were added, NOT sorted as AWS's rule sorts them.  `mc watch`
(ListenBucketNotification) sends `events=` once per event type, so the two rules disagree.
The signer is reimplemented here, independently of the server's code; the URL it sends goes
through the server's own split_target, as the HTTP layer would hand it over.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, quote_plus

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cairn.server.auth import AuthError, Identity, authenticate, sigv4
from cairn.server.http import split_target

AKID, SECRET, REGION = "minioadmin", "minioadmin-secret", "us-east-1"
NOW = datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
AMZ_DATE = NOW.strftime("%Y%m%dT%H%M%SZ")
SCOPE = f"{NOW:%Y%m%d}/{REGION}/s3/aws4_request"
HOST = "localhost:9000"
EMPTY = hashlib.sha256(b"").hexdigest()
CREATED, REMOVED, ACCESSED = "s3:ObjectCreated:*", "s3:ObjectRemoved:*", "s3:ObjectAccessed:*"
# `mc watch --events delete,put`: two values, sent in an order that is not sorted.
WATCH_TWO = [("events", REMOVED), ("events", CREATED), ("prefix", ""), ("suffix", "")]
# `mc watch` with its default events (put,delete,get): three values, not sorted.
WATCH_THREE = [("events", CREATED), ("events", REMOVED), ("events", ACCESSED), ("prefix", "photos/"),
               ("suffix", ".jpg")]

Pairs = list[tuple[str, str]]
Canonical = Callable[[Pairs], str]


class Keys:
    def secret_for(self, access_key: str) -> str | None:
        return SECRET if access_key == AKID else None


# --- minio-go's signer, reimplemented ---------------------------------------------------------

def go_values_encode(pairs: Pairs) -> str:
    """Go's url.Values.Encode(): keys sorted (bytewise), each key's values in insertion order,
    both escaped with url.QueryEscape (unreserved kept, space as "+")."""
    values: dict[str, list[str]] = {}
    for name, value in pairs:
        values.setdefault(name, []).append(value)
    return "&".join(f"{quote_plus(name, safe='')}={quote_plus(value, safe='')}"
                    for name in sorted(values, key=lambda n: n.encode()) for value in values[name])


def minio_query(pairs: Pairs) -> str:
    """minio-go's canonical query, and the query string it sends."""
    return go_values_encode(pairs).replace("+", "%20")


def aws_query(pairs: Pairs) -> str:
    """AWS's rule: encoded pairs sorted by name, then by value."""
    return "&".join(f"{n}={v}" for n, v in sorted((quote(n, safe="~"), quote(v, safe="~")) for n, v in pairs))


def go_signing_key() -> bytes:
    key = ("AWS4" + SECRET).encode()
    for part in (f"{NOW:%Y%m%d}", REGION, "s3", "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return key


def to_sign(canonical_request: str) -> str:
    digest = hashlib.sha256(canonical_request.encode()).hexdigest()
    return "\n".join(("AWS4-HMAC-SHA256", AMZ_DATE, SCOPE, digest))


def signature(canonical_request: str) -> str:
    return hmac.new(go_signing_key(), to_sign(canonical_request).encode(), hashlib.sha256).hexdigest()


def header_canonical(path: str, query: str) -> str:
    headers = f"host:{HOST}\nx-amz-content-sha256:{EMPTY}\nx-amz-date:{AMZ_DATE}\n"
    return "\n".join(("GET", path, query, headers, "host;x-amz-content-sha256;x-amz-date", EMPTY))


def sign_header(pairs: Pairs, canonical: Canonical = minio_query, path: str = "/bucket") -> dict[str, Any]:
    """minio-go's signV4: the URL carries minio_query(pairs); `canonical` is what gets signed."""
    authz = (f"AWS4-HMAC-SHA256 Credential={AKID}/{SCOPE}, SignedHeaders=host;x-amz-content-sha256;"
             f"x-amz-date, Signature={signature(header_canonical(path, canonical(pairs)))}")
    headers = [("host", HOST), ("x-amz-content-sha256", EMPTY), ("x-amz-date", AMZ_DATE),
               ("authorization", authz), ("user-agent", "MinIO (linux; amd64) minio-go/v7.0.70")]
    return received(f"{path}?{minio_query(pairs)}", headers)


def presign(pairs: Pairs, canonical: Canonical = minio_query, path: str = "/bucket") -> dict[str, Any]:
    """minio-go's PreSignV4: X-Amz-* set in the query, the signature appended after it."""
    full = [*pairs, ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"), ("X-Amz-Date", AMZ_DATE),
            ("X-Amz-Expires", "3600"), ("X-Amz-SignedHeaders", "host"),
            ("X-Amz-Credential", f"{AKID}/{SCOPE}")]
    request = "\n".join(("GET", path, canonical(full), f"host:{HOST}\n", "host", "UNSIGNED-PAYLOAD"))
    return received(f"{path}?{minio_query(full)}&X-Amz-Signature={signature(request)}", [("host", HOST)])


def received(target: str, headers: Pairs) -> dict[str, Any]:
    path, raw_path, query = split_target(target)
    return {"path": path, "raw_path": raw_path, "query": query, "headers": headers}


def check(parts: dict[str, Any]) -> Identity:
    return authenticate("GET", parts["path"], parts["query"], parts["headers"], Keys(), NOW,
                        raw_path=parts["raw_path"])


def refused(parts: dict[str, Any]) -> AuthError:
    with pytest.raises(AuthError) as info:
        check(parts)
    return info.value


@pytest.fixture
def hmac_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each string the server HMACs with the signing key to get a request signature."""
    calls: list[str] = []
    real = sigv4.hmac_hex

    def counting(key: bytes, text: str) -> str:
        calls.append(text)
        return real(key, text)

    monkeypatch.setattr(sigv4, "hmac_hex", counting)
    return calls


# --- the reimplementation signs what the task says ---------------------------------------------

def test_minio_query_keeps_sent_order_and_spaces_as_percent_20() -> None:
    assert minio_query([("events", REMOVED), ("events", CREATED), ("prefix", "a b+c")]) == (
        "events=s3%3AObjectRemoved%3A%2A&events=s3%3AObjectCreated%3A%2A&prefix=a%20b%2Bc")
    assert aws_query(WATCH_TWO).startswith("events=s3%3AObjectCreated%3A%2A&events=s3%3AObjectRemoved")


# --- accepted ----------------------------------------------------------------------------------

@pytest.mark.parametrize("pairs", [WATCH_TWO, WATCH_THREE], ids=["two-events", "three-events"])
def test_mc_watch_header_signature_is_accepted(pairs: Pairs) -> None:
    assert minio_query(pairs) != aws_query(pairs)  # the case that used to fail
    identity = check(sign_header(pairs))
    assert (identity.access_key, identity.method) == (AKID, "v4-header")


@pytest.mark.parametrize("pairs", [WATCH_TWO, WATCH_THREE], ids=["two-events", "three-events"])
def test_mc_watch_presigned_url_is_accepted(pairs: Pairs) -> None:
    identity = check(presign(pairs))
    assert (identity.access_key, identity.method, identity.payload.kind) == (AKID, "v4-query", "unsigned")


@pytest.mark.parametrize("pairs", [WATCH_TWO, WATCH_THREE], ids=["two-events", "three-events"])
def test_aws_ordered_signature_is_still_accepted(pairs: Pairs, hmac_calls: list[str]) -> None:
    assert check(sign_header(pairs, aws_query)).method == "v4-header"
    assert len(hmac_calls) == 1  # AWS's form is tried first
    assert check(presign(pairs, aws_query)).method == "v4-query"


@settings(max_examples=200, deadline=None)
@given(pairs=st.lists(st.tuples(st.sampled_from(["events", "prefix", "a-", "a/", "a b", "é", "Z", "x~"]),
                                st.text(st.characters(codec="utf-8"), max_size=6)), min_size=1, max_size=6),
       repeat=st.integers(0, 5))
def test_any_repeated_name_signed_either_way_is_accepted(pairs: Pairs, repeat: int) -> None:
    pairs = [*pairs, (pairs[repeat % len(pairs)][0], "zz")]  # some name repeats
    for canonical in (minio_query, aws_query):
        assert check(sign_header(pairs, canonical)).access_key == AKID
        assert check(presign(pairs, canonical)).access_key == AKID


# --- refused -----------------------------------------------------------------------------------

def other_order(pairs: Pairs) -> str:
    """Names sorted, events in an order that is neither as sent nor sorted."""
    events = [v for n, v in pairs if n == "events"]
    shuffled = [("events", v) for v in (REMOVED, ACCESSED, CREATED) if v in events]
    return minio_query([*shuffled, *((n, v) for n, v in pairs if n != "events")])


def test_signature_over_another_order_is_refused_showing_aws_form(hmac_calls: list[str]) -> None:
    assert other_order(WATCH_THREE) not in (minio_query(WATCH_THREE), aws_query(WATCH_THREE))
    err = refused(sign_header(WATCH_THREE, other_order))
    assert (err.code, err.status) == ("SignatureDoesNotMatch", 403)
    expected = header_canonical("/bucket", aws_query(WATCH_THREE))
    assert err.extra["CanonicalRequest"] == expected
    assert err.extra["StringToSign"] == to_sign(expected)
    assert len(hmac_calls) == 2  # both forms tried, the AWS one reported
    assert refused(presign(WATCH_THREE, other_order)).code == "SignatureDoesNotMatch"


def test_values_reversed_when_sent_sorted_is_refused_with_one_hmac(hmac_calls: list[str]) -> None:
    sent = [("events", CREATED), ("events", REMOVED)]  # sorted: both accepted forms are the same
    reversed_ = [("events", REMOVED), ("events", CREATED)]
    err = refused(sign_header(sent, lambda _: minio_query(reversed_)))
    assert err.code == "SignatureDoesNotMatch"
    assert err.extra["CanonicalRequest"] == header_canonical("/bucket", aws_query(sent))
    assert len(hmac_calls) == 1


# --- cost: one HMAC unless a name repeats and the forms differ -----------------------------------

@pytest.mark.parametrize("pairs", [[], [("prefix", "photos/"), ("max-keys", "2"), ("delimiter", "/")],
                                   [("events", CREATED), ("events", REMOVED)]],
                         ids=["no-query", "distinct-names", "repeated-but-sorted"])
def test_one_hmac_when_the_forms_agree(pairs: Pairs, hmac_calls: list[str]) -> None:
    check(sign_header(pairs))
    assert len(hmac_calls) == 1
    check(presign(pairs))
    assert len(hmac_calls) == 2


def test_two_hmacs_only_for_minio_ordered_repeats(hmac_calls: list[str]) -> None:
    check(sign_header(WATCH_THREE))
    assert len(hmac_calls) == 2
    assert hmac_calls[0] == to_sign(header_canonical("/bucket", aws_query(WATCH_THREE)))
    assert hmac_calls[1] == to_sign(header_canonical("/bucket", minio_query(WATCH_THREE)))
