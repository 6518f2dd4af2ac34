"""Versioning, object lock and tagging through real clients, run as a user runs them: the aws CLI
(`aws s3api`), rclone (its `--s3-versions` names and `--s3-version-at`), minio-py, and restic
backing up into a versioned bucket.  test_versioning.py checks the same API with boto3; here the
point is that each client's own parsing and its own requests work end to end.

restic is a Go program that no package provides: tests/install-clients.sh builds the pinned
version into build/test-tools/bin (`make test-tools`, a prerequisite of `make test`).  A client that
is missing fails its test with the command that installs it, it is never skipped.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from minio import Minio
from minio.commonconfig import ENABLED, GOVERNANCE, CopySource, Tags
from minio.deleteobjects import DeleteObject
from minio.error import S3Error
from minio.objectlockconfig import DAYS, ObjectLockConfig
from minio.retention import Retention
from minio.versioningconfig import VersioningConfig

from .conftest import BIN, Server, cleanup_bucket, read_all, read_tree, write_tree
from .test_rclone import Rclone

ROOT = Path(__file__).resolve().parents[2]
TEST_TOOLS = Path(os.environ.get("TEST_TOOLS") or ROOT / "build" / "test-tools" / "bin")
AWS = BIN / "aws"

pytestmark = pytest.mark.usefixtures("server_log")


def need(path: Path | str | None, what: str, install: str) -> str:
    """The path of a client program, or a failed test that says how to install it."""
    if path is None or not Path(path).is_file() or not os.access(path, os.X_OK):
        pytest.fail(f"{what} is not installed ({path or 'not on PATH'}): {install}", pytrace=False)
    return str(path)


def run(cmd: list[str], env: dict[str, str], *, timeout: float = 60, cwd: Path | None = None,
        check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout, cwd=cwd)
    if check and proc.returncode != 0:
        raise AssertionError(f"{cmd} exited {proc.returncode}\nstdout:\n{proc.stdout}\n"
                             f"stderr:\n{proc.stderr}")
    return proc


def new_name(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def md5(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()


def release_and_delete(s3: Any, bucket: str) -> None:
    """Clean-up for a bucket with object lock: lift every legal hold (a held version cannot be
    deleted even with the governance bypass), then empty and delete it."""
    with contextlib.suppress(Exception):
        for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
            for v in page.get("Versions", []):
                with contextlib.suppress(Exception):
                    s3.put_object_legal_hold(Bucket=bucket, Key=v["Key"], VersionId=v["VersionId"],
                                             LegalHold={"Status": "OFF"})
    cleanup_bucket(s3, bucket)


def versions_of(s3: Any, bucket: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(Versions, DeleteMarkers) of the whole bucket, with boto3, every page."""
    versions: list[dict[str, Any]] = []
    markers: list[dict[str, Any]] = []
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
        versions += page.get("Versions", [])
        markers += page.get("DeleteMarkers", [])
    return versions, markers


def wait_for_next_second() -> None:
    """S3 gives LastModified to the second; rclone names versions by it, so two versions of a key
    written within the same second would get the same name."""
    time.sleep(1.02 - time.time() % 1)


# --------------------------------------------------------------------------- aws CLI


class Aws:
    """`aws --endpoint-url ... s3api ...` as a subprocess; JSON output parsed."""

    def __init__(self, server: Server, config: Path) -> None:
        config.write_text("[default]\noutput = json\n")
        self.env = dict(server.env(), AWS_CONFIG_FILE=str(config))
        self.base = [need(AWS, "the aws CLI", "make venv (awscli is a dev dependency)"),
                     "--endpoint-url", server.endpoint, "s3api"]

    def __call__(self, *args: str) -> dict[str, Any]:
        out = run([*self.base, *args], self.env).stdout.strip()
        return json.loads(out) if out else {}

    def refused(self, *args: str) -> str:
        """The error the CLI prints for a call that must fail, e.g. '(AccessDenied)'."""
        proc = run([*self.base, *args], self.env, check=False)
        assert proc.returncode != 0, f"{args} succeeded: {proc.stdout}"
        return proc.stderr


