"""Wildcard patterns and policy variables, compiled once when a policy is parsed.

A pattern is text where `*` matches any run of characters (`/` included) and `?` exactly one;
with ARN semantics (ArnLike, ArnEquals) a wildcard in the first five colon-separated fields
stays inside its field.  In a policy of Version 2012-10-17 a pattern may hold policy variables:
`${aws:username}` (any condition key, looked up at evaluation), `${key, 'default'}` (the
default when the key is missing), and the escapes `${*}`, `${?}`, `${$}` for a literal `*`,
`?`, `$`.  A variable's value is matched literally (a user named `*` gets no wildcard), and a
variable whose key is missing, without a default, makes its pattern match nothing.

Matching never uses a backtracking regex over `*`: a policy author could otherwise write
`*a*a*a*...*b` and make every request cost seconds.  A Glob is the text between the stars
(chunks of fixed length, `?` inside a chunk being one character); the first chunk must start
the value, the last end it, and each middle one is placed at its leftmost occurrence, which
is enough for star patterns -- O(len(value) x len(pattern)) at worst, str.find in C mostly.

Compiled forms, cheapest first: anything (`*`), exact text (a set lookup), a prefix (`abc*`:
one str.startswith over a tuple of them), a Glob, a Template (has variables: its Glob is
built per tuple of variable values and memoized).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum

VarLookup = Callable[[str], "str | None"]
"""A condition key (lower-cased) -> its single value in the request, or None if missing."""

_VARIABLE = re.compile(r"\$\{([^{}]*)\}")
_VARIABLE_BODY = re.compile(r"\s*([^\s,']+)\s*(?:,\s*'([^']*)'\s*)?")
_ESCAPES = {"*": "*", "?": "?", "$": "$"}

# A pattern's pieces: (True, text) is pattern text (wildcards active), (False, text) literal
# text (an escape, or a variable's value), (None, "key\0default") a variable.
Piece = tuple[bool | None, str]


class Wild(Enum):
    """Wildcard tokens; the other tokens of a pattern are single characters."""

    STAR = "*"
    ONE = "?"


STAR, ONE = Wild.STAR, Wild.ONE
Token = str | Wild
Chunk = tuple[str, "re.Pattern[str] | None", int]  # (literal text, regex if it has ?, length)


def split_variables(text: str) -> tuple[Piece, ...]:
    """The pieces of `text`; a `${...}` that is neither an escape nor a key name stays text."""
    pieces: list[Piece] = []
    last = 0
    for m in _VARIABLE.finditer(text):
        body = m.group(1)
        if body in _ESCAPES:
            piece: Piece = (False, _ESCAPES[body])
        else:
            name = _VARIABLE_BODY.fullmatch(body)
            if name is None:
                continue
            default = name.group(2)
            piece = (None, name.group(1).lower() + ("" if default is None else "\0" + default))
        pieces.append((True, text[last:m.start()]))
        pieces.append(piece)
        last = m.end()
    pieces.append((True, text[last:]))
    return tuple(p for p in pieces if p[1] or p[0] is None)


def has_variables(text: str) -> bool:
    return any(kind is None for kind, _ in split_variables(text))


def substitute(pieces: Sequence[Piece], lookup: VarLookup) -> str | None:
    """The text with variables replaced (wildcards not special), None if one is missing."""
    out: list[str] = []
    for kind, text in pieces:
        if kind is None:
            key, sep, default = text.partition("\0")
            found = lookup(key)
            if found is None and not sep:
                return None
            out.append(default if found is None else found)
        else:
            out.append(text)
    return "".join(out)


def _tokens(pieces: Iterable[tuple[bool, str]]) -> list[Token]:
    out: list[Token] = []
    for wild, text in pieces:
        if wild:
            out.extend(STAR if ch == "*" else ONE if ch == "?" else ch for ch in text)
        else:
            out.extend(text)
    return out


def _chunk(tokens: Sequence[Token]) -> Chunk:
    """Tokens without a star: literal text, or a regex of literals and "." for each ?."""
    if ONE not in tokens:
        text = "".join(t for t in tokens if isinstance(t, str))
        return text, None, len(text)
    source = "".join(re.escape(t) if isinstance(t, str) else "." for t in tokens)
    return "", re.compile(source, re.DOTALL), len(tokens)


@dataclass(frozen=True, slots=True)
class Glob:
    """One wildcard pattern: chunks separated by stars (one chunk: no star)."""

    chunks: tuple[Chunk, ...]

    @classmethod
    def from_tokens(cls, tokens: Sequence[Token]) -> Glob:
        chunks: list[Chunk] = []
        start = 0
        for i, token in enumerate(tokens):
            if token is STAR:
                chunks.append(_chunk(tokens[start:i]))
                start = i + 1
        chunks.append(_chunk(tokens[start:]))
        return cls(tuple(chunks))

    def matches(self, value: str) -> bool:
        chunks = self.chunks
        first = chunks[0]
        if len(chunks) == 1:
            return len(value) == first[2] and _at(first, value, 0)
        last = chunks[-1]
        pos, end = first[2], len(value) - last[2]
        if end < pos or not _at(first, value, 0) or not _at(last, value, end):
            return False
        for chunk in chunks[1:-1]:
            text, regex, length = chunk
            if regex is None:
                found = value.find(text, pos, end)
            else:
                m = regex.search(value, pos, end)
                found = -1 if m is None else m.start()
            if found < 0:
                return False
            pos = found + length
        return True


def _at(chunk: Chunk, value: str, pos: int) -> bool:
    text, regex, length = chunk
    if regex is None:
        return value.startswith(text, pos)
    return regex.match(value, pos, pos + length) is not None


@dataclass(frozen=True, slots=True)
class ArnGlob:
    """An ARN pattern: six fields, each a Glob; the value must have six fields too."""

    fields: tuple[Glob, ...]

    @classmethod
    def from_tokens(cls, tokens: Sequence[Token]) -> ArnGlob:
        fields: list[Glob] = []
        start = 0
        for i, token in enumerate(tokens):
            if token == ":" and len(fields) < 5:
                fields.append(Glob.from_tokens(tokens[start:i]))
                start = i + 1
        fields.append(Glob.from_tokens(tokens[start:]))
        return cls(tuple(fields))

    def matches(self, value: str) -> bool:
        parts = value.split(":", 5)
        return len(parts) == len(self.fields) and all(
            f.matches(p) for f, p in zip(self.fields, parts, strict=True))


def compile_glob(pieces: Iterable[tuple[bool, str]], arn: bool = False) -> Glob | ArnGlob:
    """A matcher for wildcard pieces ((False, text) pieces are literal).  ARN semantics apply
    when the pattern has six fields; shorter ARN patterns (a bare "*") match plainly."""
    tokens = _tokens(pieces)
    if arn and tokens.count(":") >= 5:
        return ArnGlob.from_tokens(tokens)
    return Glob.from_tokens(tokens)


@dataclass(frozen=True, slots=True)
class Template:
    """A pattern with policy variables: its matcher (a Glob, or the text itself without
    wildcards) is built from the variables' values, memoized per tuple of values."""

    pieces: tuple[Piece, ...]
    arn: bool
    wildcards: bool
    variables: tuple[tuple[str, str | None], ...] = field(compare=False, repr=False)
    memo: dict[tuple[str, ...], Glob | ArnGlob | str] = field(
        default_factory=dict, compare=False, repr=False)

    @classmethod
    def build(cls, pieces: tuple[Piece, ...], arn: bool, wildcards: bool) -> Template:
        variables: list[tuple[str, str | None]] = []
        for kind, text in pieces:
            if kind is None:
                key, sep, default = text.partition("\0")
                variables.append((key, default if sep else None))
        return cls(pieces, arn, wildcards, tuple(variables))

    def matches(self, value: str, lookup: VarLookup) -> bool:
        values: list[str] = []
        for key, default in self.variables:
            found = lookup(key)
            if found is None:
                if default is None:
                    return False
                found = default
            values.append(found)
        memo_key = tuple(values)
        matcher = self.memo.get(memo_key)
        if matcher is None:
            matcher = self._matcher(memo_key)
            if len(self.memo) >= 256:
                self.memo.clear()
            self.memo[memo_key] = matcher
        if isinstance(matcher, str):
            return value == matcher
        return matcher.matches(value)

    def _matcher(self, values: tuple[str, ...]) -> Glob | ArnGlob | str:
        found = iter(values)
        resolved = [(False, next(found)) if kind is None else (kind, text)
                    for kind, text in self.pieces]
        if not self.wildcards:
            return "".join(text for _, text in resolved)
        return compile_glob(resolved, self.arn)


