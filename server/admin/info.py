"""The deployment as MinIO's admin API describes it: info (mc admin info: madmin.InfoMessage)
and accountinfo (madmin.AccountInfo: the caller's account, its policy and the buckets it may
read or write).  Both are plain JSON (info-commands.go, user-commands.go).

One server, one pool: every erasure set is a set of pool 0, every drive local.  Object counts
and usage are the scanner's last count (engine/usage_job.py, shared by the janitor worker through
metrics/shared.py: 0 until its first cycle, as MinIO's before its scanner's); capacity is each
drive's file system's (statvfs)."""

from __future__ import annotations

import os
import resource
import time
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from cairn.engine.api import BucketInfo, ObjectLayer, ObjectLockConfig, VersioningConfig

from ..context import Context, Response
from ..metrics import shared
from .common import account_policy, go_time, identities, json_response, require

STARTED = time.time()
ERASURE = 2  # madmin.BackendType Erasure


def server_version() -> str:
    try:
        return f"cairn-{version('cairn')}"
    except PackageNotFoundError:
        return "DEVELOPMENT"


def drive_space(path: str) -> tuple[int, int, int]:
    """(total, used, available) bytes of the file system holding a drive (zeros if unreadable)."""
    try:
        st = os.statvfs(path)
    except OSError:
        return 0, 0, 0
    return st.f_blocks * st.f_frsize, (st.f_blocks - st.f_bfree) * st.f_frsize, st.f_bavail * st.f_frsize


def drives(layer: ObjectLayer) -> list[dict[str, Any]]:
    """madmin.Disk of every drive, in set order (blocking: statvfs)."""
    out = []
    for layout, drive in zip(layer.deployment.drives, layer.drives, strict=True):
        online = drive.online
        total, used, free = drive_space(layout.path) if online else (0, 0, 0)
        out.append({"endpoint": layout.path, "path": layout.path, "state": "ok" if online else "offline",
                    "uuid": layout.drive_id, "major": 0, "minor": 0, "totalspace": total, "usedspace": used,
                    "availspace": free, "used_inodes": 0, "local": True, "pool_index": 0,
                    "set_index": layout.set_index, "disk_index": layout.drive_index})
    return out


def erasure_backend(layer: ObjectLayer, disks: list[dict[str, Any]]) -> dict[str, Any]:
    """madmin.ErasureBackend."""
    online = sum(d["state"] == "ok" for d in disks)
    parity = layer.deployment.parity
    return {"backendType": "Erasure", "onlineDisks": online, "offlineDisks": len(disks) - online,
            "standardSCParity": parity, "rrSCParity": min(parity, 1),
            "totalSets": [layer.deployment.set_count], "totalDrivesPerSet": [layer.deployment.set_size]}


def pools(disks: list[dict[str, Any]], set_count: int) -> dict[str, Any]:
    """madmin.InfoMessage.Pools: pool 0 -> set -> madmin.ErasureSetInfo."""
    sets: dict[str, Any] = {}
    for index in range(set_count):
        members = [d for d in disks if d["set_index"] == index]
        sets[str(index)] = {"id": index, "rawUsage": sum(d["usedspace"] for d in members),
                            "rawCapacity": sum(d["totalspace"] for d in members), "usage": 0,
                            "objectsCount": 0, "versionsCount": 0, "deleteMarkersCount": 0, "healDisks": 0}
    return {"0": sets}


