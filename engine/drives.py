"""Drives, erasure sets and drive identity.

Theory of operation
===================

A Cairn deployment is a fixed, ordered list of drives (directories), given on
the command line the way MinIO takes them: ``/mnt/d{1...16}`` expands to
sixteen paths (``expand_drive_args``).  The ordered list is cut into equal
*erasure sets* of 2 to 16 consecutive drives (``plan_sets``); every object
lives entirely inside one set, erasure coded into ``set_size`` shards of which
``parity`` may be lost (``default_parity`` follows MinIO's table).

Identity.  Each drive carries ``<drive>/.cairn/format.json``: a small
versioned document naming the deployment, the drive's own id, its slot (set
index, drive index) and the whole layout (every drive id of every set) plus
the parity.  Because every drive holds the full layout, any one readable
drive is enough to tell where every other drive belongs, and a drive that is
plugged into the wrong slot, or that belongs to another deployment, is caught
before a single byte is written.  The file is replaced atomically (temp file
in the same directory, fsync, rename, fsync of the directory), so a crash
leaves either the old or the new document, never a torn one.

Opening (``open_deployment``) is a pure check followed by a few writes:

1. *probe* every path: formatted (valid format.json), fresh (directory, or
   missing, without format.json and without Cairn data), or unusable
   (unreadable, not a directory, damaged format.json).  A format.json of an
   unknown kind or a newer version stops everything: this build must not
   guess at it.
2. no drive formatted -> a new deployment: ids are generated and every drive
   gets its format.json (missing directories are created only here).  If one
   write fails, the formats already written are removed again so the next
   attempt starts from scratch.
3. some drives formatted -> the stored layout is the authority: all formatted
   drives must agree on deployment and layout, the drive count and parity
   must match it, and each drive must sit in the slot its format names.  Each
   set needs at least half of its drives formatted (otherwise we could be
   looking at the wrong disks entirely).  Fresh drives are replacements: they
   get the format of their slot (same drive id) and ``needs_heal``.  Missing
   or unusable drives are reported offline; they are never created or
   overwritten.
4. every online drive gets ``.cairn/tmp`` (emptied: leftovers of a crash) and
   ``.cairn/data``.  Nothing outside ``<drive>/.cairn`` is ever touched, so a
   drive directory may hold unrelated files.

Placement.  ``set_for_object`` and ``shard_order`` hash the deployment id,
bucket and key with BLAKE2b (stable across processes, machines and Python
versions, unlike ``hash()``), each with its own personalisation so the two
choices are independent.  Shard ``i`` of an object lives on drive
``(i + offset) % set_size`` of its set, which spreads data and parity shards
evenly over the drives of a set.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import os
import re
import shutil
import stat
import tempfile
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass
from enum import Enum
from typing import Any, TypeVar

import orjson

from .errors import FormatError

SYS_DIR_NAME = ".cairn"
FORMAT_FILE_NAME = "format.json"
FORMAT_NAME = "cairn"
FORMAT_VERSION = 1

MIN_SET_SIZE = 2
MAX_SET_SIZE = 16
# A typo such as {1...100000} should fail with a message, not exhaust memory.
MAX_DRIVES = 10_000

_T = TypeVar("_T")

_FORMAT_TMP_PREFIX = ".format.json."
_FORMAT_TMP_SUFFIX = ".tmp"


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
    _reject_duplicate_paths(paths)
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


def _reject_duplicate_paths(paths: Sequence[str]) -> None:
    seen: set[str] = set()
    for path in paths:
        if path in seen:
            raise FormatError(f"drive {path} is given more than once: every drive must be distinct")
        seen.add(path)


# --------------------------------------------------------------------------
# Set planning and parity
# --------------------------------------------------------------------------


def plan_sets(n: int) -> tuple[int, int]:
    """(set_count, set_size) for n drives: the largest set size in 2..16 dividing n; 1 drive is (1, 1)."""
    if n < 1:
        raise FormatError("no drives given: pass at least one drive path")
    if n == 1:
        return 1, 1
    for size in range(MAX_SET_SIZE, MIN_SET_SIZE - 1, -1):
        if n % size == 0:
            return n // size, size
    below, above = _nearest_valid_counts(n)
    raise FormatError(
        f"{n} drives cannot be split into equal erasure sets of {MIN_SET_SIZE} to {MAX_SET_SIZE} drives: "
        f"use 1 drive or a count divisible by one of {MIN_SET_SIZE}..{MAX_SET_SIZE} "
        f"(the nearest are {below} and {above})"
    )


def _nearest_valid_counts(n: int) -> tuple[int, int]:
    def valid(count: int) -> bool:
        return any(count % size == 0 for size in range(MIN_SET_SIZE, MAX_SET_SIZE + 1))

    below = next(c for c in range(n - 1, 0, -1) if valid(c) or c == 1)
    above = next(c for c in itertools.count(n + 1) if valid(c))
    return below, above


def default_parity(set_size: int) -> int:
    """MinIO's default parity for a set of ``set_size`` drives (EC:N of the STANDARD class)."""
    if set_size < 1:
        raise ValueError(f"set size must be at least 1, not {set_size}")
    if set_size == 1:
        return 0
    if set_size <= 3:
        return 1
    if set_size <= 5:
        return 2
    if set_size <= 7:
        return 3
    return 4


