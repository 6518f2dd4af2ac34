"""Drive arguments: MinIO's ellipsis syntax, ``/mnt/d{1...16}`` -> sixteen paths."""

from __future__ import annotations

import itertools
import math
import os
import re
from collections.abc import Iterator, Sequence

from .errors import FormatError

# A typo such as {1...100000} should fail with a message, not exhaust memory.
MAX_DRIVES = 10_000


# --------------------------------------------------------------------------
# Ellipsis expansion
# --------------------------------------------------------------------------

# One range: "{" bound "..." bound "}" where bounds are decimal or lowercase hex (as in MinIO).
_RANGE_RE = re.compile(r"\{([0-9a-z]*)\.\.\.([0-9a-z]*)\}")
_RANGE_HELP = "a range is written {N...M} with N <= M, e.g. /mnt/disk{1...4} or /mnt/disk{01...16}"


def expand_drive_args(args: Sequence[str]) -> list[str]:
    """Expand MinIO-style ``{N...M}`` ranges in every argument; return absolute, distinct paths."""
    if not args:
        raise FormatError("no drives given: pass at least one drive path, e.g. /mnt/disk{1...4}")
    paths: list[str] = []
    for arg in args:
        paths.extend(os.path.abspath(p) for p in _expand_arg(arg))
        if len(paths) > MAX_DRIVES:
            raise FormatError(f"{arg!r} brings the drive count above {MAX_DRIVES}: check the ranges")
    reject_duplicate_paths(paths)
    return paths


def _expand_arg(arg: str) -> list[str]:
    """All paths of one argument; an argument without ellipsis syntax is returned as is."""
    if not _looks_like_ellipsis(arg):
        return [arg]
    literals: list[str] = []
    ranges: list[list[str]] = []
    pos = 0
    for match in _RANGE_RE.finditer(arg):
        literals.append(arg[pos : match.start()])
        ranges.append(_expand_range(arg, match.group(1), match.group(2)))
        pos = match.end()
    literals.append(arg[pos:])
    if any(_looks_like_ellipsis(text) for text in literals):
        raise FormatError(f"invalid ellipsis syntax in drive argument {arg!r}: {_RANGE_HELP}")
    if math.prod(len(r) for r in ranges) > MAX_DRIVES:
        raise FormatError(
            f"drive argument {arg!r} expands to more than {MAX_DRIVES} drives: check the ranges"
        )
    return [_join(literals, combo) for combo in _minio_product(ranges)]


def _looks_like_ellipsis(text: str) -> bool:
    # MinIO treats any braces or any "..." as an attempted range, so "{1..4}" is an error, not a path.
    return "{" in text or "}" in text or "..." in text


def _expand_range(arg: str, low: str, high: str) -> list[str]:
    start, start_hex = _parse_bound(arg, low)
    end, end_hex = _parse_bound(arg, high)
    if start > end:
        raise FormatError(
            f"invalid range {{{low}...{high}}} in drive argument {arg!r}: {low} is above {high}"
        )
    if end - start >= MAX_DRIVES:
        raise FormatError(
            f"range {{{low}...{high}}} in drive argument {arg!r} has more than {MAX_DRIVES} items"
        )
    kind = "x" if start_hex or end_hex else "d"
    # MinIO's padding rule: pad to the width of the upper bound when either bound is written padded.
    padded = (low.startswith("0") and len(low) > 1) or high.startswith("0")
    spec = f"0{len(high)}{kind}" if padded else kind
    return [format(i, spec) for i in range(start, end + 1)]


def _parse_bound(arg: str, text: str) -> tuple[int, bool]:
    """A bound as an int, and whether it had to be read as hexadecimal (MinIO accepts {1...a})."""
    if not text:
        raise FormatError(f"invalid ellipsis syntax in drive argument {arg!r}: empty bound; {_RANGE_HELP}")
    if text.isdigit():
        return int(text, 10), False
    try:
        return int(text, 16), True
    except ValueError:
        raise FormatError(
            f"invalid range bound {text!r} in drive argument {arg!r}: bounds are numbers; {_RANGE_HELP}"
        ) from None


def _minio_product(ranges: list[list[str]]) -> Iterator[tuple[str, ...]]:
    """Cartesian product in MinIO's order: the *leftmost* range varies fastest.

    MinIO expands ``http://host{1...2}/disk{1...2}`` as host1/disk1, host2/disk1,
    host1/disk2, host2/disk2, so consecutive drives (and thus each erasure set)
    spread over the hosts/disks named on the left.
    """
    for combo in itertools.product(*reversed(ranges)):
        yield tuple(reversed(combo))


def _join(literals: list[str], values: tuple[str, ...]) -> str:
    parts = [literals[0]]
    for value, literal in zip(values, literals[1:], strict=True):
        parts += [value, literal]
    return "".join(parts)


def reject_duplicate_paths(paths: Sequence[str]) -> None:
    seen: set[str] = set()
    for path in paths:
        if path in seen:
            raise FormatError(f"drive {path} is given more than once: every drive must be distinct")
        seen.add(path)