@dataclass(frozen=True, slots=True)
class Patterns:
    """A set of patterns as a policy element lists them; matches() is true if any matches."""

    values: tuple[str, ...]
    anything: bool = field(default=False, compare=False, repr=False)
    exact: frozenset[str] = field(default=frozenset(), compare=False, repr=False)
    prefixes: tuple[str, ...] = field(default=(), compare=False, repr=False)
    globs: tuple[Glob | ArnGlob, ...] = field(default=(), compare=False, repr=False)
    templates: tuple[Template, ...] = field(default=(), compare=False, repr=False)

    @classmethod
    def compile(cls, values: Sequence[str], *, wildcards: bool = True, variables: bool = False,
                arn: bool = False, fold_case: bool = False) -> Patterns:
        """fold_case lower-cases the patterns: match lower-cased input against them."""
        exact: set[str] = set()
        prefixes: list[str] = []
        globs: list[Glob | ArnGlob] = []
        templates: list[Template] = []
        anything = False
        for value in values:
            text = value.lower() if fold_case else value
            pieces = split_variables(text) if variables and "${" in text else ((True, text),)
            plain = len(pieces) == 1 and pieces[0][0] is True
            if any(kind is None for kind, _ in pieces):
                templates.append(Template.build(pieces, arn, wildcards))
            elif not wildcards:
                exact.add("".join(piece for _, piece in pieces))
            elif plain and "*" not in text and "?" not in text:
                exact.add(text)
            elif plain and text == "*":
                anything = True
            elif plain and text.endswith("*") and "*" not in text[:-1] and "?" not in text and not (
                    arn and text.count(":") >= 5):
                prefixes.append(text[:-1])
            else:
                globs.append(compile_glob([(bool(k), t) for k, t in pieces], arn))
        return cls(tuple(values), anything, frozenset(exact), tuple(prefixes), tuple(globs),
                   tuple(templates))

    def matches(self, value: str, lookup: VarLookup | None = None) -> bool:
        if self.anything or value in self.exact:
            return True
        if self.prefixes and value.startswith(self.prefixes):
            return True
        for glob in self.globs:
            if glob.matches(value):
                return True
        if lookup is not None:
            for template in self.templates:
                if template.matches(value, lookup):
                    return True
        return False


def wildcard_matcher(pattern: str) -> Callable[[str], bool]:
    """A plain wildcard pattern (no variables) as a predicate."""
    return compile_glob(((True, pattern),)).matches