def choose_parity(set_size: int, parity: int | None) -> int:
    """The parity to use: the default, or a validated override.

    Like MinIO (minimum parity 0, maximum half the set), an explicit parity of 0
    is accepted: it is an opt-in for scratch deployments that want capacity and
    no redundancy.  The default is never 0 for sets of two drives or more.
    """
    if parity is None:
        return default_parity(set_size)
    limit = set_size // 2
    if not 0 <= parity <= limit:
        raise FormatError(
            f"parity {parity} is not possible with erasure sets of {set_size} drives: "
            f"choose 0 to {limit} (default {default_parity(set_size)})"
        )
    return parity


# --------------------------------------------------------------------------
# Data structures
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Drive:
    path: str
    drive_id: str
    set_index: int
    drive_index: int
    online: bool = True
    needs_heal: bool = False
    problem: str = ""  # why the drive is offline (empty when online)

    @property
    def sys_dir(self) -> str:
        return os.path.join(self.path, SYS_DIR_NAME)

    @property
    def format_path(self) -> str:
        return os.path.join(self.sys_dir, FORMAT_FILE_NAME)

    @property
    def meta_db_path(self) -> str:
        return os.path.join(self.sys_dir, "meta.db")

    @property
    def tmp_dir(self) -> str:
        return os.path.join(self.sys_dir, "tmp")

    @property
    def data_dir(self) -> str:
        return os.path.join(self.sys_dir, "data")


@dataclass(frozen=True)
class ErasureSetLayout:
    index: int
    drives: list[Drive]
    data_shards: int
    parity_shards: int

    @property
    def size(self) -> int:
        return len(self.drives)


@dataclass(frozen=True)
class Deployment:
    deployment_id: str
    sets: list[ErasureSetLayout]
    parity: int

    @property
    def set_count(self) -> int:
        return len(self.sets)

    @property
    def set_size(self) -> int:
        return self.sets[0].size

    @property
    def drives(self) -> list[Drive]:
        return [drive for erasure_set in self.sets for drive in erasure_set.drives]

    def set_for(self, bucket: str, key: str) -> ErasureSetLayout:
        return self.sets[set_for_object(self.deployment_id, self.set_count, bucket, key)]


@dataclass(frozen=True)
class DriveFormat:
    """The content of one drive's format.json."""

    deployment_id: str
    drive_id: str
    set_index: int
    drive_index: int
    sets: tuple[tuple[str, ...], ...]
    parity: int

    @property
    def drive_count(self) -> int:
        return sum(len(s) for s in self.sets)

    def for_slot(self, set_index: int, drive_index: int) -> DriveFormat:
        return DriveFormat(
            self.deployment_id,
            self.sets[set_index][drive_index],
            set_index,
            drive_index,
            self.sets,
            self.parity,
        )

    def to_json(self) -> bytes:
        doc = {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "deployment_id": self.deployment_id,
            "drive_id": self.drive_id,
            "set_index": self.set_index,
            "drive_index": self.drive_index,
            "sets": [list(s) for s in self.sets],
            "parity": self.parity,
        }
        return orjson.dumps(doc, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)