def server_properties(endpoint: str, disks: list[dict[str, Any]], scheme: str = "http") -> dict[str, Any]:
    """madmin.ServerProperties of this server."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {"state": "online", "endpoint": endpoint, "scheme": scheme, "uptime": int(time.time() - STARTED),
            "version": server_version(), "commitID": "", "network": {endpoint: "online"}, "drives": disks,
            "poolNumbers": [1], "mem_stats": {"Alloc": rss, "TotalAlloc": rss, "Mallocs": 0, "Frees": 0,
                                              "HeapAlloc": rss},
            "num_cpu": os.cpu_count() or 1, "edition": "Cairn"}


def info_message(ctx: Context) -> dict[str, Any]:
    """madmin.InfoMessage (blocking)."""
    layer = ctx.layer
    disks = drives(layer)
    buckets, _ = layer.list_buckets()
    quorate = all(online >= read for online, read, _ in layer.set_health())
    message: dict[str, Any] = {"mode": "online" if quorate else "offline", "region": ctx.config.region,
                               "deploymentID": layer.deployment.deployment_id}
    if ctx.config.domains:
        message["domain"] = list(ctx.config.domains)
    if ctx.config.webhooks:  # the bucket notification targets' ARNs, as MinIO lists them
        message["sqsARN"] = [f"arn:minio:sqs:{ctx.config.region}:{t.name}" for t in ctx.config.webhooks]
    endpoint = ctx.header("host") or "127.0.0.1"
    names = {b.name for b in buckets}
    usage = [u for name, u in (shared.janitor_state().get("usage") or {}).items() if name in names]
    keys = ("objects", "versions", "delete_markers", "size")
    total = {key: sum(int(u.get(key, 0)) for u in usage) for key in keys}
    return message | {
        "buckets": {"count": len(buckets)}, "objects": {"count": total["objects"]},
        "versions": {"count": total["versions"]}, "deletemarkers": {"count": total["delete_markers"]},
        "usage": {"size": total["size"]}, "services": {},
        "backend": erasure_backend(layer, disks),
        "servers": [server_properties(endpoint, disks, "https" if ctx.config.tls else "http")],
        "pools": pools(disks, layer.deployment.set_count)}


async def handle_server_info(ctx: Context) -> Response:
    """GET info[?metrics=]: madmin.InfoMessage."""
    require(ctx, "admin:ServerInfo")
    return json_response(await ctx.run(info_message, ctx))


def backend_info(ctx: Context) -> dict[str, Any]:
    """madmin.BackendInfo (Go field names: the struct has no JSON tags)."""
    layer = ctx.layer
    endpoint = ctx.header("host") or "127.0.0.1"
    online = sum(d.online for d in layer.drives)
    geometry = layer.geometry()
    data, parity = [k for k, _ in geometry[:1]], [m for _, m in geometry[:1]]
    return {"Type": ERASURE, "GatewayOnline": False, "OnlineDisks": {endpoint: online},
            "OfflineDisks": {endpoint: len(layer.drives) - online}, "StandardSCData": data,
            "StandardSCParities": parity, "RRSCData": data, "RRSCParities": parity,
            "TotalSets": [layer.deployment.set_count], "DrivesPerSet": [layer.deployment.set_size],
            "StandardSCParity": layer.deployment.parity, "RRSCParity": layer.deployment.parity}


def bucket_access(bucket: BucketInfo, read: bool, write: bool) -> dict[str, Any]:
    """madmin.BucketAccessInfo (usage 0: see the module docstring)."""
    versioning = bucket.config(VersioningConfig)
    status = versioning.status if versioning is not None else ""
    details = {"versioning": status == "Enabled", "versioningSuspended": status == "Suspended",
               "locking": bucket.config(ObjectLockConfig) is not None, "replication": False,
               "tags": None, "quota": None}
    return {"name": bucket.name, "size": 0, "objects": 0, "objectHistogram": None,
            "objectsVersionsHistogram": None, "details": details, "prefixUsage": None,
            "created": go_time(bucket.created_ns), "access": {"read": read, "write": write}}


async def handle_account_info(ctx: Context) -> Response:
    """GET accountinfo: any caller, about its own account (no admin action needed).  A bucket
    is readable with s3:ListBucket or s3:GetBucketLocation on it, writable with s3:PutObject."""
    account = ctx.principal.account
    policy = await ctx.run(account_policy, identities(ctx), account)
    buckets, _ = await ctx.run(ctx.layer.list_buckets)
    access = ctx.access
    listed = []
    for bucket in buckets:
        name = bucket.name
        await access.load(name)
        read = access.allows("s3:ListBucket", name) or access.allows("s3:GetBucketLocation", name)
        write = access.allows("s3:PutObject", name, "")  # arn:aws:s3:::bucket/ matches bucket/*
        if read or write:
            listed.append(bucket_access(bucket, read, write))
    return json_response({"AccountName": account, "Server": backend_info(ctx), "Policy": policy,
                          "Buckets": listed})
