"""The background scanner of a deployment: one per server, run by the janitor worker (serve.py),
walking every bucket at a bounded rate for its jobs: lifecycle, and healing (engine/heal_job.py).

Theory of operation
-------------------
The walk is engine/scanner.py's, a cursor advanced one step (about `batch` entries: buckets,
versions, uploads) at a time in a worker thread through the server's limiter, like any engine
call.  After each step the loop sleeps as long as those entries take at --scanner-rate, so the
scanner never visits more than that many entries a second however large the deployment, and at
least the step's own time times the --scanner-speed's factor (MinIO's speeds: default 2, so the
scanner is busy a third of the time at most; `step_pause`).  After a
cycle it pauses for --scanner-interval, shortened to a quarter of a lifecycle day and a quarter of
--stale-uploads-after (never under half a second) so that neither is overshot by much: with the
test setting CAIRN_LIFECYCLE_DAY_SECONDS=2, cycles follow each other every half second.

What the jobs did is logged after each step that did something; a step that fails is logged and
the cycle starts over after a pause (a drive gone, a quorum lost: the next cycle retries).
"""

from __future__ import annotations

import logging
import time

import trio

from cairn.engine.api import ObjectLayer
from cairn.engine.heal_job import HealJob
from cairn.engine.healer import HealCounts
from cairn.engine.lifecycle_job import LifecycleCounts, LifecycleJob
from cairn.engine.scanner import Scanner

from . import settings
from .context import ServerConfig
from .metrics.janitor import usage_job
from .notification import lifecycle_notifier

log = logging.getLogger("cairn.server.scanner")
MIN_PAUSE = 0.5
STEPS_PER_SECOND = 10  # a step's size: a tenth of a second's entries at the configured rate
# --scanner-speed: (delay factor, longest wait in seconds) after each step, as MinIO's scanner speeds
SPEEDS = {"fastest": (0.0, 0.0), "fast": (1.0, 0.1), "default": (2.0, 1.0), "slow": (10.0, 15.0),
          "slowest": (100.0, 15.0)}


def cycle_pause(config: ServerConfig) -> float:
    """Seconds between two cycles (see the module docstring)."""
    pause = min(config.scanner_interval, max(MIN_PAUSE, config.lifecycle_day_seconds / 4))
    if config.stale_upload_seconds > 0:
        pause = min(pause, max(MIN_PAUSE, config.stale_upload_seconds / 4))
    return pause


def step_pause(config: ServerConfig, speed: str, visited: int, took: float, replaced_drive: bool) -> float:
    """Seconds to sleep after a step of `visited` entries that took `took` seconds: enough to keep
    to --scanner-rate, and `took` times the --scanner-speed's delay factor (at most its longest
    wait; MinIO's dynamic sleeper), so the scanner's share of the machine stays bounded however
    costly its entries are.  While a replaced drive heals only the rate holds: its redundancy is
    short until it is done."""
    delay, longest = SPEEDS[speed]
    throttle = 0.0 if replaced_drive else min(longest, took * delay)
    return max(visited / config.scanner_rate, throttle)


def live_settings(layer: ObjectLayer, config: ServerConfig) -> tuple[str, float]:
    """The scanner speed and the deep heal interval now: the command line's when given, else what
    `mc admin config set` stored (settings.py), else the defaults."""
    stored = layer.iam.get
    speed = config.scanner_speed or settings.current(stored(settings.KIND, "scanner"), "scanner")["speed"]
    deep = config.heal_deep_interval or settings.bitrot_interval(
        settings.current(stored(settings.KIND, "heal"), "heal")["bitrotscan"])
    return speed, deep


def step_size(config: ServerConfig) -> int:
    return max(1, min(1000, int(config.scanner_rate / STEPS_PER_SECOND)))


def report(counts: LifecycleCounts, stale_seconds: float) -> None:
    if counts.stale:
        log.info("aborted %d multipart upload(s) left incomplete for over %gs", counts.stale, stale_seconds)
    if counts.expired or counts.noncurrent or counts.markers or counts.aborted:
        log.info("lifecycle: expired %d object(s); removed %d noncurrent version(s) and %d expired delete "
                 "marker(s); aborted %d multipart upload(s)", counts.expired, counts.noncurrent,
                 counts.markers, counts.aborted)
    if counts.locked:
        log.info("lifecycle: kept %d version(s) due to expire: object lock protects them", counts.locked)
    if counts.transitioned or counts.tier_deleted:
        log.info("lifecycle: moved %d version(s) to remote tiers; deleted %d remote object(s) whose versions "
                 "are gone", counts.transitioned, counts.tier_deleted)


def report_heal(counts: HealCounts) -> None:
    if counts.healed or counts.unhealable:
        log.info("healed %d object version(s) or record(s): %d shard file(s) and %d record(s) rewritten, "
                 "%d MiB written; %d could not be healed", counts.healed, counts.shards_rebuilt,
                 counts.metadata_rewritten, counts.bytes_written >> 20, counts.unhealable)


async def run_scanner(layer: ObjectLayer, config: ServerConfig, limiter: trio.CapacityLimiter) -> None:
    """Walk the deployment for ever (until cancelled), cycle after cycle, healing what reads
    reported damaged before each step."""
    lifecycle = LifecycleJob(layer, config.lifecycle_day_seconds, config.stale_upload_seconds,
                             on_delete=lifecycle_notifier(layer, config))
    heal = HealJob(layer, interval_s=config.heal_interval, deep_interval_s=live_settings(layer, config)[1])
    scanner = Scanner(layer, [lifecycle, heal, usage_job(heal)])  # usage_job: bucket usage, for metrics
    if (where := heal.resume_point()) is not None:
        log.warning("resuming the heal of a replaced drive at bucket %s, after key %r", *where)
        scanner.resume_at(*where)
    pause, batch = cycle_pause(config), step_size(config)
    # A replaced drive starts healing at once; otherwise the first cycle waits a pause.
    await trio.sleep(0 if heal.active else pause)
    try:
        while True:
            reported = []
            started = time.monotonic()
            speed, heal.deep_interval_s = live_settings(layer, config)
            try:
                reported = await trio.to_thread.run_sync(layer.heal_reported, batch, limiter=limiter)
                step = await trio.to_thread.run_sync(scanner.step, batch, limiter=limiter)
            except Exception:
                log.exception("the scanner failed; it starts its cycle over in %gs", pause)
                scanner.restart()
                await trio.sleep(pause)
                continue
            finally:
                counts = lifecycle.take_counts()
                if counts.any():
                    report(counts, config.stale_upload_seconds)
                report_heal(heal.take_counts())
            for result in reported:
                heal.add(result)
            visited = step.visited + len(reported)
            took = time.monotonic() - started
            await trio.sleep(pause if step.cycle_done else
                             step_pause(config, speed, visited, took, bool(heal.healing)))
    finally:  # keys in flight finish in their threads; no more start
        heal.pool.executor.shutdown(wait=False, cancel_futures=True)