class DamagedFormat(FormatError):
    """format.json exists but cannot be trusted (not JSON, fields missing or inconsistent)."""


# --------------------------------------------------------------------------
# format.json: reading and writing
# --------------------------------------------------------------------------


def format_path(drive_path: str) -> str:
    return os.path.join(drive_path, SYS_DIR_NAME, FORMAT_FILE_NAME)


def read_format(drive_path: str) -> DriveFormat | None:
    """The drive's format, or None when it has none.

    Raises FormatError for a format of another kind or a newer version,
    DamagedFormat for an unreadable document and OSError when the file
    cannot be read at all.
    """
    path = format_path(drive_path)
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except FileNotFoundError:
        return None
    try:
        doc = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise DamagedFormat(f"{path} is damaged (not valid JSON: {exc})") from None
    return decode_format(doc, path)


def decode_format(doc: Any, path: str) -> DriveFormat:
    if not isinstance(doc, dict):
        raise DamagedFormat(f"{path} is damaged (not a JSON object)")
    kind, version = doc.get("format"), doc.get("version")
    if kind != FORMAT_NAME:
        raise FormatError(f"{path} is not a Cairn drive format (format={kind!r}): this directory is not ours")
    if version != FORMAT_VERSION:
        raise FormatError(
            f"{path} has format version {version!r}, this Cairn understands version {FORMAT_VERSION}: "
            "run the Cairn release that created the deployment, or a newer one"
        )
    fmt = DriveFormat(
        deployment_id=_field(doc, "deployment_id", str, path),
        drive_id=_field(doc, "drive_id", str, path),
        set_index=_field(doc, "set_index", int, path),
        drive_index=_field(doc, "drive_index", int, path),
        sets=_decode_sets(doc.get("sets"), path),
        parity=_field(doc, "parity", int, path),
    )
    _check_consistent(fmt, path)
    return fmt


def _field(doc: dict[str, Any], name: str, kind: type[_T], path: str) -> _T:
    value = doc.get(name)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise DamagedFormat(f"{path} is damaged (field {name!r} missing or not a {kind.__name__})")
    return value


def _decode_sets(value: Any, path: str) -> tuple[tuple[str, ...], ...]:
    ok = isinstance(value, list) and value and all(isinstance(s, list) and s for s in value)
    if not ok or not all(isinstance(d, str) for s in value for d in s):
        raise DamagedFormat(f"{path} is damaged (field 'sets' is not a list of lists of drive ids)")
    return tuple(tuple(s) for s in value)


def _check_consistent(fmt: DriveFormat, path: str) -> None:
    sizes = {len(s) for s in fmt.sets}
    ids = [d for s in fmt.sets for d in s]
    problems = [
        (len(sizes) != 1, "its sets differ in size"),
        (len(set(ids)) != len(ids), "its layout repeats a drive id"),
        (not 0 <= fmt.set_index < len(fmt.sets), "its set_index is outside the layout"),
        (not 0 <= fmt.parity <= len(fmt.sets[0]) // 2, "its parity does not fit the set size"),
    ]
    for bad, why in problems:
        if bad:
            raise DamagedFormat(f"{path} is damaged ({why})")
    slot = fmt.sets[fmt.set_index]
    if not 0 <= fmt.drive_index < len(slot) or slot[fmt.drive_index] != fmt.drive_id:
        raise DamagedFormat(f"{path} is damaged (its drive_id is not in its own slot of the layout)")


def write_format(drive_path: str, fmt: DriveFormat) -> None:
    """Atomically (re)place the drive's format.json and make it durable."""
    sys_dir = os.path.join(drive_path, SYS_DIR_NAME)
    os.makedirs(sys_dir, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=_FORMAT_TMP_PREFIX, suffix=_FORMAT_TMP_SUFFIX, dir=sys_dir)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(fmt.to_json())
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, os.path.join(sys_dir, FORMAT_FILE_NAME))
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(sys_dir)
    _fsync_dir(drive_path)  # makes a freshly created .cairn entry durable too


