"""format.json: a drive's identity (deployment, drive id, slot, whole layout), read and written atomically.

The file is replaced atomically (temp file in the same directory, fsync,
rename, fsync of the directory), so a crash leaves either the old or the new
document, never a torn one.  Every drive holds the full layout, so any one
readable drive tells where every other drive belongs.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import suppress
from dataclasses import dataclass
from typing import Any, TypeVar

import orjson

from .errors import FormatError
from .fsutil import fsync_dir
from .layout import FORMAT_FILE_NAME, SYS_DIR_NAME

FORMAT_NAME = "cairn"
FORMAT_VERSION = 1
FORMAT_TMP_PREFIX = ".format.json."
FORMAT_TMP_SUFFIX = ".tmp"

_T = TypeVar("_T")


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
    fd, tmp = tempfile.mkstemp(prefix=FORMAT_TMP_PREFIX, suffix=FORMAT_TMP_SUFFIX, dir=sys_dir)
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
    fsync_dir(sys_dir)
    fsync_dir(drive_path)  # makes a freshly created .cairn entry durable too