@pytest.fixture
def aws(server: Server, tmp_path: Path) -> Aws:
    return Aws(server, tmp_path / "aws-config")


def test_awscli_versioning(aws: Aws, s3: Any, tmp_path: Path) -> None:
    """put-bucket-versioning, two put-objects, list-object-versions, get-object --version-id,
    a delete marker and its removal by version id.  (Each CLI call costs about a second of Python
    start-up: checks that are not about the CLI's own parsing are made with boto3.)"""
    b, key = new_name("cli-ver"), "dir/report.bin"
    s3.create_bucket(Bucket=b)
    try:
        aws("put-bucket-versioning", "--bucket", b, "--versioning-configuration", "Status=Enabled")
        assert aws("get-bucket-versioning", "--bucket", b) == {"Status": "Enabled"}

        first, second = os.urandom(1000), os.urandom(70_000)
        (tmp_path / "first").write_bytes(first)
        (tmp_path / "second").write_bytes(second)
        put1 = aws("put-object", "--bucket", b, "--key", key, "--body", str(tmp_path / "first"))
        put2 = aws("put-object", "--bucket", b, "--key", key, "--body", str(tmp_path / "second"))
        v1, v2 = put1["VersionId"], put2["VersionId"]
        assert put1["ETag"] == f'"{md5(first)}"' and put2["ETag"] == f'"{md5(second)}"'
        assert v1 != v2 and "null" not in (v1, v2)

        listing = aws("list-object-versions", "--bucket", b)
        assert [(v["Key"], v["VersionId"], v["IsLatest"], v["Size"], v["ETag"])
                for v in listing["Versions"]] == [
            (key, v2, True, len(second), f'"{md5(second)}"'),  # newest first
            (key, v1, False, len(first), f'"{md5(first)}"'),
        ]
        assert "DeleteMarkers" not in listing

        got = aws("get-object", "--bucket", b, "--key", key, "--version-id", v1, str(tmp_path / "got1"))
        assert got["VersionId"] == v1 and got["ContentLength"] == len(first)
        assert (tmp_path / "got1").read_bytes() == first

        deleted = aws("delete-object", "--bucket", b, "--key", key)
        marker = deleted["VersionId"]
        assert deleted == {"DeleteMarker": True, "VersionId": marker} and marker not in (v1, v2)
        assert s3.list_objects_v2(Bucket=b)["KeyCount"] == 0
        listing = aws("list-object-versions", "--bucket", b)
        assert [(v["VersionId"], v["IsLatest"]) for v in listing["Versions"]] == [(v2, False), (v1, False)]
        assert [(m["Key"], m["VersionId"], m["IsLatest"]) for m in listing["DeleteMarkers"]] == [
            (key, marker, True)]
        # One entry a page: the CLI follows NextKeyMarker/NextVersionIdMarker and merges the pages.
        assert aws("list-object-versions", "--bucket", b, "--page-size", "1") == listing

        # Deleting the marker by its id brings the newest version back.
        undone = aws("delete-object", "--bucket", b, "--key", key, "--version-id", marker)
        assert undone == {"DeleteMarker": True, "VersionId": marker}
        got = aws("get-object", "--bucket", b, "--key", key, str(tmp_path / "got2"))
        assert got["VersionId"] == v2 and (tmp_path / "got2").read_bytes() == second
        versions, markers = versions_of(s3, b)
        assert [(v["VersionId"], v["IsLatest"]) for v in versions] == [(v2, True), (v1, False)]
        assert markers == []
    finally:
        cleanup_bucket(s3, b)