def _fsync_dir(path: str) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# --------------------------------------------------------------------------
# Probing drives
# --------------------------------------------------------------------------


class _State(Enum):
    FORMATTED = "formatted"
    FRESH = "fresh"
    MISSING = "missing"
    UNUSABLE = "unusable"


@dataclass(frozen=True)
class _Probe:
    path: str
    state: _State
    fmt: DriveFormat | None = None
    problem: str = ""
    identity: tuple[int, int] | None = None  # (st_dev, st_ino) of the drive directory


def _probe(path: str) -> _Probe:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return _Probe(path, _State.MISSING, problem=f"{path} does not exist")
    except OSError as exc:
        return _Probe(path, _State.UNUSABLE, problem=f"cannot access {path}: {exc.strerror or exc}")
    identity = (st.st_dev, st.st_ino)
    if not stat.S_ISDIR(st.st_mode):
        return _Probe(path, _State.UNUSABLE, problem=f"{path} is not a directory", identity=identity)
    try:
        fmt = read_format(path)
        leftover = None if fmt else _leftover_cairn_data(path)
    except DamagedFormat as exc:
        return _Probe(path, _State.UNUSABLE, problem=str(exc), identity=identity)
    except OSError as exc:
        return _Probe(
            path, _State.UNUSABLE, problem=f"cannot read {path}: {exc.strerror or exc}", identity=identity
        )
    if fmt is not None:
        return _Probe(path, _State.FORMATTED, fmt=fmt, identity=identity)
    if leftover:
        problem = (
            f"{path} holds Cairn data ({leftover}) but no {SYS_DIR_NAME}/{FORMAT_FILE_NAME}: "
            f"restore the format file, or remove {path}/{SYS_DIR_NAME} to let the drive be re-formatted"
        )
        return _Probe(path, _State.UNUSABLE, problem=problem, identity=identity)
    return _Probe(path, _State.FRESH, identity=identity)


def _leftover_cairn_data(path: str) -> str | None:
    """What makes a drive without format.json more than fresh (an interrupted first format is fresh)."""
    sys_dir = os.path.join(path, SYS_DIR_NAME)
    if os.path.lexists(os.path.join(sys_dir, "meta.db")):
        return "meta.db"
    data_dir = os.path.join(sys_dir, "data")
    if os.path.isdir(data_dir) and os.listdir(data_dir):
        return "a non-empty data directory"
    return None


def _reject_same_directory(probes: Sequence[_Probe]) -> None:
    seen: dict[tuple[int, int], str] = {}
    for probe in probes:
        if probe.identity is None:
            continue
        other = seen.setdefault(probe.identity, probe.path)
        if other != probe.path:
            raise FormatError(
                f"drives {other} and {probe.path} are the same directory: every drive must be distinct"
            )


# --------------------------------------------------------------------------
# Opening a deployment
# --------------------------------------------------------------------------


def open_deployment(paths: Sequence[str], *, parity: int | None = None, sweep: bool = True) -> Deployment:
    """Check the drives against each other, format what needs it, and describe the deployment.

    sweep=False leaves the staging areas alone: for a worker process opening drives
    that its siblings are already writing to (the supervisor swept them once at start).
    """
    abs_paths = [os.path.abspath(p) for p in paths]
    if not abs_paths:
        raise FormatError("no drives given: pass at least one drive path")
    _reject_duplicate_paths(abs_paths)
    probes = [_probe(p) for p in abs_paths]
    _reject_same_directory(probes)
    if any(p.state is _State.FORMATTED for p in probes):
        return _open_existing(probes, parity, sweep)
    return _create(probes, parity, sweep)


