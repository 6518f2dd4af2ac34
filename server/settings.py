"""Settings an operator changes on a running server: `mc admin config get|set ALIAS <subsystem>`.

Theory of operation
-------------------
A few of Cairn's settings have MinIO's configuration names and may be changed while the server
runs; each subsystem's values are one record of the deployment's identity store (kind "config",
engine/iam_records.py), so every worker sees a change at once (the store's generation check) and
a restart keeps it, and healing spreads it like any identity record.  What a setting is, in
order: the command line or environment when the operator gave one there (it wins, as MinIO's
environment variables win over its stored configuration), else the stored value, else the
default.  The janitor reads them before each scanner step, so a change applies within a step.

Served (MinIO's key syntax, `subsystem key=value ...`):
- scanner speed=fastest|fast|default|slow|slowest (server/scanner.py SPEEDS)
- heal bitrotscan=on|off|<duration> (how often a heal pass is deep; on: every 30d; off: never)
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from typing import Any

KIND = "config"
DAY = 86400.0


def parse_duration(text: str) -> float:
    """Seconds from "90s", "30m", "24h", "7d" or a plain number of seconds; ValueError otherwise."""
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    text = text.strip().lower()
    scale = units.get(text[-1:])
    number = text[:-1] if scale else text
    value = float(number) * (scale or 1)
    if not 0 <= value < float("inf"):  # refuses nan and inf too
        raise ValueError(text)
    return value


def _speed(value: str) -> str:
    if value not in ("fastest", "fast", "default", "slow", "slowest"):
        raise ValueError(f"speed={value!r}: expected fastest, fast, default, slow or slowest")
    return value


def positive_duration(text: str, what: str) -> float:
    """A positive duration in parse_duration's forms; ValueError(`what`, its {text} the text
    quoted) otherwise."""
    try:
        value = parse_duration(text)
    except ValueError:
        value = 0.0
    if value <= 0:
        raise ValueError(what.format(text=repr(text)))
    return value


def _bitrotscan(value: str) -> str:
    if value not in ("on", "off"):
        positive_duration(value, "bitrotscan={text}: expected on, off or a duration such as 7d")
    return value


# subsystem -> key -> (default, check)
SUBSYSTEMS: dict[str, dict[str, tuple[str, Callable[[str], str]]]] = {
    "scanner": {"speed": ("default", _speed)},
    "heal": {"bitrotscan": ("on", _bitrotscan)},
}


def parse(text: str) -> dict[str, dict[str, str]]:
    """`mc admin config set`'s text: lines of `subsystem key=value ...`; ValueError on anything
    this server does not serve or a value it refuses."""
    out: dict[str, dict[str, str]] = {}
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            words = shlex.split(line)
        except ValueError as exc:
            raise ValueError(f"{line!r}: {exc}") from None
        subsystem, pairs = words[0], words[1:]
        if subsystem not in SUBSYSTEMS:
            raise ValueError(f"unknown sub-system {subsystem!r}: this server serves "
                             f"{', '.join(sorted(SUBSYSTEMS))}")
        keys = SUBSYSTEMS[subsystem]
        for pair in pairs:
            key, eq, value = pair.partition("=")
            if not eq or key not in keys:
                raise ValueError(f"{subsystem}: unknown key {key!r}: expected {', '.join(sorted(keys))}")
            out.setdefault(subsystem, {})[key] = keys[key][1](value)
    if not out:
        raise ValueError("no settings given")
    return out


def current(stored: Any, subsystem: str) -> dict[str, str]:
    """A subsystem's values: stored ones over the defaults."""
    values = {key: default for key, (default, _) in SUBSYSTEMS[subsystem].items()}
    if isinstance(stored, dict):
        values.update({k: str(v) for k, v in stored.items() if k in values})
    return values


def render(subsystem: str, values: dict[str, str]) -> str:
    return " ".join([subsystem, *(f"{k}={shlex.quote(v)}" for k, v in values.items())])


def bitrot_interval(value: str) -> float:
    """heal bitrotscan as seconds between deep passes (inf: never)."""
    if value == "off":
        return float("inf")
    if value == "on":
        return 30 * DAY
    return parse_duration(value)
