"""Reading a policy document's JSON safely: a size bound, S3's first-byte rule, a nesting bound
checked before the parser runs (so a document of 100000 `[` is refused at once instead of
exhausting Python's recursion limit), duplicate member names refused, numbers kept as the text
that was written (JsonNumber) so a condition value `10` compares as "10".  Every refusal is a
MalformedPolicy whose message is what S3's MalformedPolicy error says."""

from __future__ import annotations

import json
import re
from typing import NoReturn

FIRST_BYTE = "Policies must be valid JSON and the first byte must be '{'"
INVALID_JSON = "This policy contains invalid Json"
TOO_LARGE = "Policy exceeds the maximum allowed document size."
TOO_DEEP = "Policy document is nested too deeply"

MAX_DEPTH = 16
"""Nesting levels allowed; a valid policy needs six (document, Statement list, statement,
Condition, operator, value list)."""


class MalformedPolicy(ValueError):
    """A policy document S3 or IAM would refuse; str() is the message to answer with."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


def refuse(message: str) -> NoReturn:
    raise MalformedPolicy(message)


class JsonNumber(str):
    """A JSON number, kept as written (only condition values may be numbers)."""

    __slots__ = ()


class _Duplicate(ValueError):
    pass


# One left-to-right pass: a string (to its closing quote, or to the end if unterminated, so
# that the scan never restarts inside it) or a bracket.
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"?|[\[\]{}]', re.DOTALL)


def too_deep(text: str, limit: int = MAX_DEPTH) -> bool:
    """Whether brackets outside JSON strings nest deeper than `limit` (linear time)."""
    depth = 0
    for m in _TOKENS.finditer(text):
        token = m.group()
        if token in ("[", "{"):
            depth += 1
            if depth > limit:
                return True
        elif token in ("]", "}"):
            depth -= 1
    return False


def _members(pairs: list[tuple[str, object]]) -> dict[str, object]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        names = [name for name, _ in pairs]
        raise _Duplicate(next(n for n in names if names.count(n) > 1))
    return obj


def _no_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not JSON")


def load(doc: bytes | str, max_bytes: int) -> tuple[str, dict[str, object]]:
    """(the document as text, its top-level object)."""
    if isinstance(doc, str):
        text = doc
        size = len(doc.encode("utf-8", "surrogatepass"))
    else:
        size = len(doc)
        if size > max_bytes:
            refuse(TOO_LARGE)
        try:
            text = doc.decode("utf-8")
        except UnicodeDecodeError:
            refuse(FIRST_BYTE if not doc.startswith(b"{") else INVALID_JSON)
    if size > max_bytes:
        refuse(TOO_LARGE)
    if not text.startswith("{"):
        refuse(FIRST_BYTE)
    if too_deep(text):
        refuse(TOO_DEEP)
    try:
        value = json.loads(text, object_pairs_hook=_members, parse_int=JsonNumber,
                           parse_float=JsonNumber, parse_constant=_no_constant)
    except _Duplicate as e:
        refuse(f"Duplicate field {e}")
    except (ValueError, RecursionError):
        refuse(INVALID_JSON)
    if not isinstance(value, dict):
        refuse(FIRST_BYTE)
    return text, value