def _create(probes: Sequence[_Probe], parity: int | None, sweep: bool) -> Deployment:
    for probe in probes:
        if probe.state is _State.UNUSABLE:
            raise FormatError(f"cannot create a new deployment: {probe.problem}")
    set_count, set_size = plan_sets(len(probes))
    chosen = choose_parity(set_size, parity)
    layout = tuple(tuple(str(uuid.uuid4()) for _ in range(set_size)) for _ in range(set_count))
    template = DriveFormat(str(uuid.uuid4()), layout[0][0], 0, 0, layout, chosen)
    _write_all_or_nothing([p.path for p in probes], template)
    statuses = [_Status() for _ in probes]
    return _assemble([p.path for p in probes], template, statuses, sweep)


def _write_all_or_nothing(paths: Sequence[str], template: DriveFormat) -> None:
    set_size = len(template.sets[0])
    written: list[str] = []
    for k, path in enumerate(paths):
        try:
            os.makedirs(path, exist_ok=True)
            write_format(path, template.for_slot(*divmod(k, set_size)))
        except OSError as exc:
            for done in written:
                with suppress(OSError):
                    os.unlink(format_path(done))
            raise FormatError(
                f"cannot create a new deployment: writing the format of {path} failed: {exc.strerror or exc}"
            ) from exc
        written.append(path)


@dataclass
class _Status:
    online: bool = True
    needs_heal: bool = False
    problem: str = ""


def _open_existing(probes: Sequence[_Probe], parity: int | None, sweep: bool) -> Deployment:
    reference = _reference_format(probes)
    _check_shape(reference, len(probes), parity)
    set_size = len(reference.sets[0])
    _check_positions(probes, set_size)
    _check_quorum(probes, reference)
    statuses = [_status_of(probe, reference.for_slot(*divmod(k, set_size))) for k, probe in enumerate(probes)]
    return _assemble([p.path for p in probes], reference, statuses, sweep)


def _reference_format(probes: Sequence[_Probe]) -> DriveFormat:
    """The layout most formatted drives agree on; any formatted drive that disagrees is an error."""
    formats = [(p.path, p.fmt) for p in probes if p.fmt is not None]
    deployment_id = Counter(f.deployment_id for _, f in formats).most_common(1)[0][0]
    for path, fmt in formats:
        if fmt.deployment_id != deployment_id:
            raise FormatError(
                f"drive {path} belongs to deployment {fmt.deployment_id}, not {deployment_id} of the other "
                "drives: remove it from the command line (to reuse it here, first delete its .cairn dir)"
            )
    layout = Counter((f.sets, f.parity) for _, f in formats).most_common(1)[0][0]
    for path, fmt in formats:
        if (fmt.sets, fmt.parity) != layout:
            raise FormatError(
                f"drive {path} records a different layout or parity than the other drives of deployment "
                f"{deployment_id}: its format.json is inconsistent and needs inspection"
            )
    return next(f for _, f in formats if (f.sets, f.parity) == layout)


def _check_shape(reference: DriveFormat, given: int, parity: int | None) -> None:
    set_count, set_size = len(reference.sets), len(reference.sets[0])
    if given != reference.drive_count:
        raise FormatError(
            f"deployment {reference.deployment_id} has {reference.drive_count} drives "
            f"({set_count} set(s) of {set_size}) but {given} were given: "
            "pass exactly the drives it was created with, in their original order"
        )
    if parity is not None and parity != reference.parity:
        raise FormatError(
            f"deployment {reference.deployment_id} was created with parity {reference.parity}, "
            f"not {parity}: parity cannot change after creation; omit the parity option"
        )


def _check_positions(probes: Sequence[_Probe], set_size: int) -> None:
    for k, probe in enumerate(probes):
        if probe.fmt is None:
            continue
        given = divmod(k, set_size)
        stored = (probe.fmt.set_index, probe.fmt.drive_index)
        if given != stored:
            raise FormatError(
                f"drive {probe.path} was {_slot_name(*stored)}; it is given as {_slot_name(*given)}: "
                "pass the drives in their original order"
            )


def _slot_name(set_index: int, drive_index: int) -> str:
    return f"drive {drive_index + 1} of set {set_index + 1}"


