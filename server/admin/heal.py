"""Heal on demand: MinIO's heal endpoint (POST /minio/admin/v3/heal/[bucket[/prefix]]), which
`mc admin heal` and `cairn heal` speak (madmin-go heal-commands.go).

Theory of operation
-------------------
`mc admin heal ALIAS` (no bucket) asks background-heal/status instead: the drives healing (their
markers, drive_healing.py) by set.

A POST without `clientToken` starts a heal *sequence* over a bucket (or every bucket) and prefix
with madmin.HealOpts (dryRun, scanMode 2 = deep) and answers madmin.HealStartSuccess with the
sequence's token.  The client then POSTs with `clientToken` to poll: each answer is a
madmin.HealTaskStatus whose items are the results found since the previous poll, its summary
"running" until the sequence is "finished" (or "stopped": `forceStop`, or "failed").

A sequence runs in a thread of the worker process that started it (the engine calls block), at
full speed: it is what the operator asked for now.  Polls may reach any worker, so a sequence's
state is not kept in memory but in files of the first online drive's `.cairn/heal/`: `<token>.json`
(the status, replaced atomically), `<token>.items` (results, one JSON line each, appended) and
`<token>.read` (how many lines polls have taken); `<token>.stop` asks the runner to stop.  Nothing
there outlives a restart that matters: a sequence of a process that died reads "failed".
"""

from __future__ import annotations

import contextlib
import os
import secrets
import threading
import time
from typing import Any

import orjson

from cairn.engine import drive_healing
from cairn.engine.api import ObjectLayer
from cairn.engine.heal_job import HealPool
from cairn.engine.healer import HealCounts, HealResult

from ..context import Context, Response
from . import info
from .common import AdminError, admin_body, go_time, json_response, require

ITEMS_PER_POLL = 1000
STALE_S = 600.0  # a running sequence whose status was not written for this long has died


def state_dir(layer: ObjectLayer) -> str:
    for layout, drive in zip(layer.deployment.drives, layer.drives, strict=True):
        if drive.online:
            path = os.path.join(layout.sys_dir, "heal")
            os.makedirs(path, exist_ok=True)
            return path
    raise AdminError("XMinioAdminHealNoSuchProcess", "No drive is online to heal", 503)


def _write_json(path: str, doc: Any) -> None:
    tmp = f"{path}.{os.getpid()}.{threading.get_ident()}.tmp"
    with open(tmp, "wb") as f:
        f.write(orjson.dumps(doc))
    os.replace(tmp, path)


def _read_json(path: str) -> Any:
    try:
        with open(path, "rb") as f:
            return orjson.loads(f.read())
    except (FileNotFoundError, orjson.JSONDecodeError):
        return None


# -- the sequence ----------------------------------------------------------------------------------


