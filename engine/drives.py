"""Opening a deployment: probing drives, checking their identities, formatting fresh ones.

Theory of operation
===================

A Cairn deployment is a fixed, ordered list of drives (directories, see
drive_args.py), cut into equal erasure sets (layout.py).  Each drive carries
``<drive>/.cairn/format.json`` (drive_format.py) naming the deployment, the
drive's own id, its slot and the whole layout, so a drive plugged into the
wrong slot, or belonging to another deployment, is caught before a single
byte is written.

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
   get the format of their slot (same drive id), ``needs_heal`` and a healing marker
   (drive_healing.py; a drive with the marker still needs healing after a restart).  Missing
   or unusable drives are reported offline; they are never created or
   overwritten.
4. every online drive gets ``.cairn/tmp`` (emptied: leftovers of a crash) and
   ``.cairn/data``.  Nothing outside ``<drive>/.cairn`` is ever touched, so a
   drive directory may hold unrelated files.
"""

from __future__ import annotations

import os
import shutil
import stat
import uuid
from collections import Counter
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from enum import Enum

from . import drive_healing
from .drive_args import reject_duplicate_paths
from .drive_format import (
    FORMAT_TMP_PREFIX,
    FORMAT_TMP_SUFFIX,
    DamagedFormat,
    DriveFormat,
    format_path,
    read_format,
    write_format,
)
from .errors import FormatError
from .layout import (
    FORMAT_FILE_NAME,
    SYS_DIR_NAME,
    Deployment,
    Drive,
    ErasureSetLayout,
    choose_parity,
    plan_sets,
)

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
    reject_duplicate_paths(abs_paths)
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
        drive_healing.mark(probe.path)  # first: a formatted replacement always has its marker
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
    if status.online and not status.needs_heal and drive_healing.load(path) is not None:
        status = _Status(needs_heal=True)  # a replacement whose healing a restart interrupted
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
            if entry.name.startswith(FORMAT_TMP_PREFIX) and entry.name.endswith(FORMAT_TMP_SUFFIX):
                _remove(entry.path, False)


def _remove(path: str, is_dir: bool) -> None:
    if is_dir:
        shutil.rmtree(path)
    else:
        os.unlink(path)