def _check_quorum(probes: Sequence[_Probe], reference: DriveFormat) -> None:
    set_size = len(reference.sets[0])
    for s in range(len(reference.sets)):
        members = probes[s * set_size : (s + 1) * set_size]
        readable = sum(1 for p in members if p.state is _State.FORMATTED)
        if 2 * readable < set_size:
            absent = "; ".join(p.problem or f"{p.path} has no format" for p in members if p.fmt is None)
            raise FormatError(
                f"not enough drives of set {s + 1} of deployment {reference.deployment_id} are readable: "
                f"{readable} of {set_size}, at least half are needed ({absent}): "
                "check that the drives are mounted and given in their original order"
            )


def _status_of(probe: _Probe, slot_format: DriveFormat) -> _Status:
    if probe.state is _State.FORMATTED:
        return _Status()
    if probe.state is not _State.FRESH:
        return _Status(online=False, problem=probe.problem)
    try:
        write_format(probe.path, slot_format)
    except OSError as exc:
        return _Status(online=False, problem=f"cannot format replacement drive {probe.path}: {exc}")
    return _Status(needs_heal=True)


def _assemble(
    paths: Sequence[str], reference: DriveFormat, statuses: Sequence[_Status], sweep: bool
) -> Deployment:
    set_size = len(reference.sets[0])
    sets: list[ErasureSetLayout] = []
    for s, ids in enumerate(reference.sets):
        drives = [
            _ready_drive(paths[s * set_size + j], drive_id, s, j, statuses[s * set_size + j], sweep)
            for j, drive_id in enumerate(ids)
        ]
        sets.append(ErasureSetLayout(s, drives, set_size - reference.parity, reference.parity))
    return Deployment(reference.deployment_id, sets, reference.parity)


def _ready_drive(path: str, drive_id: str, s: int, j: int, status: _Status, sweep: bool) -> Drive:
    drive = Drive(path, drive_id, s, j, status.online, status.needs_heal, status.problem)
    if not drive.online:
        return drive
    try:
        _prepare_sys_dirs(drive, sweep)
    except OSError as exc:
        return Drive(path, drive_id, s, j, False, status.needs_heal, f"cannot prepare {drive.sys_dir}: {exc}")
    return drive


def _prepare_sys_dirs(drive: Drive, sweep: bool) -> None:
    """Empty the staging area (crash leftovers), drop stray format temp files, make tmp/ and data/."""
    os.makedirs(drive.tmp_dir, exist_ok=True)
    os.makedirs(drive.data_dir, exist_ok=True)
    if not sweep:
        return
    with os.scandir(drive.tmp_dir) as entries:
        for entry in entries:
            _remove(entry.path, entry.is_dir(follow_symlinks=False))
    with os.scandir(drive.sys_dir) as entries:
        for entry in entries:
            if entry.name.startswith(_FORMAT_TMP_PREFIX) and entry.name.endswith(_FORMAT_TMP_SUFFIX):
                _remove(entry.path, False)


def _remove(path: str, is_dir: bool) -> None:
    if is_dir:
        shutil.rmtree(path)
    else:
        os.unlink(path)


# --------------------------------------------------------------------------
# Placement
# --------------------------------------------------------------------------


def _stable_hash(person: bytes, deployment_id: str, bucket: str, key: str) -> int:
    name = f"{deployment_id}/{bucket}/{key}".encode("utf-8", "surrogatepass")
    return int.from_bytes(hashlib.blake2b(name, digest_size=8, person=person).digest(), "big")


def set_for_object(deployment_id: str, set_count: int, bucket: str, key: str) -> int:
    """Index of the erasure set that holds bucket/key."""
    if set_count < 1:
        raise ValueError(f"set_count must be at least 1, not {set_count}")
    return _stable_hash(b"cairn-set", deployment_id, bucket, key) % set_count


def shard_order(deployment_id: str, set_size: int, bucket: str, key: str) -> list[int]:
    """order[i] is the drive index (within the set) that holds shard i of bucket/key."""
    if set_size < 1:
        raise ValueError(f"set_size must be at least 1, not {set_size}")
    offset = _stable_hash(b"cairn-shard", deployment_id, bucket, key) % set_size
    return [(i + offset) % set_size for i in range(set_size)]
