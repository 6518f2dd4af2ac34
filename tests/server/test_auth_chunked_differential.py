"""The compiled aws-chunked decoder against the Python one it replaced (chunked_reference.py):
generated bodies -- every kind, random chunk sizes on both sides of the 4 KiB thresholds,
corrupted signatures, sizes, CRLFs and trailers, over-long lines, truncations -- fed to both
in the same random pieces, as bytes, bytearray or memoryview, must give the same pieces, the
same buffered state after every feed, the same trailers and the same errors (code, status,
message and extra fields), the same error again on every later call.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cairn.server.auth import AuthError, PayloadMode
from cairn.server.auth.chunked import MAX_LINE, MAX_TRAILER_BYTES, AwsChunkedDecoder

from .chunked_reference import AwsChunkedDecoder as ReferenceDecoder
from .test_auth_chunked import SEED, crc32, encode_signed, encode_unsigned, signed_mode, split, unsigned_mode

Outcome = tuple[str, object]


def outcome(call: Callable[[], object]) -> Outcome:
    """What a call gave, comparable across the two decoders: its value or its error in full."""
    try:
        value = call()
    except AuthError as exc:
        return "error", (type(exc), exc.code, exc.status, exc.message, exc.extra, exc.headers)
    if isinstance(value, list):
        return "pieces", [(type(p), bytes(p)) for p in value]
    return "value", value


def state(decoder: AwsChunkedDecoder | ReferenceDecoder) -> tuple[object, ...]:
    return (bytes(decoder._line), [(type(p), bytes(p)) for p in decoder._held], decoder._trailer_bytes)


def as_type(piece: bytes, kind: str) -> bytes | bytearray | memoryview:
    if kind == "bytearray":
        return bytearray(piece)
    if kind == "memoryview":
        return memoryview(bytearray(piece))
    return piece


def assert_same(mode: PayloadMode, pieces: list[bytes], kinds: list[str] | None = None) -> list[Outcome]:
    """Feed both decoders the same pieces and compare everything after every call; the outcomes."""
    compiled, reference = AwsChunkedDecoder(mode), ReferenceDecoder(mode)
    outcomes = []
    for i, piece in enumerate(pieces):
        kind = kinds[i % len(kinds)] if kinds else "bytes"
        got = outcome(lambda: compiled.feed(as_type(piece, kind)))  # noqa: B023 (called at once)
        want = outcome(lambda: reference.feed(as_type(piece, kind)))  # noqa: B023
        assert got == want
        assert state(compiled) == state(reference)
        outcomes.append(got)
    got, want = outcome(compiled.finish), outcome(reference.finish)
    assert got == want
    outcomes.append(got)
    if got[0] == "error":  # errors stick, both ways in
        assert outcome(lambda: compiled.feed(b"0\r\n")) == got == outcome(compiled.finish)
    return outcomes


# --- generated bodies ----------------------------------------------------------------------------

chunk_sizes = st.one_of(st.integers(1, 40), st.integers(4000, 4200), st.integers(9000, 70000))
trailer_lists = st.lists(st.tuples(st.sampled_from(["x-amz-checksum-crc32", "x-amz-checksum-sha256",
                                                    "x-amz-checksum-crc64nvme", "x-custom", "X-Upper"]),
                                   st.text("ABCDEFabcdef0123456789+/= \t", max_size=44)),
                         max_size=3, unique_by=lambda t: t[0].lower())
KINDS = ["streaming-signed", "streaming-signed-trailer", "streaming-unsigned-trailer"]
INPUT_TYPES = st.lists(st.sampled_from(["bytes", "bytearray", "memoryview"]), min_size=1, max_size=3)


@st.composite
def bodies(draw: st.DrawFn) -> tuple[PayloadMode, bytes]:
    """A well-formed body of any kind, and its mode (declared length and trailers right or wrong)."""
    kind = draw(st.sampled_from(KINDS))
    sizes = draw(st.lists(chunk_sizes, max_size=4))
    seed = os.urandom(max(sizes, default=1))
    chunks = [seed[:n] for n in sizes]
    data = b"".join(chunks)
    trailers = draw(trailer_lists) if kind != "streaming-signed" else []
    length = draw(st.sampled_from([len(data), None, len(data) + 1, max(0, len(data) - 1)]))
    declared = draw(st.sampled_from([",".join(n for n, _ in trailers) or None, None, "x-amz-checksum-crc32"]))
    if kind == "streaming-unsigned-trailer":
        return unsigned_mode(length, declared), encode_unsigned(chunks, trailers)
    mode = signed_mode(kind, length, declared)
    if draw(st.booleans()):  # a seed sent in upper case enters the chain as sent
        mode = PayloadMode(kind, decoded_length=length, trailer=declared,  # type: ignore[arg-type]
                           seed_signature=SEED.upper(), signing_key=mode.signing_key, scope=mode.scope,
                           amz_date=mode.amz_date)
        return mode, encode_signed(chunks, trailers if kind.endswith("trailer") else None, SEED.upper())
    return mode, encode_signed(chunks, trailers if kind.endswith("trailer") else None)


CORRUPTIONS = ["none", "flip", "insert", "delete", "truncate", "signature digit", "signature case",
               "signature not hex", "size",
               "crlf", "long header", "long trailer", "trailer bytes", "trailer total", "append"]


def corrupt(body: bytes, how: str, data: st.DataObject) -> bytes:
    def at() -> int:
        return data.draw(st.integers(0, max(0, len(body) - 1)), label="at")
    if how == "flip" and body:
        i = at()
        return body[:i] + bytes([body[i] ^ data.draw(st.integers(1, 255), label="xor")]) + body[i + 1:]
    if how == "insert":
        i = at()
        insert = data.draw(st.sampled_from([b"\r", b"\n", b"\r\n", b";", b" ", b"0", b"x", b":"]))
        return body[:i] + insert + body[i:]
    if how == "delete" and body:
        i = at()
        return body[:i] + body[i + data.draw(st.integers(1, 3), label="n"):]
    if how == "truncate":
        return body[:at()]
    if how in ("signature digit", "signature case", "signature not hex"):
        marks = [i for i in range(len(body)) if body.startswith(b"signature=", i)]
        if not marks:
            return body
        i = data.draw(st.sampled_from(marks), label="mark") + 10
        i += data.draw(st.integers(0, 63), label="digit")
        if how == "signature not hex":
            new = data.draw(st.sampled_from([b"g", b"G", b"/", b":", b"@", b"`", b" ", b"\x00", b"\xff"]))
        elif how == "signature case":
            new = bytes([body[i]]).swapcase()
        else:
            new = b"0" if body[i:i + 1] != b"0" else b"1"
        return body[:i] + new + body[i + 1:]
    if how == "size":
        line_end = body.find(b"\r\n")
        size = data.draw(st.sampled_from([b"0", b"1", b"fffffffffffffffff", b"1000001", b"140000001", b" 10 ",
                                          b"g", b""]))
        semicolon = body.find(b";", 0, line_end)
        return size + body[semicolon if semicolon >= 0 else line_end:]
    if how == "crlf":
        ends = [i for i in range(len(body)) if body.startswith(b"\r\n", i)]
        if not ends:
            return body
        i = data.draw(st.sampled_from(ends), label="crlf")
        return body[:i] + data.draw(st.sampled_from([b"\n", b"\r", b"\r\r\n", b"\n\r", b""])) + body[i + 2:]
    if how == "long header":
        pads = [MAX_LINE - 90, MAX_LINE - 84, MAX_LINE - 83, MAX_LINE, MAX_LINE + 9]
        pad = data.draw(st.sampled_from(pads))
        return b" " * pad + body
    if how == "long trailer":
        value = b"v" * data.draw(st.sampled_from([MAX_LINE - 10, MAX_LINE - 6, MAX_LINE - 5, MAX_LINE + 2]))
        return body[:-2] + b"x-long:" + value + b"\r\n\r\n"
    if how == "trailer bytes":
        lines = b"".join(b"x-%d:%s\r\n" % (i, b"v" * 90) for i in range(MAX_TRAILER_BYTES // 100 + 1))
        return body[:-2] + lines + b"\r\n"
    if how == "trailer total":  # a filler first in the trailer section brings it to about the limit
        zero = max(body.rfind(b"\r\n0;chunk-signature="), body.rfind(b"\r\n0\r\n"))
        start = body.index(b"\r\n", zero + 2) + 2 if zero >= 0 else body.index(b"\r\n") + 2
        target = MAX_TRAILER_BYTES + data.draw(st.integers(-1, 1), label="over")
        filler = b"x-fill:" + b"v" * (target - (len(body) - start) - 9) + b"\r\n"
        return body[:start] + filler + body[start:]
    if how == "append":
        return body + data.draw(st.sampled_from([b"x", b"\r\n", b"0\r\n\r\n"]))
    return body


# Feed sizes around the decoder's thresholds: pieces of 4 KiB and more are held as views and
# hashed with the GIL released, smaller ones coalesced.
FEED_SIZES = [100, 4095, 4096, 4097, 8191, 65536, 65600, 1 << 18]


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(case=bodies(), how=st.sampled_from(CORRUPTIONS), cuts=st.lists(st.integers(0, 10**6), max_size=12),
       size=st.sampled_from([0, *FEED_SIZES]), kinds=INPUT_TYPES, data=st.data())
def test_generated_bodies_decode_the_same(case: tuple[PayloadMode, bytes], how: str, cuts: list[int],
                                          size: int, kinds: list[str], data: st.DataObject) -> None:
    mode, body = case
    body = corrupt(body, how, data)
    pieces = [body[i:i + size] for i in range(0, len(body), size)] if size else split(body, cuts)
    assert_same(mode, pieces, kinds)


@settings(max_examples=300, deadline=None)
@given(case=bodies(), data=st.data())
def test_byte_at_a_time_and_whole_decode_the_same(case: tuple[PayloadMode, bytes],
                                                   data: st.DataObject) -> None:
    mode, body = case
    body = corrupt(body, data.draw(st.sampled_from(CORRUPTIONS), label="how"), data)
    assert_same(mode, [body])
    if len(body) < 3000:
        assert_same(mode, [body[i:i + 1] for i in range(len(body))])


tokens = st.sampled_from([b"\r\n", b"\r", b"\n", b";", b"chunk-signature=", b"0", b"1", b"ff", b"10000", b":",
                          b"x-amz-checksum-crc32:", b"x-amz-trailer-signature:", b"0" * 64, b" ", b"\t"])


@settings(max_examples=500, deadline=None)
@given(mode=st.sampled_from([signed_mode(), signed_mode("streaming-signed-trailer"), unsigned_mode(),
                             unsigned_mode(10, "x-amz-checksum-crc32"), signed_mode(length=5)]),
       parts=st.lists(st.one_of(tokens, st.binary(max_size=20)), max_size=30),
       cuts=st.lists(st.integers(0, 10**4), max_size=8))
def test_arbitrary_bytes_decode_the_same(mode: PayloadMode, parts: list[bytes], cuts: list[int]) -> None:
    assert_same(mode, split(b"".join(parts), cuts))


# --- fixed cases worth naming ---------------------------------------------------------------------

def test_a_valid_body_of_every_kind_gives_the_same_pieces_and_trailers() -> None:
    data = os.urandom(200_000)
    chunks = [data[:65536], data[65536:65540], data[65540:]]
    trailers = [("x-amz-checksum-crc32", crc32(data))]
    for mode, body in [(signed_mode(length=len(data)), encode_signed(chunks)),
                       (signed_mode("streaming-signed-trailer", len(data), "x-amz-checksum-crc32"),
                        encode_signed(chunks, trailers)),
                       (unsigned_mode(len(data), "x-amz-checksum-crc32"), encode_unsigned(chunks, trailers))]:
        for size in (1 << 18, 65536 + 90, 4095, 100):
            outcomes = assert_same(mode, [body[i:i + size] for i in range(0, len(body), size)])
            pieces = [piece for _, value in outcomes[:-1] for piece in value]  # type: ignore[attr-defined]
            assert b"".join(chunk for _, chunk in pieces) == data
            assert outcomes[-1] == ("value", dict(trailers) if mode.kind.endswith("trailer") else {})


@pytest.mark.parametrize("at", [0, 1, 17, 63])
def test_a_chunk_signature_mismatch_names_the_same_string_to_sign(at: int) -> None:
    body = encode_signed([b"a" * 65536, b"a" * 1024])
    i = body.index(b"chunk-signature=", body.index(b"\r\n") + 2 + 65536) + 16 + at
    tampered = body[:i] + (b"0" if body[i:i + 1] != b"0" else b"1") + body[i + 1:]
    outcomes = assert_same(signed_mode(length=66560), [tampered])
    kind, error = outcomes[0]
    assert kind == "error" and error[1] == "SignatureDoesNotMatch"  # type: ignore[index]
