"""The janitor's figures for the metrics: the scanner's bucket usage and the heal job's pass,
published to the other workers (shared.py) by a scanner job of the metrics' own."""

from __future__ import annotations

import dataclasses
import logging
import time
from typing import TYPE_CHECKING, Any

from cairn.engine.usage_job import UsageJob

from . import shared

if TYPE_CHECKING:
    from cairn.engine.heal_job import HealJob

log = logging.getLogger("cairn.server.metrics")


def snapshot(job: UsageJob, heal: HealJob | None, last_activity: float = 0.0) -> dict[str, Any]:
    state: dict[str, Any] = {
        "usage": {name: dataclasses.asdict(u) for name, u in job.usage().items()},
        "scanner": {"cycles": job.cycles, "keys": job.keys_seen, "last_cycle_seconds": job.last_cycle_seconds,
                    "last_cycle_end": job.last_cycle_end},
    }
    if heal is not None:
        c = heal.pass_counts
        state["heal"] = {"scanned": c.scanned, "healed": c.healed, "unhealable": c.unhealable,
                         "passes": heal.passes, "active": heal.active, "healing": len(heal.healing),
                         "last_activity": last_activity, "orphans": dataclasses.asdict(heal.swept)}
    return state


def usage_job(heal: HealJob | None = None) -> UsageJob:
    """The scanner job counting bucket usage (engine/usage_job.py), publishing as it goes."""

    seen = {"scanned": 0, "at": 0.0}  # the heal pass's progress when last published, and when it moved

    def publish(job: UsageJob) -> None:
        if heal is not None and heal.pass_counts.scanned != seen["scanned"]:
            seen["scanned"], seen["at"] = heal.pass_counts.scanned, time.time()
        try:
            shared.publish(snapshot(job, heal, seen["at"]))
        except OSError as exc:  # metrics are never worth failing the scanner for
            log.warning("cannot publish the scanner's figures for the metrics: %s", exc)

    return UsageJob(on_update=publish)
