"""Authentication errors, with the code, HTTP status and extra XML fields S3 uses.

Theory of operation
-------------------
Every refusal in this package is an `AuthError` (an S3Error): `code` is S3's exact error
code, `status` the HTTP status S3 answers it with (400 for requests that are
malformed, 403 for credentials and signatures that are refused) and `extra`
the members S3 adds to its XML error body after `<Message>` (StringToSign,
RequestTime, ArgumentName, ...).  The constructors below hold S3's wording in
one place; the server turns an AuthError into its XML error response.
"""

from __future__ import annotations

from ..errors import S3Error

MISMATCH = ("The request signature we calculated does not match the signature you provided. "
            "Check your key and signing method.")
NO_DATE = "AWS authentication requires a valid Date or x-amz-date header"
NOT_SIGNED = "There were headers present in the request which were not signed"
ONE_MECHANISM = ("Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, "
                 "Signature query string parameter or the Authorization header should be specified")
BAD_PAYLOAD_HASH = (
    "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, "
    "STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, "
    "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER or "
    "a valid sha256 value.")
BODY_ENDED = "The request body terminated unexpectedly"
TRAILER_MALFORMED = ("The request contained trailing data that was not well-formed or did not conform "
                     "to our published schema.")
SERVER_TIME = "%Y-%m-%dT%H:%M:%SZ"


class AuthError(S3Error):
    """A request S3 would refuse while authenticating it (or while reading its signed body)."""

    def __init__(self, code: str, message: str, status: int = 403, **extra: str) -> None:
        super().__init__(code, message, status, None, **extra)


def hex_bytes(text: str) -> str:
    """S3's rendering of a signed string in its error body: its UTF-8 bytes as spaced hex."""
    return " ".join(f"{b:02x}" for b in text.encode("utf-8", "surrogatepass"))


def access_denied(message: str, **extra: str) -> AuthError:
    return AuthError("AccessDenied", message, 403, **extra)


def invalid_argument(message: str, name: str, value: str | None = None) -> AuthError:
    extra = {"ArgumentName": name}
    if value is not None:
        extra["ArgumentValue"] = value
    return AuthError("InvalidArgument", message, 400, **extra)


def invalid_request(message: str) -> AuthError:
    return AuthError("InvalidRequest", message, 400)


def header_malformed(detail: str, **extra: str) -> AuthError:
    return AuthError("AuthorizationHeaderMalformed", f"The authorization header is malformed; {detail}",
                     400, **extra)


def query_malformed(message: str, **extra: str) -> AuthError:
    return AuthError("AuthorizationQueryParametersError", message, 400, **extra)


def invalid_access_key(access_key: str) -> AuthError:
    return AuthError("InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our "
                     "records.", 403, AWSAccessKeyId=access_key)


def signature_mismatch(access_key: str | None, string_to_sign: str, provided: str,
                       canonical_request: str | None = None) -> AuthError:
    extra: dict[str, str] = {}
    if access_key is not None:
        extra["AWSAccessKeyId"] = access_key
    extra["StringToSign"] = string_to_sign
    extra["SignatureProvided"] = provided
    extra["StringToSignBytes"] = hex_bytes(string_to_sign)
    if canonical_request is not None:
        extra["CanonicalRequest"] = canonical_request
        extra["CanonicalRequestBytes"] = hex_bytes(canonical_request)
    return AuthError("SignatureDoesNotMatch", MISMATCH, 403, **extra)


def too_skewed(request_time: str, server_time: str) -> AuthError:
    return AuthError("RequestTimeTooSkewed",
                     "The difference between the request time and the current time is too large.", 403,
                     RequestTime=request_time, ServerTime=server_time,
                     MaxAllowedSkewMilliseconds="900000")


def incomplete_body(message: str = BODY_ENDED) -> AuthError:
    return AuthError("IncompleteBody", message, 400)


def malformed_trailer() -> AuthError:
    return AuthError("MalformedTrailerError", TRAILER_MALFORMED, 400)


def missing_content_length() -> AuthError:
    return AuthError("MissingContentLength", "You must provide the Content-Length HTTP header.", 411)


def not_implemented(message: str) -> AuthError:
    return AuthError("NotImplemented", message, 501)
