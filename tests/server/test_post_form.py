"""The streaming multipart/form-data parser of S3 POST Object (server/form.py).

The request bodies are AWS's POST Object samples and what browsers, curl, requests and
s3-tests send; hypothesis checks that any split of a body into feeds gives the same
events (and the same error), that file data is held back no longer than a delimiter,
and that no input raises anything but S3Error.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from cairn.server.errors import S3Error
from cairn.server.form import (
    MAX_PRE_DATA,
    Event,
    Field,
    FileData,
    FileEnd,
    FileStart,
    FormParser,
    field_map,
    parse_boundary,
)

BOUNDARY = "9431149156168"
FILE_HEAD = f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"\r\n\r\n'.encode()


def part(name: str, value: bytes | str, *, extra: str = "", boundary: str = BOUNDARY) -> bytes:
    data = value.encode() if isinstance(value, str) else value
    return (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"{extra}\r\n\r\n'.encode()
            + data + b"\r\n")


def form(*parts: bytes, boundary: str = BOUNDARY, close: bytes = b"--\r\n") -> bytes:
    return b"".join(parts) + f"--{boundary}".encode() + close


def normalized(events: Iterable[Event]) -> list[Event]:
    """Consecutive FileData merged into one (bytes), so differently split feeds compare equal."""
    out: list[Event] = []
    for event in events:
        if isinstance(event, FileData) and out and isinstance(out[-1], FileData):
            out[-1] = FileData(bytes(out[-1].data) + bytes(event.data))
        elif isinstance(event, FileData):
            out.append(FileData(bytes(event.data)))
        else:
            out.append(event)
    return out


def parse(body: bytes, cuts: Sequence[int] = (), boundary: str = BOUNDARY) -> list[Event]:
    parser = FormParser(boundary)
    events: list[Event] = []
    start = 0
    for cut in sorted(cuts):
        events += parser.feed(body[start:cut])
        start = cut
    events += parser.feed(body[start:])
    parser.end()
    return normalized(events)


def outcome(body: bytes, cuts: Sequence[int] = (), boundary: str = BOUNDARY) -> list[Event] | str:
    try:
        return parse(body, cuts, boundary)
    except S3Error as exc:
        return exc.code


def error(body: bytes, boundary: str = BOUNDARY) -> S3Error:
    with pytest.raises(S3Error) as info:
        parse(body, boundary=boundary)
    return info.value


# --- the boundary --------------------------------------------------------------------------------


@pytest.mark.parametrize("content_type, boundary", [
    ("multipart/form-data; boundary=9431149156168", "9431149156168"),
    ("Multipart/Form-Data;boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW",
     "----WebKitFormBoundary7MA4YWxkTrZu0gW"),
    ('multipart/form-data; charset=utf-8; boundary="a b\'()+_,-./:=?"', "a b'()+_,-./:=?"),
    ("multipart/form-data; BOUNDARY=x", "x"),
    ("multipart/form-data; boundary=" + "a" * 70, "a" * 70),
])
def test_parse_boundary(content_type: str, boundary: str) -> None:
    assert parse_boundary(content_type) == boundary


@pytest.mark.parametrize("content_type", [
    "multipart/form-data", "multipart/form-data; boundary=", 'multipart/form-data; boundary="ends "',
    "multipart/form-data; boundary=" + "a" * 71, "multipart/form-data; boundary=a\x00b",
    'multipart/form-data; boundary="é"', "multipart/form-data; boundary=a\tb",
])
def test_parse_boundary_malformed(content_type: str) -> None:
    with pytest.raises(S3Error) as info:
        parse_boundary(content_type)
    assert (info.value.code, info.value.status) == ("MalformedPOSTRequest", 400)
    assert info.value.message == "The body of your POST request is not well-formed multipart/form-data."


@pytest.mark.parametrize("content_type", ["text/html", "application/x-www-form-urlencoded",
                                          "multipart/mixed; boundary=x", ""])
def test_parse_boundary_not_a_form(content_type: str) -> None:
    with pytest.raises(S3Error) as info:
        parse_boundary(content_type)
    assert (info.value.code, info.value.status) == ("PreconditionFailed", 412)
    assert info.value.extra == {"Condition": "Bucket POST must be of the enclosure-type multipart/form-data"}


# --- what clients send -----------------------------------------------------------------------------

AWS_SAMPLE = (  # AWS's POST Object sample request (SigV2 upload examples), the image shortened
    b"--9431149156168\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nuser/eric/MyPicture.jpg\r\n"
    b"--9431149156168\r\nContent-Disposition: form-data; name=\"acl\"\r\n\r\npublic-read\r\n"
    b"--9431149156168\r\nContent-Disposition: form-data; name=\"Content-Type\"\r\n\r\nimage/jpeg\r\n"
    b"--9431149156168\r\nContent-Disposition: form-data; name=\"x-amz-meta-tag\"\r\n\r\n"
    b"Some,Tag,For,Picture\r\n"
    b"--9431149156168\r\nContent-Disposition: form-data; name=\"Signature\"\r\n\r\n"
    b"0RavWzkygo6QX9caELEqKi9kDbU=\r\n"
    b"--9431149156168\r\nContent-Disposition: form-data; name=\"file\"; filename=\"MyFilename.jpg\"\r\n"
    b"Content-Type: image/jpeg\r\n\r\n\xff\xd8\xff\xe0...file content...\r\n"
    b"--9431149156168\r\nContent-Disposition: form-data; name=\"submit\"\r\n\r\nUpload to Amazon S3\r\n"
    b"--9431149156168--\r\n")


def test_aws_sample_request() -> None:
    assert parse(AWS_SAMPLE) == [
        Field("key", "user/eric/MyPicture.jpg"), Field("acl", "public-read"),
        Field("Content-Type", "image/jpeg"),
        Field("x-amz-meta-tag", "Some,Tag,For,Picture"), Field("Signature", "0RavWzkygo6QX9caELEqKi9kDbU="),
        FileStart("file", "MyFilename.jpg", "image/jpeg"), FileData(b"\xff\xd8\xff\xe0...file content..."),
        FileEnd()]  # "submit", after the file, is dropped


def test_byte_by_byte() -> None:
    assert parse(AWS_SAMPLE, range(1, len(AWS_SAMPLE))) == parse(AWS_SAMPLE)


def test_text_area_upload() -> None:
    """A "file" part without filename (a textarea, or LocalStack's data=) is the file."""
    body = form(part("key", "k"), part("file", "Your blog post goes here."))
    assert parse(body) == [Field("key", "k"), FileStart("file", None, None),
                           FileData(b"Your blog post goes here."), FileEnd()]


def test_s3_tests_style_every_part_has_a_filename() -> None:
    """requests' files= gives every part filename=<name>: only the part named file is the file."""
    body = form(part("key", "foo.txt", extra='; filename="key"'),
                part("file", "bar", extra='; filename="file"'))
    assert parse(body) == [Field("key", "foo.txt"), FileStart("file", "file", None), FileData(b"bar"),
                           FileEnd()]


def test_preamble_padding_epilogue() -> None:
    body = (b"This is the preamble.\r\n--9431149156168 \t\r\n"
            b"Content-Disposition: form-data; name=a\r\n\r\n1\r\n"
            b"--9431149156168\r\n" b'content-disposition: FORM-DATA; NAME="FILE"\r\n\r\ndata\r\n'
            b"--9431149156168--  \r\nThis is the epilogue.\r\n--9431149156168\r\ngarbage")
    assert parse(body) == [Field("a", "1"), FileStart("FILE", None, None), FileData(b"data"), FileEnd()]


def test_empty_file_and_empty_values() -> None:
    body = form(part("a", ""), part("file", b"", extra='; filename=""'))
    assert parse(body) == [Field("a", ""), FileStart("file", "", None), FileEnd()]


def test_close_delimiter_without_final_crlf() -> None:
    assert parse(form(part("file", "x"), close=b"--")) == [FileStart("file", None, None), FileData(b"x"),
                                                             FileEnd()]


def test_field_values_keep_crlf_and_utf8() -> None:
    body = form(part("x-amz-meta-Note", "line 1\r\nline 2 — é\r\n"), part("file", "x"))
    assert parse(body)[0] == Field("x-amz-meta-Note", "line 1\r\nline 2 — é\r\n")


@pytest.mark.parametrize("disposition, name, filename", [
    ('form-data; name="file"; filename="a \\"quoted\\" name.txt"', "file", 'a "quoted" name.txt'),
    ('form-data; name="file"; filename="C:\\Users\\me\\photo.jpg"', "file", "C:\\Users\\me\\photo.jpg"),
    ("form-data; name=file; filename=plain.txt", "file", "plain.txt"),
    ('form-data; name="file"; filename="fallback.txt"; filename*=UTF-8\'\'na%C3%AFve%20%E2%82%AC.txt', "file",
     "naïve €.txt"),
    ("form-data; name=\"file\"; filename*=iso-8859-1'en'caf%E9.txt", "file", "café.txt"),
    ("form-data; name=\"file\"; filename*0*=UTF-8''%C3%A9t%C3%A9; filename*1=\".txt\"", "file", "été.txt"),
    ('form-data; name="file"; filename*=x-unknown\'\'abc; filename="known"', "file", "known"),
    ('form-data ; name = "file" ; filename="spaced"', "file", "spaced"),
    ('form-data; name="file"; filename="日本.txt"', "file", "日本.txt"),
    ('form-data; name="file"; filename="%22quoted%22.txt"', "file", "%22quoted%22.txt"),  # WHATWG: as sent
])
def test_content_disposition(disposition: str, name: str, filename: str) -> None:
    body = form(f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n\r\nx\r\n".encode())
    assert parse(body)[0] == FileStart(name, filename, None)


def test_file_must_be_form_data() -> None:
    """`Content-Disposition: file; name="file"` is not the file (S3 counts it as a field)."""
    body = form(f'--{BOUNDARY}\r\nContent-Disposition: attachment; name="file"\r\n\r\nx\r\n'.encode(),
                part("file", "y"))
    assert parse(body)[:2] == [Field("file", "x"), FileStart("file", None, None)]


def test_part_headers() -> None:
    body = form(f"--{BOUNDARY}\r\nX-Other: 1\r\nContent-Disposition: form-data;\r\n name=\"file\"\r\n"
                "Content-Type: text/plain; charset=utf-8\r\nContent-Type: ignored\r\n\r\nx\r\n".encode())
    assert parse(body)[0] == FileStart("file", None, "text/plain; charset=utf-8")


def test_fields_after_the_file_are_dropped() -> None:
    body = form(part("key", "k"), part("file", "x"), part("acl", "public-read"),
                f"--{BOUNDARY}\r\nX-No-Disposition: 1\r\n\r\nignored\r\n".encode())
    assert parse(body) == [Field("key", "k"), FileStart("file", None, None), FileData(b"x"), FileEnd()]


def test_field_map() -> None:
    fields = [Field("X-Amz-Meta-Tag", "Ninja"), Field("x-amz-meta-tag", "Stallman"), Field("Policy", "p")]
    assert field_map(fields) == {"x-amz-meta-tag": "Ninja,Stallman", "policy": "p"}


# --- streaming -------------------------------------------------------------------------------------


def test_file_data_is_not_copied() -> None:
    parser = FormParser(BOUNDARY)
    head = parser.feed(part("key", "k") + FILE_HEAD)
    assert head == [Field("key", "k"), FileStart("file", None, None)]
    chunk = bytes(range(256)) * 256
    [event] = parser.feed(chunk)
    assert isinstance(event, FileData) and event.data is chunk
    assert normalized(parser.feed(b"abc\r\n--94311")) == [FileData(b"abc")]  # a possible delimiter is held...
    assert normalized(parser.feed(b"X")) == [FileData(b"\r\n--94311X")]  # ... until it is not one
    assert parser.feed(b"\r\n--9431149156168--") == [FileEnd()]


def test_delimiter_split_everywhere() -> None:
    body = form(part("file", b"\r\n-\r\n--\r\n--94311491561\r\r\n" * 3))
    expected = parse(body)
    for cut in range(len(body) + 1):
        assert parse(body, [cut]) == expected


# --- errors ----------------------------------------------------------------------------------------


def test_pre_data_limit() -> None:
    """Everything before the file's content counts: exactly 20480 bytes pass, one more fails."""
    pad = MAX_PRE_DATA - len(part("x-ignore-pad", "")) - len(FILE_HEAD)
    events = parse(form(part("x-ignore-pad", "p" * pad), FILE_HEAD + b"data\r\n"))
    assert events[1] == FileStart("file", None, None)
    exc = error(form(part("x-ignore-pad", "p" * (pad + 1)), FILE_HEAD + b"data\r\n"))
    assert (exc.code, exc.status, exc.message) == (
        "MaxPostPreDataLengthExceeded", 400,
        "Your POST request fields preceeding the upload file was too large.")
    assert exc.extra == {"MaxPostPreDataLengthBytes": "20480"}


@pytest.mark.parametrize("body", [
    b"x" * 30000,  # a preamble that never ends
    form(part("a", "v" * 30000)),
    form(part("a", "v" * 11000), part("b", "v" * 11000), part("file", "x")),
    FILE_HEAD[:-2] + f"X-Big: {'h' * 30000}\r\n\r\nx".encode(),
    f"--{BOUNDARY}{' ' * 30000}\r\n".encode(),
])
def test_pre_data_too_large(body: bytes) -> None:
    assert error(body).code == "MaxPostPreDataLengthExceeded"
    parser = FormParser(BOUNDARY)
    with pytest.raises(S3Error) as info:  # fed in pieces, it is refused before the body ends
        for start in range(0, len(body), 1000):
            parser.feed(body[start:start + 1000])
    assert info.value.code == "MaxPostPreDataLengthExceeded"


def test_huge_header_after_the_file() -> None:
    body = form(part("file", "x"), f"--{BOUNDARY}\r\nX-Big: {'h' * 30000}\r\n\r\n\r\n".encode())
    assert error(body).code == "MalformedPOSTRequest"


def test_no_file() -> None:
    exc = error(form(part("key", "k")))
    assert (exc.code, exc.message, exc.extra) == (
        "InvalidArgument", "POST requires exactly one file upload per request.",
        {"ArgumentName": "file", "ArgumentValue": "0"})


def test_second_file() -> None:
    exc = error(form(part("file", "x"), part("submit", "s"), part("File", "y", extra='; filename="b"')))
    assert (exc.code, exc.extra) == ("InvalidArgument", {"ArgumentName": "file", "ArgumentValue": "2"})


@pytest.mark.parametrize("body", [
    form(f"--{BOUNDARY}\r\n\r\nno headers\r\n".encode()),
    form(f"--{BOUNDARY}\r\nContent-Type: text/plain\r\n\r\nno disposition\r\n".encode()),
    form(f"--{BOUNDARY}\r\nContent-Disposition: form-data\r\n\r\nno name\r\n".encode()),
    form(f"--{BOUNDARY}\r\nContent-Disposition: form-data; filename=\"f\"\r\n\r\nno name\r\n".encode()),
    form(f"--{BOUNDARY}\r\nNot a header line\r\n\r\nx\r\n".encode()),
    form(f"--{BOUNDARY}\r\n Content-Disposition: form-data; name=a\r\n\r\nx\r\n".encode()),
    form(f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"\xe9\"\r\n\r\nx\r\n".encode("latin-1")),
    form(part("a", b"\xff\xfe not utf-8"), part("file", "x")),
    form(f"--{BOUNDARY}garbage\r\n".encode() + part("file", "x")),
    form(part("file", "x") + f"--{BOUNDARY}x\r\n".encode()),
    form(part("file", "x"), close=b"-"),  # no close delimiter
    part("key", "k") + part("file", "x"),  # ditto
    part("key", "k") + FILE_HEAD + b"truncated",
    b"",  # no body at all
    AWS_SAMPLE.replace(b"\r\n", b"\n"),  # bare LF line ends
    b"--9431149156168\r\nContent-Disposition: form-data; name=file\r\n",
])
def test_malformed(body: bytes) -> None:
    assert error(body).code == "MalformedPOSTRequest"


def test_errors_are_sticky() -> None:
    parser = FormParser(BOUNDARY)
    with pytest.raises(S3Error):
        parser.feed(f"--{BOUNDARY}\r\n\r\n\r\n".encode())
    with pytest.raises(S3Error):
        parser.feed(b"more")
    with pytest.raises(S3Error):
        parser.end()


def test_bad_boundary() -> None:
    with pytest.raises(S3Error):
        FormParser("bad\r\nboundary")


# --- properties ------------------------------------------------------------------------------------

boundaries = st.text(st.sampled_from("abcXYZ019'()+_,-./:=? "), min_size=1, max_size=70).filter(
    lambda b: not b.endswith(" "))
names = st.text(st.characters(codec="utf-8", exclude_characters='"\\\r\n'), max_size=10).filter(
    lambda n: n.lower() != "file")


@st.composite
def contents(draw: st.DrawFn, boundary: str) -> bytes:
    delim = f"\r\n--{boundary}".encode()
    pieces = st.one_of(st.binary(max_size=40),
                       st.sampled_from([b"\r", b"\n", b"\r\n", b"-", b"--", b"\r\n--"]),
                       st.integers(1, len(delim) - 1).map(lambda n: delim[:n]))
    data = b"".join(draw(st.lists(pieces, max_size=12)))
    assume((data + delim).find(delim) == len(data))
    return data


@st.composite
def bodies(draw: st.DrawFn) -> tuple[str, bytes, list[Event]]:
    boundary = draw(boundaries)
    delim = f"\r\n--{boundary}".encode()
    fields = draw(st.lists(st.tuples(names, st.text(max_size=30)), max_size=5))
    fields = [(n, v) for n, v in fields if delim not in b"\r\n" + v.encode() + delim[:-1]]
    filename = draw(st.one_of(st.none(), names))
    content_type = draw(st.one_of(st.none(), st.just("image/png")))
    content = draw(contents(boundary))
    after = draw(st.lists(st.tuples(names, st.text(max_size=10)), max_size=2))
    after = [(n, v) for n, v in after if delim not in b"\r\n" + v.encode() + delim[:-1]]
    preamble = draw(st.sampled_from([b"", b"preamble\r\n", b"\r\n"]))
    epilogue = draw(st.sampled_from([b"", b"\r\n", b"\r\nepilogue"]))
    file_extra = "" if filename is None else f'; filename="{filename}"'
    file_extra += "" if content_type is None else f"\r\nContent-Type: {content_type}"
    body = preamble + b"".join(part(n, v, boundary=boundary) for n, v in fields)
    body += part("file", content, extra=file_extra, boundary=boundary)
    body += b"".join(part(n, v, boundary=boundary) for n, v in after)
    body += f"--{boundary}--".encode() + epilogue
    expected: list[Event] = [Field(n, v) for n, v in fields]
    expected.append(FileStart("file", filename, content_type))
    expected += [FileData(content)] if content else []
    expected.append(FileEnd())
    return boundary, body, expected


def cuts_for(body: bytes) -> st.SearchStrategy[list[int]]:
    return st.lists(st.integers(0, len(body)), max_size=8)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(st.data())
def test_any_split_gives_the_same_events(data: st.DataObject) -> None:
    boundary, body, expected = data.draw(bodies())
    assert parse(body, boundary=boundary) == expected
    assert parse(body, data.draw(cuts_for(body)), boundary) == expected


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(st.data())
def test_file_data_is_released_promptly(data: st.DataObject) -> None:
    """Once the file has started, all but the last len(delimiter) bytes fed are passed on."""
    boundary, body, _ = data.draw(bodies())
    parser = FormParser(boundary)
    start = body.index(b'name="file"')
    start = body.index(b"\r\n\r\n", start) + 4
    end = body.index(f"\r\n--{boundary}".encode(), start)
    cuts = sorted(data.draw(cuts_for(body)))
    fed, seen, began = 0, 0, False
    for cut in [*cuts, len(body)]:
        for event in parser.feed(body[fed:cut]):
            began = began or isinstance(event, FileStart)
            seen += len(event.data) if isinstance(event, FileData) else 0
        fed = max(fed, cut)
        if began and fed <= end:
            assert seen >= fed - start - len(boundary) - 4


noise = st.lists(st.one_of(
    st.binary(max_size=30),
    st.sampled_from([b"\r\n", b"\r\n\r\n", b"--", b"--b", b"\r\n--b", b"\r\n--b--", b"\r\n--b \r\n", b";",
                     b"=", b"Content-Disposition: form-data; name=", b'"file"', b"file",
                     b"; filename*=UTF-8''%ff", b"Content-Type: x", b'"', b"\\", b"\xff", "é".encode()])),
    max_size=30).map(b"".join)


@settings(max_examples=200, deadline=None)
@given(noise, st.data())
def test_noise_raises_only_s3_errors_and_ignores_splits(body: bytes, data: st.DataObject) -> None:
    whole = outcome(body, boundary="b")
    assert outcome(body, data.draw(cuts_for(body)), "b") == whole


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(st.data())
def test_damaged_bodies_ignore_splits(data: st.DataObject) -> None:
    boundary, body, _ = data.draw(bodies())
    at = data.draw(st.integers(0, len(body)))
    damaged = body[:at] + data.draw(st.binary(max_size=4)) + body[at + data.draw(st.integers(0, 4)):]
    assert outcome(damaged, data.draw(cuts_for(damaged)), boundary) == outcome(damaged, (), boundary)


@settings(max_examples=50, deadline=None)
@given(st.binary(max_size=200), st.integers(0, 3))
def test_large_pre_data_ignores_splits(tail: bytes, mode: int) -> None:
    pad = MAX_PRE_DATA - 100 + len(tail) % 200
    body = form(part("x-ignore-pad", "p" * pad) + tail, part("file", "x"))
    cuts = [len(body) * k // 7 for k in range(1, 7)] if mode else []
    assert outcome(body, cuts) == outcome(body)