class HealSequence:
    """One heal sequence, run by `run()` in a thread (see the module docstring)."""

    def __init__(self, layer: ObjectLayer, directory: str, bucket: str, prefix: str, opts: dict[str, Any]):
        self.layer = layer
        self.bucket, self.prefix = bucket, prefix
        self.opts = opts
        self.deep = opts.get("scanMode") == 2
        self.dry_run = bool(opts.get("dryRun"))
        self.token = secrets.token_hex(16)
        self.base = os.path.join(directory, self.token)
        self.started_ns = time.time_ns()
        self.counts = HealCounts()
        self.index = 0
        self.written = 0.0

    def status(self, summary: str, detail: str = "") -> dict[str, Any]:
        c = self.counts
        return {"token": self.token, "bucket": self.bucket, "prefix": self.prefix, "summary": summary,
                "detail": detail, "startTime": self.started_ns, "settings": self.opts, "updated": time.time(),
                "counts": {"scanned": c.scanned, "healed": c.healed, "unhealable": c.unhealable,
                           "shards": c.shards_rebuilt, "records": c.metadata_rewritten,
                           "bytesScanned": c.bytes_scanned, "bytesWritten": c.bytes_written}}

    def start(self) -> None:
        _write_json(self.base + ".json", self.status("running"))
        open(self.base + ".items", "wb").close()
        threading.Thread(target=self.run, name=f"cairn-heal-{self.token[:8]}", daemon=True).start()

    def run(self) -> None:
        try:
            summary = self._walk()
            _write_json(self.base + ".json", self.status(summary))
        except Exception as exc:  # the client is told; the server goes on
            _write_json(self.base + ".json", self.status("failed", str(exc)))

    def _walk(self) -> str:
        pool = HealPool(self.layer)
        try:
            return self._walk_with(pool)
        finally:
            pool.close()

    def _added(self, items: Any, bucket: str, results: list[HealResult] | None) -> None:
        for result in results or ():
            self._add(items, "object", bucket, result.key, result)

    def _walk_with(self, pool: HealPool) -> str:
        with open(self.base + ".items", "ab") as items:
            buckets = [self.bucket] if self.bucket else [b.name for b in self.layer.list_buckets()[0]]
            for bucket in buckets:
                if self._stopped():
                    return "stopped"
                self._add(items, "bucket", bucket, "", self.layer.heal_bucket(bucket, dry_run=self.dry_run))
                key_marker = version_marker = ""
                while True:
                    page = self.layer.list_object_versions(bucket, prefix=self.prefix, key_marker=key_marker,
                                                           version_id_marker=version_marker, max_keys=1000)
                    for key in dict.fromkeys(v.key for v in page.versions):
                        if self._stopped():
                            return "stopped"
                        done = pool.submit(bucket, key, deep=self.deep, dry_run=self.dry_run)
                        self._added(items, bucket, done)
                    self._added(items, bucket, pool.drain())
                    if not page.truncated:
                        break
                    key_marker, version_marker = page.next_key_marker or "", page.next_version_id_marker or ""
            if not self.bucket:
                for result in self.layer.heal_identities(dry_run=self.dry_run):
                    self._add(items, "metadata", "", "", result)
        return "finished"

    def _stopped(self) -> bool:
        return os.path.exists(self.base + ".stop")

    def _add(self, items: Any, kind: str, bucket: str, key: str, result: HealResult) -> None:
        self.counts.add(result)
        self.index += 1
        items.write(orjson.dumps(result_item(self.index, kind, bucket, key, result, self.layer)) + b"\n")
        items.flush()
        now = time.monotonic()
        if now - self.written > 0.25:
            self.written = now
            _write_json(self.base + ".json", self.status("running"))


def result_item(index: int, kind: str, bucket: str, key: str, result: HealResult, layer: ObjectLayer
                ) -> dict[str, Any]:
    """madmin.HealResultItem, with Cairn's own counts beside it (`cairn`)."""
    set_size = len(layer.sets[0].drives) if layer.sets else 0
    before, after = [], []
    for i in range(set_size):
        lost = i in result.metadata or i in result.data
        state = "offline" if i in result.offline else "missing" if lost else "ok"
        before.append({"uuid": "", "endpoint": str(i), "state": state})
        fixed = state if result.state in ("unhealable", "would heal") or state == "offline" else "ok"
        after.append({"uuid": "", "endpoint": str(i), "state": fixed})
    version = result.what.partition(" ")[2]
    return {"resultId": index, "type": kind, "bucket": bucket, "object": key, "versionId": version,
            "detail": result.detail, "diskCount": set_size,
            "dataBlocks": layer.sets[0].k if layer.sets else 0,
            "parityBlocks": layer.sets[0].m if layer.sets else 0, "setCount": len(layer.sets),
            "before": {"drives": before}, "after": {"drives": after}, "objectSize": result.size,
            "cairn": {"state": result.state, "records": result.metadata, "shards": result.data,
                      "files": result.files, "bytesWritten": result.bytes_written}}


# -- the endpoint ----------------------------------------------------------------------------------


