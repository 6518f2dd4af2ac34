"""The aws-chunked decoder: AWS's chunked upload example, botocore's unsigned-trailer bodies,
bodies from an encoder written from the spec fed in every kind of split, every tamper, and
fuzzing that may only ever raise AuthError with bounded buffering.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import itertools
import re
import zlib
from datetime import UTC, datetime

import pytest
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials as BotoCredentials
from botocore.httpchecksum import AwsChunkedWrapper, Crc32Checksum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cairn.server.auth import AuthError, PayloadMode, authenticate
from cairn.server.auth.chunked import MAX_LINE, MAX_SIGNED_CHUNK, MAX_TRAILER_BYTES, AwsChunkedDecoder
from cairn.server.auth.sigv4 import signing_key
from cairn.server.http import split_target

SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
DATE = "20130524T000000Z"
SCOPE = "20130524/us-east-1/s3/aws4_request"
SEED = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"
KEY = signing_key(SECRET, "20130524", "us-east-1")
EMPTY = hashlib.sha256(b"").hexdigest()
DOCUMENTED = ["ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648",
              "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497",
              "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9"]


def signed_mode(kind: str = "streaming-signed", length: int | None = None,
                trailer: str | None = None) -> PayloadMode:
    return PayloadMode(kind, decoded_length=length, trailer=trailer,  # type: ignore[arg-type]
                       seed_signature=SEED, signing_key=KEY, scope=SCOPE, amz_date=DATE)


def unsigned_mode(length: int | None = None, trailer: str | None = None) -> PayloadMode:
    return PayloadMode("streaming-unsigned-trailer", decoded_length=length, trailer=trailer)


# --- an encoder written from the spec ----------------------------------------------------------

def hmac_hex(text: str) -> str:
    return hmac.new(KEY, text.encode(), hashlib.sha256).hexdigest()


def encode_signed(chunks: list[bytes], trailers: list[tuple[str, str]] | None = None,
                  previous: str = SEED) -> bytes:
    """STREAMING-AWS4-HMAC-SHA256-PAYLOAD, or its -TRAILER variant when `trailers` is given."""
    out = []
    for data in [*chunks, b""]:
        to_sign = "\n".join(("AWS4-HMAC-SHA256-PAYLOAD", DATE, SCOPE, previous, EMPTY,
                             hashlib.sha256(data).hexdigest()))
        previous = hmac_hex(to_sign)
        out.append(b"%x;chunk-signature=%s\r\n" % (len(data), previous.encode()))
        if data:
            out.append(data + b"\r\n")
    if trailers is not None:
        canonical = "".join(f"{name}:{value}\n" for name, value in sorted(trailers))
        to_sign = "\n".join(("AWS4-HMAC-SHA256-TRAILER", DATE, SCOPE, previous,
                             hashlib.sha256(canonical.encode()).hexdigest()))
        out += [f"{name}:{value}\r\n".encode() for name, value in trailers]
        out.append(f"x-amz-trailer-signature:{hmac_hex(to_sign)}\r\n".encode())
    out.append(b"\r\n")
    return b"".join(out)


def encode_unsigned(chunks: list[bytes], trailers: list[tuple[str, str]]) -> bytes:
    """STREAMING-UNSIGNED-PAYLOAD-TRAILER, as botocore's AwsChunkedWrapper writes it."""
    out = [b"%x\r\n%s\r\n" % (len(data), data) for data in chunks]
    out.append(b"0\r\n" + b"".join(f"{n}:{v}\r\n".encode() for n, v in trailers) + b"\r\n")
    return b"".join(out)


def decode(mode: PayloadMode, pieces: list[bytes]) -> tuple[bytes, dict[str, str]]:
    decoder = AwsChunkedDecoder(mode)
    out = bytearray()
    for piece in pieces:
        for view in decoder.feed(piece):
            out += view
    return bytes(out), decoder.finish()


