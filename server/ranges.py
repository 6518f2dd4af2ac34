"""Byte ranges: the Range header of a GET, and x-amz-copy-source-range of an UploadPartCopy."""

from __future__ import annotations

import re

from .errors import S3Error

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
_COPY_RANGE = re.compile(r"bytes=(\d+)-(\d+)")


def unsatisfiable(size: int, requested: str) -> S3Error:
    """416 InvalidRange; the response says what the object's size is (Content-Range: bytes */size)."""
    return S3Error("InvalidRange", headers={"Content-Range": f"bytes */{size}"},
                   ActualObjectSize=str(size), RangeRequested=requested)


def parse_range(value: str | None, size: int) -> tuple[int, int] | None:
    """(start, length) of a single-range Range header; None to serve the whole object.

    S3 ignores a Range it cannot parse (and multiple ranges); an unsatisfiable one is 416:
    a start at or beyond the end, or a suffix of an empty object or of zero bytes."""
    if not value:
        return None
    m = _RANGE.match(value.strip())
    if not m or (not m.group(1) and not m.group(2)):
        return None
    first, last = m.group(1), m.group(2)
    if not first:  # suffix: the last N bytes
        n = int(last)
        if n == 0 or size == 0:
            raise unsatisfiable(size, value)
        n = min(n, size)
        return size - n, n
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if last and int(last) < start:
        return None
    if start >= size:
        raise unsatisfiable(size, value)
    return start, end - start + 1


def parse_copy_range(raw: str) -> tuple[int, int]:
    """x-amz-copy-source-range as (first, last) byte offsets; InvalidArgument when malformed."""
    m = _COPY_RANGE.fullmatch(raw.strip())
    if m is None or int(m.group(1)) > int(m.group(2)):
        raise S3Error("InvalidArgument", "The x-amz-copy-source-range value must be of the form "
                                         "bytes=first-last where first and last are the zero-based offsets "
                                         "of the first and last bytes to copy",
                      ArgumentName="x-amz-copy-source-range", ArgumentValue=raw)
    return int(m.group(1)), int(m.group(2))


def copy_range_outside(size: int, raw: str) -> S3Error:
    """A well-formed x-amz-copy-source-range that ends beyond the source.  S3 answers it with 400
    InvalidArgument, "Range specified is not valid for source object of size: N" (as S3 itself
    answered versitygw's tests, versity/versitygw#610); ceph's s3-tests expect InvalidRange (400 or
    416), which is not what S3 sends today."""
    return S3Error("InvalidArgument", f"Range specified is not valid for source object of size: {size}",
                   ArgumentName="x-amz-copy-source-range", ArgumentValue=raw)