async def handle_heal(ctx: Context) -> Response:
    """POST heal/[bucket[/prefix]]: start, poll (clientToken) or stop (forceStop) a sequence."""
    require(ctx, "admin:Heal")
    layer = ctx.layer
    _, _, target = (ctx.key_name or "").partition("/heal")
    bucket, _, prefix = target.lstrip("/").partition("/")
    query = ctx.query
    directory = await ctx.run(state_dir, layer)
    token = query.get("clientToken", "")
    if token:
        return await ctx.run(poll, directory, token, query.get("forceStop") == "true")
    if bucket:
        layer.head_bucket(bucket)  # NoSuchBucket before anything starts
    body = await admin_body(ctx, 1 << 16)
    try:
        opts = orjson.loads(body) if body else {}
    except orjson.JSONDecodeError:
        raise AdminError("XMinioAdminInvalidArgument", "The heal options are not valid JSON", 400) from None
    if not isinstance(opts, dict):
        raise AdminError("XMinioAdminInvalidArgument", "The heal options are not a JSON object", 400)
    sequence = HealSequence(layer, directory, bucket, prefix, opts)
    await ctx.run(sequence.start)
    return json_response({"clientToken": sequence.token, "clientAddress": ctx.source_ip,
                          "startTime": go_time(sequence.started_ns)})


def poll(directory: str, token: str, stop: bool) -> Response:
    if not token.isalnum():
        raise AdminError("XMinioHealNoSuchProcess", "No such heal process is running on the server", 400)
    base = os.path.join(directory, token)
    status = _read_json(base + ".json")
    if status is None:
        raise AdminError("XMinioHealNoSuchProcess", "No such heal process is running on the server", 400)
    if stop:
        open(base + ".stop", "wb").close()
    summary = status["summary"]
    if summary == "running" and time.time() - float(status.get("updated", 0)) > STALE_S:
        summary, status["detail"] = "failed", "the server process running the heal stopped"
    taken = int((_read_json(base + ".read") or {}).get("lines", 0))
    items: list[Any] = []
    with contextlib.suppress(FileNotFoundError), open(base + ".items", "rb") as f:
        for n, line in enumerate(f):
            if n >= taken and line.endswith(b"\n"):
                items.append(orjson.loads(line))
                if len(items) >= ITEMS_PER_POLL:
                    break
    _write_json(base + ".read", {"lines": taken + len(items)})
    done = summary != "running" and len(items) < ITEMS_PER_POLL
    return json_response({"summary": summary if done else "running", "detail": status.get("detail", ""),
                          "startTime": go_time(int(status["startTime"])), "settings": status["settings"],
                          "items": items, "cairn": status["counts"]})


async def handle_background_heal_status(ctx: Context) -> Response:
    """POST background-heal/status: madmin.BgHealState, what `mc admin heal ALIAS` shows."""
    require(ctx, "admin:Heal")
    return json_response(await ctx.run(background_status, ctx.layer))


def background_status(layer: ObjectLayer) -> dict[str, Any]:
    disks = info.drives(layer)
    healing: list[str] = []
    for disk, layout in zip(disks, layer.deployment.drives, strict=True):
        progress = drive_healing.load(layout.path) if disk["state"] == "ok" else None
        if progress is None:
            continue
        healing.append(layout.path)
        started = go_time(int(str(progress.get("started_ns", 0))))
        disk["healing"] = True
        disk["heal_info"] = {"id": layout.drive_id, "pool_index": 0, "set_index": layout.set_index,
                             "disk_index": layout.drive_index, "endpoint": layout.path, "path": layout.path,
                             "started": started, "last_update": started,
                             "current_bucket": progress.get("bucket", ""),
                             "current_object": progress.get("key", "")}
    sets = []
    for index in range(len(layer.sets)):
        members = [d for d in disks if d["set_index"] == index]
        sets.append({"id": f"0-{index}", "pool_index": 0, "set_index": index,
                     "heal_status": "healing" if any(d.get("healing") for d in members) else "ok",
                     "heal_priority": "", "total_objects": 0, "disks": members})
    return {"ScannedItemsCount": 0, "HealDisks": healing, "sets": sets, "mrf": {},
            "scParity": {"STANDARD": layer.deployment.parity}}