def split(body: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({0, len(body), *(c % (len(body) + 1) for c in cuts)})
    return [body[a:b] for a, b in itertools.pairwise(points)]


def crc32(data: bytes) -> str:
    return base64.b64encode(zlib.crc32(data).to_bytes(4, "big")).decode()


# --- AWS's example ----------------------------------------------------------------------------------

AWS_BODY = encode_signed([b"a" * 65536, b"a" * 1024])


def test_encoder_reproduces_the_documented_chunk_signatures() -> None:
    assert len(AWS_BODY) == 66824  # the documented Content-Length
    for signature in DOCUMENTED:
        assert f"chunk-signature={signature}\r\n".encode() in AWS_BODY


def test_the_documented_example_end_to_end() -> None:
    class Keys:
        def secret_for(self, access_key: str) -> str | None:
            return SECRET if access_key == "AKIAIOSFODNN7EXAMPLE" else None

    signed = ("content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;"
              "x-amz-decoded-content-length;x-amz-storage-class")
    headers = [("host", "s3.amazonaws.com"), ("x-amz-date", DATE),
               ("x-amz-storage-class", "REDUCED_REDUNDANCY"),
               ("authorization", f"AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/{SCOPE},"
                                 f"SignedHeaders={signed},Signature={SEED}"),
               ("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"),
               ("content-encoding", "aws-chunked"), ("x-amz-decoded-content-length", "66560"),
               ("content-length", "66824")]
    identity = authenticate("PUT", "/examplebucket/chunkObject.txt", [], headers, Keys(),
                            datetime(2013, 5, 24, tzinfo=UTC))
    mode = identity.payload
    assert (mode.kind, mode.decoded_length, mode.seed_signature) == ("streaming-signed", 66560, SEED)
    assert (mode.signing_key, mode.scope, mode.amz_date) == (KEY, SCOPE, DATE)
    assert "signing_key" not in repr(mode)
    assert decode(mode, [AWS_BODY]) == (b"a" * 66560, {})


@pytest.mark.parametrize("size", [1, 7, 4096, 65536 + 88])
def test_the_documented_example_in_fixed_pieces(size: int) -> None:
    pieces = [AWS_BODY[i:i + size] for i in range(0, len(AWS_BODY), size)]
    assert decode(signed_mode(length=66560), pieces) == (b"a" * 66560, {})


def test_the_documented_trailer_signature() -> None:
    # aws-c-auth's trailing-headers vector: chained off the example's final chunk signature.
    trailers = [("first", "1st"), ("second", "2nd"), ("third", "3rd")]
    body = encode_signed([b"a" * 65536, b"a" * 1024], trailers)
    assert b"x-amz-trailer-signature:df5735bd9f3295cd9386572292562fefc93ba94e80a0a1ddcbd652c4e0a75e6c\r\n" \
        in body
    mode = signed_mode("streaming-signed-trailer", 66560, "first,second,third")
    assert decode(mode, [body]) == (b"a" * 66560, dict(trailers))


# --- botocore's unsigned trailer, signed and framed by botocore itself ------------------------------

@settings(max_examples=60, deadline=None)
@given(body=st.binary(max_size=3000), chunk=st.integers(1, 1024), cuts=st.lists(st.integers(0, 10**6)))
def test_botocore_unsigned_trailer_round_trip(body: bytes, chunk: int, cuts: list[int]) -> None:
    request = AWSRequest(method="PUT", url="https://localhost:9000/bucket/key", headers={
        "Content-Encoding": "aws-chunked", "X-Amz-Trailer": "x-amz-checksum-crc32",
        "X-Amz-Decoded-Content-Length": str(len(body)), "Transfer-Encoding": "chunked"})
    request.context["checksum"] = {"request_algorithm": {
        "algorithm": "crc32", "in": "trailer", "name": "x-amz-checksum-crc32"}}
    S3SigV4Auth(BotoCredentials("AK", "SK"), "s3", "us-east-1").add_auth(request)
    wire = AwsChunkedWrapper(io.BytesIO(body), Crc32Checksum, "x-amz-checksum-crc32", chunk).read()

    class Keys:
        def secret_for(self, access_key: str) -> str | None:
            return "SK" if access_key == "AK" else None

    path, raw_path, query = split_target("/bucket/key")
    headers = [("host", "localhost:9000"), *((n.lower(), v) for n, v in request.headers.items())]
    identity = authenticate("PUT", path, query, headers, Keys(), datetime.now(UTC), raw_path=raw_path)
    mode = identity.payload
    assert (mode.kind, mode.trailer, mode.decoded_length) == (
        "streaming-unsigned-trailer", "x-amz-checksum-crc32", len(body))
    assert decode(mode, split(wire, cuts)) == (body, {"x-amz-checksum-crc32": crc32(body)})


# --- the spec's encoder, every kind, any split -----------------------------------------------------

payloads = st.lists(st.binary(min_size=1, max_size=300), max_size=6)
trailer_lists = st.lists(st.tuples(st.sampled_from(["x-amz-checksum-crc32", "x-amz-checksum-sha256",
                                                    "x-amz-checksum-crc64nvme", "x-custom"]),
                                   st.text("ABCDEFabcdef0123456789+/=", max_size=44)),
                         max_size=3, unique_by=lambda t: t[0])


@settings(max_examples=300, deadline=None)
@given(chunks=payloads, trailers=trailer_lists, cuts=st.lists(st.integers(0, 10**6), max_size=20),
       kind=st.sampled_from(["streaming-signed", "streaming-signed-trailer", "streaming-unsigned-trailer"]),
       declare=st.booleans())
def test_any_split_decodes_the_same(chunks: list[bytes], trailers: list[tuple[str, str]], cuts: list[int],
                                    kind: str, declare: bool) -> None:
    data = b"".join(chunks)
    if kind == "streaming-signed":
        trailers = []
    declared = ",".join(name for name, _ in trailers) if declare and trailers else None
    if kind == "streaming-unsigned-trailer":
        body, mode = encode_unsigned(chunks, trailers), unsigned_mode(len(data), declared)
    else:
        body = encode_signed(chunks, trailers if kind.endswith("trailer") else None)
        mode = signed_mode(kind, len(data), declared)
    expected = (data, dict(trailers))
    assert decode(mode, split(body, cuts)) == expected
    assert decode(mode, [body]) == expected
    assert decode(mode, [body[i:i + 1] for i in range(len(body))]) == expected


def test_unsigned_pieces_are_zero_copy_slices() -> None:
    body = encode_unsigned([b"x" * 5000, b"y" * 3000], [])
    pieces = AwsChunkedDecoder(unsigned_mode()).feed(body)
    assert [bytes(p) for p in pieces] == [b"x" * 5000, b"y" * 3000]
    assert all(isinstance(p, memoryview) and p.obj is body for p in pieces)
    body_array = bytearray(body)
    assert all(p.obj is body_array for p in AwsChunkedDecoder(unsigned_mode()).feed(body_array))


def test_signed_data_is_held_until_its_signature_is_checked() -> None:
    body = encode_signed([b"x" * 10000, b"y" * 10000])
    decoder = AwsChunkedDecoder(signed_mode())
    cut = body.index(b"\r\n") + 2 + 9999  # one byte short of the first chunk's data
    first = body[:cut]
    assert decoder.feed(first) == []
    released = decoder.feed(body[cut:cut + 3])  # the last data byte and the CRLF
    assert b"".join(bytes(p) for p in released) == b"x" * 10000
    assert released[0].obj is first  # held as a slice of the input, not copied
    rest = decoder.feed(body[cut + 3:])
    assert b"".join(bytes(p) for p in rest) == b"y" * 10000
    assert decoder.finish() == {}


def test_one_byte_feeds_are_coalesced_not_held_as_views() -> None:
    body = encode_signed([b"z" * 50000])
    decoder = AwsChunkedDecoder(signed_mode())
    for i in range(len(body)):
        decoder.feed(body[i:i + 1])
        assert len(decoder._held) <= 1
    assert decoder.finish() == {}


def test_large_feeds_with_large_chunks() -> None:
    chunks = [bytes([i]) * (1 << 20) for i in range(8)]
    body = encode_signed(chunks)
    pieces = [body[i:i + (1 << 20)] for i in range(0, len(body), 1 << 20)]
    out, trailers = decode(signed_mode(length=8 << 20), pieces)
    assert out == b"".join(chunks) and trailers == {}


def test_trailers_signed_in_the_order_sent_are_accepted() -> None:
    trailers = [("x-amz-checksum-sha256", "abc="), ("x-amz-checksum-crc32", "AAAAAA==")]
    body = encode_signed([b"data"], trailers)  # signed sorted; now re-sign in sent order
    canonical = "".join(f"{n}:{v}\n" for n, v in trailers)
    final = body.split(b"0;chunk-signature=")[1][:64].decode()
    to_sign = "\n".join(("AWS4-HMAC-SHA256-TRAILER", DATE, SCOPE, final,
                         hashlib.sha256(canonical.encode()).hexdigest()))
    resigned = body.rsplit(b"x-amz-trailer-signature:", 1)[0] + \
        f"x-amz-trailer-signature:{hmac_hex(to_sign)}\r\n\r\n".encode()
    assert decode(signed_mode("streaming-signed-trailer"), [resigned]) == (b"data", dict(trailers))


# --- tampering, truncation, malformed framing ------------------------------------------------------

def refused(mode: PayloadMode, body: bytes, pieces: int = 1) -> AuthError:
    size = max(1, len(body) // pieces)
    with pytest.raises(AuthError) as info:
        decode(mode, [body[i:i + size] for i in range(0, len(body), size)])
    return info.value


@settings(max_examples=200, deadline=None)
@given(chunks=st.lists(st.binary(min_size=1, max_size=200), min_size=1, max_size=4), data=st.data())
def test_any_flipped_byte_is_refused(chunks: list[bytes], data: st.DataObject) -> None:
    body = encode_signed(chunks, [("x-amz-checksum-crc32", crc32(b"".join(chunks)))])
    mode = signed_mode("streaming-signed-trailer", len(b"".join(chunks)), "x-amz-checksum-crc32")
    where = data.draw(st.integers(0, len(body) - 1), label="where")
    flip = data.draw(st.integers(1, 255), label="flip")
    tampered = body[:where] + bytes([body[where] ^ flip]) + body[where + 1:]
    hex_signature = rb"(?:chunk-signature=|trailer-signature:)([0-9a-f]{64})"
    signatures = [m.span(1) for m in re.finditer(hex_signature, body)]
    if flip == 0x20 and chr(body[where]) in "abcdef" and any(a <= where < b for a, b in signatures):
        # a hex digit of a signature in the other case: the same signature (S3 takes either case)
        assert decode(mode, [tampered])[0] == b"".join(chunks)
        return
    err = refused(mode, tampered, data.draw(st.integers(1, 5), label="pieces"))
    assert err.code in ("SignatureDoesNotMatch", "IncompleteBody", "MalformedTrailerError")


def test_a_changed_data_byte_or_signature_digit_is_a_signature_mismatch() -> None:
    body = encode_signed([b"hello world" * 100, b"second"])
    mode = signed_mode(length=1106)
    data_at = body.index(b"hello")
    err = refused(mode, body[:data_at] + b"j" + body[data_at + 1:])
    assert (err.code, err.status) == ("SignatureDoesNotMatch", 403)
    assert err.extra["StringToSign"].startswith(f"AWS4-HMAC-SHA256-PAYLOAD\n{DATE}\n{SCOPE}\n{SEED}")
    for nth in range(3):  # first, second and final chunk signatures
        at = [i for i in range(len(body)) if body.startswith(b"chunk-signature=", i)][nth] + 16
        digit = b"0" if body[at:at + 1] != b"0" else b"1"
        assert refused(mode, body[:at] + digit + body[at + 1:]).code == "SignatureDoesNotMatch"


def test_reordered_or_replayed_chunks_are_refused() -> None:
    first, second = encode_signed([b"a" * 100]), encode_signed([b"b" * 100])
    chunk_a = first[:first.index(b"0;chunk")]
    chunk_b = second[:second.index(b"0;chunk")]
    assert refused(signed_mode(), chunk_a + chunk_a + first[len(chunk_a):]).code == "SignatureDoesNotMatch"
    assert refused(signed_mode(), chunk_b + first[len(chunk_a):]).code == "SignatureDoesNotMatch"


def test_every_truncation_is_an_incomplete_body() -> None:
    body = encode_signed([b"x" * 40, b"y" * 3], [("x-amz-checksum-crc32", "AAAAAA==")])
    mode = signed_mode("streaming-signed-trailer", 43, "x-amz-checksum-crc32")
    for end in range(len(body)):
        decoder = AwsChunkedDecoder(mode)
        decoder.feed(body[:end])
        with pytest.raises(AuthError) as info:
            decoder.finish()
        assert (info.value.code, info.value.status) == ("IncompleteBody", 400)
        assert info.value.message == "The request body terminated unexpectedly"
    unsigned = encode_unsigned([b"abc"], [])
    for end in range(len(unsigned)):
        decoder = AwsChunkedDecoder(unsigned_mode())
        decoder.feed(unsigned[:end])
        with pytest.raises(AuthError):
            decoder.finish()


@pytest.mark.parametrize(("declared", "body_length"), [(5, 4), (3, 4), (0, 1)])
def test_decoded_length_must_match(declared: int, body_length: int) -> None:
    body = encode_signed([b"z" * body_length])
    assert refused(signed_mode(length=declared), body).code == "IncompleteBody"
    unsigned = encode_unsigned([b"z" * body_length], [])
    assert refused(unsigned_mode(declared), unsigned).code == "IncompleteBody"


@pytest.mark.parametrize(("body", "code"), [
    (b"zz;chunk-signature=" + b"0" * 64 + b"\r\n", "IncompleteBody"),  # not hex
    (b"0x10;chunk-signature=" + b"0" * 64 + b"\r\n", "IncompleteBody"),
    (b"1_0;chunk-signature=" + b"0" * 64 + b"\r\n", "IncompleteBody"),
    (b"-1;chunk-signature=" + b"0" * 64 + b"\r\n", "IncompleteBody"),
    (b"10\r\n", "IncompleteBody"),  # signed kind without a signature
    (b"10;chunk-signature=abc\r\n", "IncompleteBody"),
    (b"10;chunk-signature=" + b"0" * 64 + b"\n", "IncompleteBody"),  # bare LF
    (b"%x;chunk-signature=" % (MAX_SIGNED_CHUNK + 1) + b"0" * 64 + b"\r\n", "IncompleteBody"),
    (b"1" * (MAX_LINE + 10), "IncompleteBody"),
    (b"11111111111111111;chunk-signature=" + b"0" * 64 + b"\r\n", "IncompleteBody"),
])
def test_malformed_chunk_headers(body: bytes, code: str) -> None:
    err = refused(signed_mode(), body)
    assert (err.code, err.status) == (code, 400)


def test_data_must_be_followed_by_crlf_and_nothing_may_follow_the_end() -> None:
    body = encode_unsigned([b"abc"], [])
    assert refused(unsigned_mode(), body.replace(b"abc\r\n", b"abcX\n")).code == "IncompleteBody"
    assert refused(unsigned_mode(), body + b"\r\n").code == "IncompleteBody"
    signed = encode_signed([b"abc"])
    assert refused(signed_mode(), signed + b"x").code == "IncompleteBody"
    # the non-trailer signed kind takes no trailers
    with_trailer = encode_signed([b"abc"], [("x-amz-checksum-crc32", "AAAAAA==")])
    assert refused(signed_mode(), with_trailer).code == "IncompleteBody"


@pytest.mark.parametrize(("trailers", "declared", "code"), [
    ([("x-amz-checksum-crc32", "AAAAAA==")], "x-amz-checksum-sha256", "MalformedTrailerError"),
    ([], "x-amz-checksum-crc32", "MalformedTrailerError"),
    ([("x-amz-checksum-crc32", "A"), ("x-amz-checksum-crc32", "B")], None, "MalformedTrailerError"),
    ([("bad name", "x")], None, "MalformedTrailerError"),
    ([("x-amz-trailer-signature", "0" * 64)], None, "MalformedTrailerError"),
    ([("x-long", "v" * MAX_TRAILER_BYTES)], None, "MalformedTrailerError"),
    ([(f"x-{i}", "v" * 100) for i in range(60)], None, "MalformedTrailerError"),
])
def test_trailer_faults(trailers: list[tuple[str, str]], declared: str | None, code: str) -> None:
    body = encode_unsigned([b"abc"], trailers)
    err = refused(unsigned_mode(3, declared), body)
    assert (err.code, err.status) == (code, 400)


def test_signed_trailer_faults() -> None:
    trailers = [("x-amz-checksum-crc32", "AAAAAA==")]
    mode = signed_mode("streaming-signed-trailer", 3, "x-amz-checksum-crc32")
    body = encode_signed([b"abc"], trailers)
    assert decode(mode, [body]) == (b"abc", dict(trailers))
    changed = body.replace(b"AAAAAA==", b"AAAAAB==")
    err = refused(mode, changed)
    assert err.code == "SignatureDoesNotMatch"
    assert err.extra["StringToSign"].startswith("AWS4-HMAC-SHA256-TRAILER\n")
    unsigned_trailer = body.rsplit(b"x-amz-trailer-signature:", 1)[0] + b"\r\n"
    assert refused(mode, unsigned_trailer).code == "MalformedTrailerError"
    after_signature = body[:-2] + b"x-late:1\r\n\r\n"
    assert refused(mode, after_signature).code == "MalformedTrailerError"


def test_errors_stick() -> None:
    decoder = AwsChunkedDecoder(signed_mode())
    with pytest.raises(AuthError):
        decoder.feed(b"nothex\r\n")
    for call in (lambda: decoder.feed(b"0;"), decoder.finish):
        with pytest.raises(AuthError) as info:
            call()
        assert info.value.code == "IncompleteBody"


def test_modes_that_are_not_aws_chunked_are_a_caller_bug() -> None:
    with pytest.raises(ValueError):
        AwsChunkedDecoder(PayloadMode("unsigned"))
    with pytest.raises(ValueError):
        AwsChunkedDecoder(PayloadMode("streaming-signed"))


# --- fuzzing: only AuthError, bounded buffers -----------------------------------------------------

def assert_bounded(decoder: AwsChunkedDecoder) -> None:
    assert len(decoder._line) <= MAX_LINE + 2
    assert sum(len(p) for p in decoder._held) <= MAX_SIGNED_CHUNK
    assert decoder._trailer_bytes <= MAX_TRAILER_BYTES + MAX_LINE + 2


def fuzz(mode: PayloadMode, pieces: list[bytes]) -> None:
    decoder = AwsChunkedDecoder(mode)
    try:
        for piece in pieces:
            decoder.feed(piece)
            assert_bounded(decoder)
        decoder.finish()
    except AuthError:
        pass


modes = st.sampled_from([signed_mode(), signed_mode("streaming-signed-trailer"), unsigned_mode(),
                         unsigned_mode(10, "x-amz-checksum-crc32"), signed_mode(length=5)])


@settings(max_examples=500, deadline=1000, suppress_health_check=[HealthCheck.too_slow])
@given(mode=modes, pieces=st.lists(st.binary(max_size=200), max_size=10))
def test_fuzz_arbitrary_bytes(mode: PayloadMode, pieces: list[bytes]) -> None:
    fuzz(mode, pieces)


framing = st.sampled_from([b"\r\n", b"\r", b"\n", b";", b"chunk-signature=", b"0", b"1", b"ff", b"10000",
                           b"x-amz-checksum-crc32:", b"x-amz-trailer-signature:", b"0" * 64, b":", b" "])


@settings(max_examples=500, deadline=1000)
@given(mode=modes, tokens=st.lists(st.one_of(framing, st.binary(max_size=20)), max_size=30),
       cuts=st.lists(st.integers(0, 10**4), max_size=8))
def test_fuzz_framing_tokens(mode: PayloadMode, tokens: list[bytes], cuts: list[int]) -> None:
    fuzz(mode, split(b"".join(tokens), cuts))


@settings(max_examples=300, deadline=1000)
@given(chunks=st.lists(st.binary(min_size=1, max_size=100), max_size=3), data=st.data())
def test_fuzz_mutated_valid_bodies(chunks: list[bytes], data: st.DataObject) -> None:
    body = bytearray(encode_signed(chunks, [("x-amz-checksum-crc32", "AAAAAA==")]))
    for _ in range(data.draw(st.integers(1, 4), label="edits")):
        at = data.draw(st.integers(0, len(body)), label="at")
        body[at:at + data.draw(st.integers(0, 3), label="cut")] = data.draw(st.binary(max_size=4), label="in")
    cuts = data.draw(st.lists(st.integers(0, 999)), label="cuts")
    fuzz(signed_mode("streaming-signed-trailer"), split(bytes(body), cuts))


def test_endless_header_line_is_refused_without_buffering_it() -> None:
    decoder = AwsChunkedDecoder(unsigned_mode())
    with pytest.raises(AuthError):
        for _ in range(10_000):
            decoder.feed(b"1" * 512)
            assert_bounded(decoder)
