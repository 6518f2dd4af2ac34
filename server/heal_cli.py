"""`cairn heal [--endpoint URL] [--dry-run] [--deep] [bucket[/prefix]]`: heal on demand through a
running server's admin API (server/admin/heal.py, the endpoint `mc admin heal` uses).

It counts what it will look at first (ListBuckets and ListObjectVersions over the S3 API: an
index range scan, fast) so that the progress line can say how far along the heal is and when it
should end; then starts the heal sequence and polls it twice a second.  On a terminal the progress
is one line redrawn in place, otherwise a plain line every few seconds; the summary at the end says
what was found and what was fixed.  Exit status: 0 when everything is whole, 1 when something
could not be healed, 2 on a usage, connection or server error.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
from typing import IO, Any
from urllib.parse import quote, urlsplit
from xml.etree import ElementTree

import orjson

from cairn.engine.sigv4_sign import canonical_query, sign_v4

S3_NS = "{http://s3.amazonaws.com/doc/2006-03-01/}"
POLL_S = 0.5
PLAIN_EVERY_S = 5.0


class HealError(Exception):
    pass


class AdminClient:
    """SigV4-signed requests to one server (service s3, as madmin signs)."""

    def __init__(self, endpoint: str, access_key: str, secret_key: str, region: str = "us-east-1") -> None:
        self.endpoint = endpoint.rstrip("/")
        self.host = urlsplit(self.endpoint).netloc
        self.access_key, self.secret_key, self.region = access_key, secret_key, region

    def request(self, method: str, path: str, query: list[tuple[str, str]] | None = None,
                body: bytes = b"") -> bytes:
        query = query or []
        payload = hashlib.sha256(body).hexdigest()
        uri = quote(path, safe="/~")
        headers = sign_v4(method, self.host, uri, query, {}, self.access_key, self.secret_key, self.region,
                          payload)
        qs = canonical_query(query)
        url = self.endpoint + uri + (f"?{qs}" if qs else "")
        import urllib.error  # here, not at the top: `cairn server` imports this module for its parser
        import urllib.request

        req = urllib.request.Request(url, data=body if method in ("POST", "PUT") else None, method=method,
                                     headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=60) as reply:
                data: bytes = reply.read()
                return data
        except urllib.error.HTTPError as exc:
            raise HealError(f"{method} {path}: HTTP {exc.code}: {_error_text(exc.read())}") from None
        except OSError as exc:
            raise HealError(f"cannot reach {self.endpoint}: {exc}") from None

    # -- S3: what there is to heal ---------------------------------------------------------------

    def buckets(self) -> list[str]:
        root = ElementTree.fromstring(self.request("GET", "/"))
        return [e.text or "" for e in root.iter(f"{S3_NS}Name")]

    def count_versions(self, bucket: str, prefix: str) -> int:
        count, key_marker, version_marker = 0, "", ""
        while True:
            query = [("versions", ""), ("prefix", prefix), ("max-keys", "1000")]
            if key_marker:
                query += [("key-marker", key_marker), ("version-id-marker", version_marker)]
            root = ElementTree.fromstring(self.request("GET", f"/{bucket}", query))
            count += len(root.findall(f"{S3_NS}Version")) + len(root.findall(f"{S3_NS}DeleteMarker"))
            if root.findtext(f"{S3_NS}IsTruncated") != "true":
                return count
            key_marker = root.findtext(f"{S3_NS}NextKeyMarker") or ""
            version_marker = root.findtext(f"{S3_NS}NextVersionIdMarker") or ""

    # -- the admin API's heal --------------------------------------------------------------------

    def heal(self, bucket: str, prefix: str, opts: dict[str, Any], token: str = "") -> dict[str, Any]:
        path = "/minio/admin/v3/heal/" + (f"{bucket}/{prefix}" if prefix else bucket)
        query = [("clientToken", token)] if token else []
        reply = orjson.loads(self.request("POST", path, query, b"" if token else orjson.dumps(opts)))
        if not isinstance(reply, dict):
            raise HealError(f"the server answered {reply!r}")
        return reply


def _error_text(body: bytes) -> str:
    try:
        doc = orjson.loads(body)
        return f"{doc.get('Code')}: {doc.get('Message')}"
    except (orjson.JSONDecodeError, AttributeError):
        pass
    try:
        root = ElementTree.fromstring(body)
        return f"{root.findtext('Code')}: {root.findtext('Message')}"
    except ElementTree.ParseError:
        return body[:200].decode(errors="replace")


# -- progress ------------------------------------------------------------------------------------


class Progress:
    """Totals over the items polled, and their display."""

    def __init__(self, total: int, out: IO[str]) -> None:
        self.total, self.out = total, out
        self.tty = out.isatty()
        self.started = time.monotonic()
        self.shown = 0.0
        self.versions = self.healed = self.unhealable = self.shards = self.records = 0
        self.bytes_scanned = self.bytes_written = 0
        self.problems: list[str] = []

    def add(self, item: dict[str, Any]) -> None:
        mine = item.get("cairn", {})
        if item.get("type") == "object":
            self.versions += 1
            self.bytes_scanned += int(item.get("objectSize", 0))
        state = mine.get("state", "")
        if state in ("healed", "would heal"):
            self.healed += 1
        elif state == "unhealable":
            self.unhealable += 1
            where = "/".join(p for p in (item.get("bucket"), item.get("object")) if p)
            self.problems.append(f"{where or 'metadata'}: {item.get('detail', '')}")
        self.shards += int(mine.get("files", 0))
        self.records += len(mine.get("records", []))
        self.bytes_written += int(mine.get("bytesWritten", 0))

    def line(self) -> str:
        elapsed = time.monotonic() - self.started
        done = min(self.versions, self.total) if self.total else self.versions
        share = done / self.total if self.total else 1.0
        eta = (elapsed / done * (self.total - done)) if done and self.total else 0.0
        width = 24
        bar = "#" * int(share * width) + "-" * (width - int(share * width))
        return (f"[{bar}] {done}/{self.total} objects  {self.bytes_scanned / 2**20:.1f} MiB  "
                f"healed {self.healed}  shards {self.shards}  records {self.records}  "
                f"unhealable {self.unhealable}  {elapsed:.0f}s  ETA {eta:.0f}s")

    def show(self, final: bool = False) -> None:
        now = time.monotonic()
        if self.tty:
            self.out.write("\r" + self.line() + ("\n" if final else ""))
            self.out.flush()
        elif final or now - self.shown >= PLAIN_EVERY_S:
            self.shown = now
            print(self.line(), file=self.out, flush=True)


def run(client: AdminClient, target: str, dry_run: bool, deep: bool, out: IO[str]) -> int:
    bucket, _, prefix = target.strip("/").partition("/")
    buckets = [bucket] if bucket else client.buckets()
    total = sum(client.count_versions(b, prefix) for b in buckets)
    opts = {"recursive": True, "dryRun": dry_run, "remove": False, "recreate": False,
            "scanMode": 2 if deep else 1, "nolock": False}
    token = str(client.heal(bucket, prefix, opts).get("clientToken", ""))
    if not token:
        raise HealError("the server did not start a heal")
    progress = Progress(total, out)
    while True:
        status = client.heal(bucket, prefix, opts, token)
        for item in status.get("items") or []:
            progress.add(item)
        progress.show()
        summary = status.get("summary")
        if summary != "running":
            break
        time.sleep(POLL_S)
    progress.show(final=True)
    verb = "would be " if dry_run else ""
    print(f"heal {summary}{': ' + status['detail'] if status.get('detail') else ''}", file=out)
    print(f"  {progress.versions} object version(s) checked ({progress.bytes_scanned / 2**20:.1f} MiB), "
          f"{progress.healed} {verb}healed: {progress.shards} shard file(s) and {progress.records} "
          f"record(s) {verb}rewritten ({progress.bytes_written / 2**20:.1f} MiB written)", file=out)
    if progress.unhealable:
        print(f"  {progress.unhealable} could not be healed:", file=out)
        for problem in progress.problems[:20]:
            print(f"    {problem}", file=out)
    elif not progress.healed:
        print("  nothing to heal: every drive holds what it should", file=out)
    return 1 if progress.unhealable or summary != "finished" else 0


def add_parser(sub: Any) -> None:
    heal = sub.add_parser("heal", help="heal a running server's drives now (as mc admin heal)")
    heal.add_argument("target", nargs="?", default="", help="bucket or bucket/prefix (default: everything)")
    heal.add_argument("--endpoint", default=os.environ.get("CAIRN_ENDPOINT", "http://127.0.0.1:9000"))
    heal.add_argument("--access-key", default=None)
    heal.add_argument("--secret-key", default=None)
    heal.add_argument("--dry-run", action="store_true", help="say what would be healed, change nothing")
    heal.add_argument("--deep", action="store_true",
                      help="also read every shard block and verify its checksum")
    heal.set_defaults(func=cmd_heal)


def cmd_heal(args: argparse.Namespace) -> int:
    env = os.environ
    access = args.access_key or env.get("CAIRN_ROOT_USER") or env.get("MINIO_ROOT_USER")
    secret = args.secret_key or env.get("CAIRN_ROOT_PASSWORD") or env.get("MINIO_ROOT_PASSWORD")
    if not access or not secret:
        print("cairn heal: credentials needed: --access-key/--secret-key, or CAIRN_ROOT_USER and "
              "CAIRN_ROOT_PASSWORD (or MINIO_ROOT_USER and MINIO_ROOT_PASSWORD)", file=sys.stderr)
        return 2
    try:
        client = AdminClient(args.endpoint, access, secret)
        return run(client, args.target, args.dry_run, args.deep, sys.stdout)
    except HealError as exc:
        print(f"cairn heal: {exc}", file=sys.stderr)
        return 2