def test_awscli_object_lock(aws: Aws, s3: Any, tmp_path: Path) -> None:
    """A bucket made with object lock, a GOVERNANCE default of 1 day, a legal hold, and the
    deletes refused until the hold is off and the governance bypass is asked for."""
    b, key = new_name("cli-lock"), "ledger.csv"
    aws("create-bucket", "--bucket", b, "--object-lock-enabled-for-bucket")
    try:
        assert s3.get_bucket_versioning(Bucket=b)["Status"] == "Enabled"
        rule = {"ObjectLockEnabled": "Enabled",
                "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 1}}}
        aws("put-object-lock-configuration", "--bucket", b, "--object-lock-configuration", json.dumps(rule))
        assert aws("get-object-lock-configuration", "--bucket", b) == {"ObjectLockConfiguration": rule}

        body = b"date,amount\n2026-01-01,12.50\n"
        (tmp_path / "ledger.csv").write_bytes(body)
        before = datetime.now(UTC)
        put = aws("put-object", "--bucket", b, "--key", key, "--body", str(tmp_path / "ledger.csv"))
        v = put["VersionId"]
        retention = aws("get-object-retention", "--bucket", b, "--key", key, "--version-id", v)["Retention"]
        assert retention["Mode"] == "GOVERNANCE"
        until = datetime.fromisoformat(retention["RetainUntilDate"].replace("Z", "+00:00"))
        day = timedelta(days=1)
        assert before + day - timedelta(seconds=2) <= until <= datetime.now(UTC) + day

        where = ("--bucket", b, "--key", key, "--version-id", v)
        aws("put-object-legal-hold", *where, "--legal-hold", "Status=ON")
        assert aws("get-object-legal-hold", *where) == {"LegalHold": {"Status": "ON"}}
        assert "(AccessDenied)" in aws.refused("delete-object", *where)
        assert "(AccessDenied)" in aws.refused("delete-object", *where, "--bypass-governance-retention")
        aws("put-object-legal-hold", *where, "--legal-hold", "Status=OFF")
        assert s3.get_object_legal_hold(Bucket=b, Key=key, VersionId=v)["LegalHold"] == {"Status": "OFF"}
        # Still under GOVERNANCE retention: refused without the bypass, allowed with it.
        assert "(AccessDenied)" in aws.refused("delete-object", *where)
        assert s3.get_object(Bucket=b, Key=key, VersionId=v)["Body"].read() == body
        assert aws("delete-object", *where, "--bypass-governance-retention") == {"VersionId": v}
        assert versions_of(s3, b) == ([], [])
    finally:
        release_and_delete(s3, b)


# --------------------------------------------------------------------------- rclone


def rclone_env(server: Server, config: Path, provider: str) -> dict[str, str]:
    """The environment test_rclone's client runs rclone in (remote "cairn:" on the server)."""
    config.write_text("")
    return Rclone(server, provider, config).env


GONE = "dir/gone é+ü.bin"  # the key deleted; odd characters for the URL-encoded listings


def rclone_name(key: str, last_modified: datetime) -> str:
    """rclone's name for a noncurrent version: `-vYYYY-MM-DD-HHMMSS-mmm` before the extension."""
    stamp = last_modified.astimezone(UTC).strftime("-v%Y-%m-%d-%H%M%S-000")
    head, dot, ext = key.rpartition(".")
    if dot and "/" not in ext:
        return f"{head}{stamp}.{ext}"
    return key + stamp


@pytest.mark.parametrize("provider", ["Other", "Minio"])  # Minio: URL-encoded listings
def test_rclone_versions(server: Server, s3: Any, tmp_path: Path, provider: str) -> None:
    """rclone on a versioned bucket: a key overwritten twice and another deleted.  `--s3-versions`
    lists the old versions under rclone's `-v<time>` names and copies them by those names;
    `--s3-version-at` shows and copies the bucket as it was at a time.  Both flags are required:
    Debian 12's rclone (1.60.1) has them."""
    rclone = need(shutil.which("rclone"), "rclone", "make system (apt-get install rclone)")
    env = rclone_env(server, tmp_path / "rclone.conf", provider)
    flags = run([rclone, "help", "flags"], env).stdout
    version = run([rclone, "version"], env).stdout.splitlines()[0]
    for flag in ("--s3-versions", "--s3-version-at"):
        assert flag in flags, f"{version} has no {flag} (rclone >= 1.60.1 has both)"

    def rc(*args: str) -> subprocess.CompletedProcess[str]:
        return run([rclone, "--retries", "1", "--low-level-retries", "1", *args], env)

    b = new_name("rcl-ver")
    try:
        rc("mkdir", f"cairn:{b}")
        assert rc("backend", "versioning", f"cairn:{b}", "Enabled").stdout.strip() == "Enabled"
        assert s3.get_bucket_versioning(Bucket=b)["Status"] == "Enabled"

        src = tmp_path / "src"
        src.mkdir()
        gone = os.urandom(5000)
        (src / "gone.bin").write_bytes(gone)
        rc("copyto", str(src / "gone.bin"), f"cairn:{b}/{GONE}")
        notes = [b"first draft\n", b"second draft, longer\n", b"final text, the longest of the three\n"]
        for i, text in enumerate(notes):
            if i:
                wait_for_next_second()
            (src / "notes.txt").write_bytes(text)
            rc("copyto", str(src / "notes.txt"), f"cairn:{b}/notes.txt")
        rc("deletefile", f"cairn:{b}/{GONE}")

        versions, markers = versions_of(s3, b)
        notes_versions = [v for v in versions if v["Key"] == "notes.txt"]  # newest first
        assert [v["Size"] for v in notes_versions] == [len(t) for t in reversed(notes)]
        [gone_version] = [v for v in versions if v["Key"] == GONE]
        assert [(m["Key"], m["IsLatest"]) for m in markers] == [(GONE, True)]
        t1, t2 = notes_versions[2]["LastModified"], notes_versions[1]["LastModified"]
        v1_name, v2_name = rclone_name("notes.txt", t1), rclone_name("notes.txt", t2)
        gone_name = rclone_name(GONE, gone_version["LastModified"])
        assert v1_name != v2_name

        # Without the flag only the current object; with it every version, old ones renamed.
        assert run([rclone, "lsf", "-R", f"cairn:{b}"], env).stdout.splitlines() == ["notes.txt"]
        listed = json.loads(rc("lsjson", "-R", "--files-only", "--s3-versions", f"cairn:{b}").stdout)
        assert sorted((e["Path"], e["Size"]) for e in listed) == sorted([
            ("notes.txt", len(notes[2])), (v2_name, len(notes[1])), (v1_name, len(notes[0])),
            (gone_name, len(gone))])
        assert re.fullmatch(r"notes-v\d{4}-\d\d-\d\d-\d{6}-000\.txt", v1_name)

        # A version by its rclone name: cat and copyto of a file at the bucket's top.
        assert rc("cat", "--s3-versions", f"cairn:{b}/{v1_name}").stdout.encode() == notes[0]
        rc("copyto", "--s3-versions", f"cairn:{b}/{v2_name}", str(tmp_path / "v2.txt"))
        assert (tmp_path / "v2.txt").read_bytes() == notes[1]
        # A whole directory with its versions: the deleted key's old version comes along.  (A single
        # versioned name below a directory, `copyto cairn:b/dir/x-v....bin`, is not found by rclone
        # 1.60.1: it asks ListObjectVersions for that key, gets the right versions, and then says
        # "There was nothing to transfer"; the same name at the bucket's top level works, above.)
        rc("copy", "--s3-versions", f"cairn:{b}/dir", str(tmp_path / "dir-versions"))
        assert read_tree(tmp_path / "dir-versions") == {gone_name.removeprefix("dir/"): gone}

        # --s3-version-at: the bucket as it was when the second draft was the latest version.
        at = t2.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        listed = json.loads(rc("lsjson", "-R", "--files-only", "--s3-version-at", at, f"cairn:{b}").stdout)
        assert sorted((e["Path"], e["Size"]) for e in listed) == [(GONE, len(gone)),
                                                                   ("notes.txt", len(notes[1]))]
        rc("copy", "--s3-version-at", at, f"cairn:{b}", str(tmp_path / "at-t2"))
        assert read_tree(tmp_path / "at-t2") == {"notes.txt": notes[1], GONE: gone}
        at1 = t1.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        assert rc("cat", "--s3-version-at", at1, f"cairn:{b}/notes.txt").stdout.encode() == notes[0]
        rc("copyto", "--s3-version-at", at1, f"cairn:{b}/notes.txt", str(tmp_path / "v1.txt"))
        assert (tmp_path / "v1.txt").read_bytes() == notes[0]
        # Before anything was written: nothing.
        before = (t1 - timedelta(seconds=60)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        assert json.loads(rc("lsjson", "-R", "--s3-version-at", before, f"cairn:{b}").stdout) == []

        # cleanup-hidden deletes every noncurrent version and delete marker, by version id.
        rc("backend", "cleanup-hidden", f"cairn:{b}")
        versions, markers = versions_of(s3, b)
        assert [(v["Key"], v["VersionId"], v["IsLatest"]) for v in versions] == [
            ("notes.txt", notes_versions[0]["VersionId"], True)]
        assert markers == []
        assert rc("cat", f"cairn:{b}/notes.txt").stdout.encode() == notes[2]
    finally:
        cleanup_bucket(s3, b)


# --------------------------------------------------------------------------- minio-py


def minio_versions(mc: Minio, bucket: str) -> list[tuple[str, str | None, str | None, bool]]:
    """(name, version id, is_latest as the SDK gives it, is a delete marker), in listing order."""
    return [(str(o.object_name), o.version_id, o.is_latest, o.is_delete_marker)
            for o in mc.list_objects(bucket, recursive=True, include_version=True)]


def test_minio_py_versioning_and_tags(mc: Minio, s3: Any) -> None:
    """set/get_bucket_versioning, versions listed with include_version, stat/get/remove of a
    version, delete markers, and tags on one version of a key."""
    b, key = new_name("mpy-ver"), "photos/cat.jpg"
    mc.make_bucket(b)
    try:
        assert mc.get_bucket_versioning(b).status is None  # never configured
        mc.set_bucket_versioning(b, VersioningConfig(ENABLED))
        assert mc.get_bucket_versioning(b).status == ENABLED

        first, second = os.urandom(3000), os.urandom(40_000)
        r1 = mc.put_object(b, key, io.BytesIO(first), len(first))
        r2 = mc.put_object(b, key, io.BytesIO(second), len(second))
        v1, v2 = r1.version_id, r2.version_id
        assert v1 and v2 and v1 != v2 and r1.etag == md5(first) and r2.etag == md5(second)
        assert minio_versions(mc, b) == [(key, v2, "true", False), (key, v1, "false", False)]
        listed = list(mc.list_objects(b, recursive=True, include_version=True))
        assert [(o.size, o.etag) for o in listed] == [(len(second), md5(second)), (len(first), md5(first))]

        # One entry a page: minio-py follows NextKeyMarker/NextVersionIdMarker.
        paged = list(mc._list_objects(b, include_version=True, max_keys=1))
        assert [(o.object_name, o.version_id) for o in paged] == [(key, v2), (key, v1)]

        stat = mc.stat_object(b, key, version_id=v1)
        assert (stat.version_id, stat.size, stat.etag) == (v1, len(first), md5(first))
        assert mc.stat_object(b, key).version_id == v2
        assert read_all(mc.get_object(b, key, version_id=v1)) == first
        assert read_all(mc.get_object(b, key, version_id=v2, offset=100, length=50)) == second[100:150]

        copied = mc.copy_object(b, "copy.jpg", CopySource(b, key, version_id=v1))
        assert copied.version_id not in (None, v1, v2)
        assert read_all(mc.get_object(b, "copy.jpg")) == first
        mc.remove_object(b, "copy.jpg", version_id=copied.version_id)

        # Tags on the old version only.
        tags = Tags.new_object_tags()
        tags["stage"] = "draft"
        tags["owner"] = "ops team"
        mc.set_object_tags(b, key, tags, version_id=v1)
        got = mc.get_object_tags(b, key, version_id=v1)
        assert got is not None and dict(got) == {"stage": "draft", "owner": "ops team"}
        assert not mc.get_object_tags(b, key)  # the latest version has none
        latest_tags = Tags.new_object_tags()
        latest_tags["stage"] = "final"
        mc.set_object_tags(b, key, latest_tags)
        assert dict(mc.get_object_tags(b, key, version_id=v2) or {}) == {"stage": "final"}
        mc.delete_object_tags(b, key, version_id=v1)
        assert not mc.get_object_tags(b, key, version_id=v1)
        assert dict(mc.get_object_tags(b, key) or {}) == {"stage": "final"}

        # remove_object without a version: a delete marker becomes the latest.
        mc.remove_object(b, key)
        entries = list(mc._list_objects(b, include_version=True, max_keys=1))  # in the server's order
        marker = entries[0].version_id
        assert [(o.version_id, o.is_latest, o.is_delete_marker) for o in entries] == [
            (marker, "true", True), (v2, "false", False), (v1, "false", False)]
        assert marker not in (None, v1, v2)
        with pytest.raises(S3Error) as exc:
            mc.get_object(b, key)
        assert exc.value.code == "NoSuchKey"
        assert list(mc.list_objects(b, recursive=True)) == []
        assert read_all(mc.get_object(b, key, version_id=v1)) == first  # versions stay readable

        # Removing the marker by its id brings v2 back; removing v1 by its id deletes it for good.
        mc.remove_object(b, key, version_id=marker)
        assert mc.stat_object(b, key).version_id == v2
        assert read_all(mc.get_object(b, key)) == second
        mc.remove_object(b, key, version_id=v1)
        assert minio_versions(mc, b) == [(key, v2, "true", False)]
        with pytest.raises(S3Error) as exc:
            mc.get_object(b, key, version_id=v1)
        assert exc.value.code == "NoSuchVersion"
    finally:
        cleanup_bucket(s3, b)


def test_minio_py_object_lock(mc: Minio, s3: Any) -> None:
    """make_bucket(object_lock=True), the bucket's default retention, a version's retention and
    legal hold, and deletes refused until the hold is lifted and governance bypassed."""
    b, key = new_name("mpy-lock"), "contracts/2026.pdf"
    mc.make_bucket(b, object_lock=True)
    try:
        assert mc.get_bucket_versioning(b).status == ENABLED
        mc.set_object_lock_config(b, ObjectLockConfig(GOVERNANCE, 1, DAYS))
        config = mc.get_object_lock_config(b)
        assert (config.mode, config.duration, config.duration_unit) == (GOVERNANCE, 1, DAYS)

        body = os.urandom(20_000)
        before = datetime.now(UTC)
        v = mc.put_object(b, key, io.BytesIO(body), len(body)).version_id
        assert v
        retention = mc.get_object_retention(b, key, version_id=v)
        assert retention is not None and retention.mode == GOVERNANCE
        assert retention.retain_until_date is not None
        assert (before + timedelta(days=1) - timedelta(seconds=2) <= retention.retain_until_date
                <= datetime.now(UTC) + timedelta(days=1))

        # Extending the retention is allowed without any bypass.
        later = (datetime.now(UTC) + timedelta(days=2)).replace(microsecond=0)
        mc.set_object_retention(b, key, Retention(GOVERNANCE, later), version_id=v)
        retention = mc.get_object_retention(b, key, version_id=v)
        assert retention is not None and (retention.mode, retention.retain_until_date) == (GOVERNANCE, later)

        assert not mc.is_object_legal_hold_enabled(b, key, version_id=v)
        mc.enable_object_legal_hold(b, key, version_id=v)
        assert mc.is_object_legal_hold_enabled(b, key, version_id=v)
        with pytest.raises(S3Error) as exc:
            mc.remove_object(b, key, version_id=v)
        assert exc.value.code == "AccessDenied"
        errors = list(mc.remove_objects(b, [DeleteObject(key, v)], bypass_governance_mode=True))
        assert [(e.code, e.name, e.version_id) for e in errors] == [("AccessDenied", key, v)]

        mc.disable_object_legal_hold(b, key, version_id=v)
        assert not mc.is_object_legal_hold_enabled(b, key, version_id=v)
        with pytest.raises(S3Error) as exc:
            mc.remove_object(b, key, version_id=v)  # minio-py sends no governance bypass here
        assert exc.value.code == "AccessDenied"
        errors = list(mc.remove_objects(b, [DeleteObject(key, v)]))
        assert [(e.code, e.version_id) for e in errors] == [("AccessDenied", v)]
        assert read_all(mc.get_object(b, key, version_id=v)) == body
        assert list(mc.remove_objects(b, [DeleteObject(key, v)], bypass_governance_mode=True)) == []
        assert minio_versions(mc, b) == []

        # Turning the default retention off: a new version is not locked ...
        mc.set_object_lock_config(b, ObjectLockConfig(None, None, None))
        assert mc.get_object_lock_config(b).mode is None
        v2 = mc.put_object(b, key, io.BytesIO(b"x"), 1).version_id
        assert mc.get_object_retention(b, key, version_id=v2) is None
        assert not mc.is_object_legal_hold_enabled(b, key, version_id=v2)
        mc.remove_object(b, key, version_id=v2)
        # ... unless the PUT itself asks for a retention and a legal hold.
        soon = (datetime.now(UTC) + timedelta(minutes=10)).replace(microsecond=0)
        v3 = mc.put_object(b, key, io.BytesIO(b"y"), 1, retention=Retention(GOVERNANCE, soon),
                           legal_hold=True).version_id
        retention = mc.get_object_retention(b, key, version_id=v3)
        assert retention is not None and (retention.mode, retention.retain_until_date) == (GOVERNANCE, soon)
        assert mc.is_object_legal_hold_enabled(b, key, version_id=v3)
        headers = mc.stat_object(b, key, version_id=v3).metadata
        assert headers is not None and headers["x-amz-object-lock-legal-hold"] == "ON"
        mc.disable_object_legal_hold(b, key, version_id=v3)
        assert list(mc.remove_objects(b, [DeleteObject(key, v3)], bypass_governance_mode=True)) == []
        assert minio_versions(mc, b) == []
        assert mc.get_bucket_versioning(b).status == ENABLED
    finally:
        release_and_delete(s3, b)


# --------------------------------------------------------------------------- restic


class Restic:
    def __init__(self, server: Server, bucket: str, tmp: Path) -> None:
        self.exe = need(TEST_TOOLS / "restic", "restic", "make test-tools (bash tests/install-clients.sh)")
        self.env = server.env()
        self.env.pop("AWS_CA_BUNDLE", None)
        self.env.update(
            RESTIC_REPOSITORY=f"s3:{server.endpoint}/{bucket}",
            RESTIC_PASSWORD="correct horse battery staple",
            RESTIC_CACHE_DIR=str(tmp / "restic-cache"),
            RESTIC_PROGRESS_FPS="0.1",
        )

    def __call__(self, *args: str, cwd: Path | None = None) -> str:
        return run([self.exe, *args], self.env, timeout=120, cwd=cwd).stdout

    def ids(self, kind: str) -> set[str]:
        return set(self("list", kind).split())

    def json(self, *args: str) -> Any:
        return json.loads(self("--json", *args))


def restic_key(kind: str, name: str) -> str:
    """Where restic's S3 backend stores a file: data/<first two hex digits>/<id>, else <kind>/<id>."""
    return f"data/{name[:2]}/{name}" if kind == "packs" else f"{kind}/{name}"


def test_restic_on_a_versioned_bucket(server: Server, s3: Any, tmp_path: Path) -> None:
    """restic init, two backups, check, restore, forget --prune and check again on a bucket with
    versioning Enabled.  Every file restic wrote is named by the SHA-256 of its bytes, so every
    version of every key (but `config`) is checked against its name; the latest view is exactly the
    repository restic lists, and what prune deleted is still there behind delete markers: removing
    those markers brings the forgotten snapshot back, and restic restores it byte for byte."""
    b = new_name("restic")
    s3.create_bucket(Bucket=b)
    try:
        s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Enabled"})
        restic = Restic(server, b, tmp_path)
        assert restic("version").startswith("restic 0.")
        restic("init")

        src = tmp_path / "src"
        tree_v1 = write_tree(src, {
            "a.txt": b"alpha\n",
            "empty": b"",
            "sub/b.bin": os.urandom(300_000),
            "sub/deeper/c.bin": os.urandom(2 << 20),
        })
        restic("backup", ".", cwd=src)
        (src / "a.txt").write_bytes(b"alpha, changed\n")
        (src / "sub/b.bin").write_bytes(os.urandom(300_000))
        tree_v2 = read_tree(src)
        restic("backup", ".", cwd=src)
        snapshots = restic.json("snapshots")
        assert len(snapshots) == 2
        first_id, second_id = snapshots[0]["id"], snapshots[1]["id"]
        assert "no errors were found" in restic("check", "--read-data")

        restic("restore", "latest", "--target", str(tmp_path / "restored"))
        assert read_tree(tmp_path / "restored") == tree_v2
        assert (tmp_path / "restored" / "empty").is_file()

        packs_before = restic.ids("packs")
        restic("forget", "--keep-last", "1", "--prune")
        assert "no errors were found" in restic("check", "--read-data")
        assert [s["id"] for s in restic.json("snapshots")] == [second_id]
        packs_after = restic.ids("packs")
        pruned = packs_before - packs_after
        assert pruned, "prune deleted no pack, though the forgotten snapshot's blobs were unused"

        # The latest view is exactly what restic has now (its lock files are gone).
        current = {"config"} | {
            restic_key(kind, name) for kind in ("keys", "snapshots", "index", "packs")
            for name in restic.ids(kind)}
        listed = {o["Key"] for page in s3.get_paginator("list_objects_v2").paginate(Bucket=b)
                  for o in page.get("Contents", [])}
        assert listed == current

        versions, markers = versions_of(s3, b)
        latest_markers = {m["Key"] for m in markers if m["IsLatest"]}
        # restic writes each file once and deletes it at most once: one version a key, and one
        # marker, the latest entry, for each key it deleted.
        assert len(versions) == len({v["Key"] for v in versions})
        assert len(markers) == len(latest_markers)
        assert {v["Key"] for v in versions if v["IsLatest"]} == current
        # Every key that restic deleted has a marker on top of the version it wrote.
        assert latest_markers == {v["Key"] for v in versions} - current
        for pack in pruned:
            assert restic_key("packs", pack) in latest_markers
        assert restic_key("snapshots", first_id) in latest_markers
        assert any(k.startswith("locks/") for k in latest_markers)
        assert any(k.startswith("index/") for k in latest_markers)
        # Every version of every file holds the bytes restic named it after.
        for v in versions:
            name = v["Key"].rsplit("/", 1)[-1]
            body = s3.get_object(Bucket=b, Key=v["Key"], VersionId=v["VersionId"])["Body"].read()
            assert len(body) == v["Size"]
            if v["Key"] != "config":
                assert hashlib.sha256(body).hexdigest() == name, v["Key"]

        # Undo the prune: delete the markers (but the locks') and the forgotten snapshot is back.
        for m in markers:
            if not m["Key"].startswith("locks/"):
                s3.delete_object(Bucket=b, Key=m["Key"], VersionId=m["VersionId"])
        assert {s["id"] for s in restic.json("snapshots")} == {first_id, second_id}
        assert "no errors were found" in restic("check", "--read-data")
        restic("restore", first_id, "--target", str(tmp_path / "restored-first"))
        assert read_tree(tmp_path / "restored-first") == tree_v1
    finally:
        cleanup_bucket(s3, b)
