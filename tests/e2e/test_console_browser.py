"""The web console in a real browser: headless Chromium (Debian's chromium, driven by
playwright-core: tests/e2e/browser/console_flow.cjs) signs in as root, creates a bucket, opens a
folder, uploads a small file and a 20 MiB one (multipart), browses to them, downloads one
(compared here byte for byte), shares it, lists its versions, deletes it, turns versioning on,
saves a bucket policy and a lifecycle rule, makes two versions and deletes the older, tags the
bucket (a reserved key refused first); in a bucket with object lock sets a version's GOVERNANCE
retention, legal hold and tags (checked here with boto3, the version undeletable), shortens the
retention (refused without bypass governance, then with it), removes it and releases the hold (the
version deletable then); creates a user and a group with policies through the admin API
(add-user's body encrypted in the page) and an access key (the answer decrypted in the page:
Argon2id in WebAssembly); removes a member from a second group and deletes it; disables the user
(its keys refused, checked here) and enables it again; makes and deletes an access key of that
user; heals and reads the health page; then signs in as an IAM user whose policy lets it list and
read but not create buckets (made with mc beforehand) and sees its CreateBucket refused, and its
reads of an object's tags and retention; last, temporary credentials (STS) with their session
token.  The page stops at checkpoints while the test checks the server's state from outside.
Screenshots of each page are saved under build/test-artifacts/console/ for review.

Needs the built console (`make console`), chromium, node, playwright-core and mc (`make
test-tools`); skipped, saying which, when one is missing.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import threading
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from .conftest import ACCESS_KEY, SECRET_KEY, Server, free_port, start_server, stop_server_process

HERE = Path(__file__).parent / "browser"
ROOT = Path(__file__).resolve().parents[2]
NODE_TOOLS = Path(os.environ.get("NODE_TOOLS", ROOT / "build/test-tools/node"))
PLAYWRIGHT_CORE = NODE_TOOLS / "node_modules/playwright-core"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
NODE = shutil.which("node")
MC = ROOT / "build/test-tools/bin/mc"
DIST = Path(os.environ.get("CAIRN_CONSOLE_DIR") or ROOT / "console/dist")
SHOTS = ROOT / "build/test-artifacts/console"

pytestmark = [
    pytest.mark.slow,  # a browser start and a dozen pages: about 50 s on 2 cores
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium not installed (make system)"),
    pytest.mark.skipif(NODE is None, reason="node not installed"),
    pytest.mark.skipif(not PLAYWRIGHT_CORE.is_dir(),
                       reason=f"playwright-core not installed at {PLAYWRIGHT_CORE} (make test-tools)"),
    pytest.mark.skipif(not (DIST / "index.html").is_file(),
                       reason=f"console not built at {DIST} (make console)"),
    pytest.mark.skipif(not MC.is_file(), reason=f"mc not built at {MC} (make test-tools)"),
]


@pytest.fixture(scope="module")
def cairn(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, str]]:
    root = tmp_path_factory.mktemp("cairn-console")
    port = free_port()
    srv = start_server(root, drives=4, workers=2, extra=("--console-address", f"127.0.0.1:{port}"))
    yield srv, f"http://127.0.0.1:{port}/"
    stop_server_process(srv.process)
    shutil.rmtree(root, ignore_errors=True)


LIST_AND_READ = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["s3:ListAllMyBuckets", "s3:ListBucket", "s3:GetObject"],
     "Resource": ["arn:aws:s3:::*"]}]}


def mc(server: Server, home: Path, *args: str) -> dict[str, Any]:
    env = dict(os.environ, MC_CONFIG_DIR=str(home / "mc"),
               MC_HOST_cairn=f"http://{ACCESS_KEY}:{SECRET_KEY}@127.0.0.1:{server.port}")
    done = subprocess.run([str(MC), "--json", *args], env=env, check=True, capture_output=True, timeout=60)
    out: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return out


def narrow_user(server: Server, home: Path) -> dict[str, str]:
    """An IAM user, made with mc, whose policy lets it list buckets and read, not create buckets."""
    name, secret = f"console-ro-{uuid.uuid4().hex[:8]}", f"secret-{uuid.uuid4().hex}"
    policy = home / "list-and-read.json"
    policy.write_text(json.dumps(LIST_AND_READ))
    mc(server, home, "admin", "policy", "create", "cairn", "list-and-read", str(policy))
    mc(server, home, "admin", "user", "add", "cairn", name, secret)
    mc(server, home, "admin", "policy", "attach", "cairn", "list-and-read", "--user", name)
    return {"accessKey": name, "secretKey": secret}


Checkpoint = Callable[[dict[str, Any]], None]


def run_flow(spec: dict[str, Any], checkpoints: dict[str, Checkpoint]) -> dict[str, Any]:
    """Run console_flow.cjs: each checkpoint it reaches runs its check here (an assertion that
    fails stops the browser), then the page goes on; its last line is what the page showed."""
    env = {**os.environ, "PLAYWRIGHT_CORE": str(PLAYWRIGHT_CORE), "CHROMIUM": CHROMIUM}
    reached: list[str] = []
    with tempfile.TemporaryFile("w+") as errors:  # a file: a pipe left unread could stall the run
        flow = subprocess.Popen([str(NODE), str(HERE / "console_flow.cjs"), json.dumps(spec)], env=env,
                                text=True, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors)
        watchdog = threading.Timer(300, flow.kill)
        watchdog.start()
        seen: dict[str, Any] = {}
        try:
            assert flow.stdout is not None and flow.stdin is not None
            for line in flow.stdout:
                message = json.loads(line)
                if "checkpoint" in message:
                    checkpoints[message["checkpoint"]](message)
                    reached.append(message["checkpoint"])
                    flow.stdin.write("go\n")
                    flow.stdin.flush()
                else:
                    seen = message
            code = flow.wait(timeout=30)
        finally:
            watchdog.cancel()
            if flow.poll() is None:
                flow.kill()
                flow.wait()
        errors.seek(0)
        assert code == 0, f"the browser run failed:\n{errors.read()[-4000:]}"
    assert reached == list(checkpoints), reached
    return seen


def test_console_in_chromium(cairn: tuple[Server, str], tmp_path: Path) -> None:
    server, url = cairn
    bucket = f"console-{uuid.uuid4().hex[:8]}"
    payload = os.urandom(300_000) + "é ✓".encode()
    upload = tmp_path / "photo 1.bin"
    upload.write_bytes(payload)
    big_payload = os.urandom(20 << 20)  # over the console's multipart threshold (16 MiB): 8+8+4 MiB parts
    big = tmp_path / "big.bin"
    big.write_bytes(big_payload)
    new_user = {"accessKey": f"console-made-{uuid.uuid4().hex[:6]}", "secretKey": f"s-{uuid.uuid4().hex}"}
    shutil.rmtree(SHOTS, ignore_errors=True)
    sts = boto3.client("sts", endpoint_url=server.endpoint, aws_access_key_id=ACCESS_KEY,
                       aws_secret_access_key=SECRET_KEY, region_name="us-east-1")
    session = sts.assume_role(RoleArn="arn:aws:iam::123456789012:role/x", RoleSessionName="console",
                              DurationSeconds=900)["Credentials"]
    spec = {"url": url, "root": {"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY},
            "temporary": {"accessKey": session["AccessKeyId"], "secretKey": session["SecretAccessKey"],
                          "sessionToken": session["SessionToken"]},
            "user": narrow_user(server, tmp_path), "newUser": new_user, "bucket": bucket,
            "file": str(upload), "bigFile": str(big), "shots": str(SHOTS),
            "lifecycle": "<LifecycleConfiguration><Rule><ID>tmp</ID><Filter><Prefix>tmp/</Prefix></Filter>"
                         "<Status>Enabled</Status><Expiration><Days>7</Days></Expiration></Rule>"
                         "</LifecycleConfiguration>",
            "policy": {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Principal": {"AWS": ["*"]}, "Action": ["s3:GetObject"],
                 "Resource": [f"arn:aws:s3:::{bucket}/docs/*"]}]}}
    # Retain-until dates to the minute (what a datetime-local input holds), typed in UTC.
    minute = datetime.now(UTC).replace(second=0, microsecond=0)
    retain_long, retain_short = minute + timedelta(days=2), minute + timedelta(days=1)
    lock_bucket = f"{bucket}-lock"
    spec.update(lockBucket=lock_bucket,
                retainLong=f"{retain_long:%Y-%m-%dT%H:%M}",
                retainLongIso=f"{retain_long:%Y-%m-%dT%H:%M:%S.000Z}",
                retainShort=f"{retain_short:%Y-%m-%dT%H:%M}",
                retainShortIso=f"{retain_short:%Y-%m-%dT%H:%M:%S.000Z}")
    s3 = boto3.client("s3", endpoint_url=server.endpoint, aws_access_key_id=ACCESS_KEY,
                      aws_secret_access_key=SECRET_KEY, region_name="us-east-1",
                      config=Config(signature_version="s3v4"))
    locked_key = upload.name

    def client_as(key: str, secret: str) -> Any:
        return boto3.client("s3", endpoint_url=server.endpoint, aws_access_key_id=key,
                            aws_secret_access_key=secret, region_name="us-east-1",
                            config=Config(signature_version="s3v4", retries={"max_attempts": 1}))

    def refused(call: Callable[[], Any]) -> str:
        with pytest.raises(ClientError) as refusal:
            call()
        code: str = refusal.value.response["Error"]["Code"]
        return code

    def locked(point: dict[str, Any]) -> None:
        """The retention, legal hold and tags the page set on the version, read with boto3."""
        version = {"Bucket": lock_bucket, "Key": locked_key, "VersionId": point["versionId"]}
        retention = s3.get_object_retention(**version)["Retention"]
        assert (retention["Mode"], retention["RetainUntilDate"]) == ("GOVERNANCE", retain_long), retention
        assert s3.get_object_legal_hold(**version)["LegalHold"] == {"Status": "ON"}
        assert s3.get_object_tagging(**version)["TagSet"] == [{"Key": "project", "Value": "cairn"}]
        assert refused(lambda: s3.delete_object(**version)) == "AccessDenied"
        checked["version"] = version

    def shortened(_: dict[str, Any]) -> None:
        """Shortened with bypass governance, still locked."""
        version = checked["version"]
        retention = s3.get_object_retention(**version)["Retention"]
        assert (retention["Mode"], retention["RetainUntilDate"]) == ("GOVERNANCE", retain_short), retention
        assert s3.get_object_legal_hold(**version)["LegalHold"]["Status"] == "ON"
        assert refused(lambda: s3.delete_object(**version)) == "AccessDenied"

    def member_removed(_: dict[str, Any]) -> None:
        group = mc(server, tmp_path, "admin", "group", "info", "cairn", "console-temp")
        assert group["members"] == [new_user["accessKey"]], group

    def user_disabled(_: dict[str, Any]) -> None:
        as_user = client_as(new_user["accessKey"], new_user["secretKey"])
        checked["disabledRefusal"] = refused(lambda: as_user.get_bucket_location(Bucket=bucket))

    def user_key_made(point: dict[str, Any]) -> None:
        """The access key the page made for the user acts as that user: readonly's rights."""
        as_key = client_as(point["accessKey"], point["secretKey"])
        assert as_key.get_bucket_location(Bucket=bucket)["LocationConstraint"] in (None, "us-east-1")
        assert refused(lambda: as_key.create_bucket(Bucket=f"{bucket}-by-key")) == "AccessDenied"
        checked["userKey"] = point["accessKey"], point["secretKey"]

    checked: dict[str, Any] = {}
    seen = run_flow(spec, {"locked": locked, "shortened": shortened, "member-removed": member_removed,
                           "user-disabled": user_disabled, "user-key-made": user_key_made})

    assert seen["signedInAs"] == ACCESS_KEY
    assert seen["progress"].startswith("Uploaded photo 1.bin"), seen
    assert Path(seen["downloaded"]).read_bytes() == payload
    assert seen["suggestedName"] == "photo 1.bin"
    assert seen["bigProgress"] == "Uploaded big.bin", seen
    assert seen["topLevel"] == 1  # the folder only, its objects a level down
    assert seen["deleted"] and seen["versions"] == 1
    assert "content-length" in seen["details"] and str(len(payload)) in seen["details"], seen["details"]
    assert "etag" in seen["details"] and seen["detailsTags"] == "none", seen["details"]
    assert "Not available here (InvalidRequest" in seen["details"], seen["details"]  # no object lock there
    # The share link works for anyone (the page uploaded the same bytes again under that key since).
    assert "X-Amz-Expires=86400" in seen["shareUrl"]
    with urllib.request.urlopen(seen["shareUrl"], timeout=10) as shared:
        assert shared.read() == payload
    assert seen["versioning"] == "Enabled"
    assert "(latest)" in seen["versionsLeft"]
    assert seen["userPolicy"] == "readonly" and "enabled" in seen["userRow"], seen["userRow"]
    assert seen["groupRow"].startswith(f"console-groupenabled{new_user['accessKey']}"), seen["groupRow"]
    group = mc(server, tmp_path, "admin", "group", "info", "cairn", "console-group")
    assert group["members"] == [new_user["accessKey"]] and group["groupPolicy"] == "readonly", group
    assert seen["clusterMode"] == "online" and seen["metricsError"] == 0, seen
    assert seen["heal"].startswith("finished: ") and " 0 unhealable" in seen["heal"], seen["heal"]
    assert seen["listedAsUser"] and seen["refusal"].startswith("AccessDenied"), seen
    assert [r.split(":")[0] for r in seen["narrowDetails"]] == ["AccessDenied", "AccessDenied"], seen
    assert seen["narrowTagEditors"] == 0  # tags it could not read are not offered for replacing
    assert seen["local"] == [] and seen["session"] == ["cairn-console-session"]
    assert seen["temporaryErrors"] == 0  # signed in with a session token, the buckets listed
    # Bucket tags: the server's refusal of a reserved key shown as it said it, then the tags saved.
    assert seen["bucketTagRefusal"].startswith("InvalidTag: "), seen["bucketTagRefusal"]
    assert seen["bucketTags"] == "team=storage, env=e2e test" and seen["bucketTagErrors"] == 0, seen
    tag_set = s3.get_bucket_tagging(Bucket=bucket)["TagSet"]
    assert {t["Key"]: t["Value"] for t in tag_set} == {"team": "storage", "env": "e2e test"}
    # Object lock: none at first; shortening GOVERNANCE refused without bypass, done with it; the
    # version's delete refused and shown.
    assert seen["lockBefore"] == ["none", "none"], seen["lockBefore"]
    assert seen["shortenRefusal"].startswith("AccessDenied: "), seen["shortenRefusal"]
    assert seen["lockErrors"] == 0 and "x-amz-object-lock-legal-hold" in seen["lockHeaders"], seen
    assert seen["deleteRefusal"].startswith("AccessDenied: ") and seen["versionsAfterDelete"] == 1, seen
    # Then the retention removed and the legal hold released: the version can go.
    version = checked["version"]
    assert seen["unlockErrors"] == 0
    assert refused(lambda: s3.get_object_retention(**version)) == "NoSuchObjectLockConfiguration"
    assert s3.get_object_legal_hold(**version)["LegalHold"]["Status"] == "OFF"
    s3.delete_object(**version)
    assert "Versions" not in s3.list_object_versions(Bucket=lock_bucket)
    # Groups: the member removed, then the group deleted; the first group untouched.
    assert seen["tempMembers"] == f"{new_user['accessKey']}×" and seen["groupErrors"] == 0, seen
    groups = mc(server, tmp_path, "admin", "group", "list", "cairn")["groups"]
    assert "console-temp" not in groups and "console-group" in groups, groups
    # Users: a disabled user's keys refused; enabled again, they work (below).
    assert checked["disabledRefusal"] == "InvalidAccessKeyId", checked  # a disabled user's key is unknown
    # The user's access key the page made, then deleted: refused now.
    assert seen["userAccessKey"][0] == checked["userKey"][0] and seen["userKeyErrors"] == 0, seen
    gone = client_as(*checked["userKey"])
    assert refused(lambda: gone.get_bucket_location(Bucket=bucket)) == "InvalidAccessKeyId"
    for page in ("01-sign-in", "02-buckets", "03-folders", "03-objects", "04-share", "05-settings",
                 "06-identity", "07-health", "08-refused", "09-bucket-tags", "10-object-lock",
                 "11-user-disabled", "12-user-access-keys"):
        assert (SHOTS / f"{page}.png").stat().st_size > 1000

    names = {b["Name"] for b in s3.list_buckets()["Buckets"]}
    assert bucket in names and f"{bucket}-refused" not in names
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
    versions = s3.list_object_versions(Bucket=bucket, Prefix="docs/photo")["Versions"]
    assert len(versions) == 1 and versions[0]["IsLatest"]  # the page deleted the older one
    assert json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"]) == spec["policy"]
    rules = s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]
    assert [(r["ID"], r["Expiration"]["Days"]) for r in rules] == [("tmp", 7)]
    anonymous = urllib.request.Request(f"{server.endpoint}/{bucket}/docs/big.bin",
                                       headers={"Range": "bytes=0-9"})
    with urllib.request.urlopen(anonymous, timeout=10) as answer:  # the policy the page saved opens it
        assert answer.read() == big_payload[:10]
    got = s3.get_object(Bucket=bucket, Key="docs/big.bin")
    assert got["ETag"].strip('"').endswith("-3") and got["Body"].read() == big_payload
    # The user the console made signs S3 requests with the keys typed in, and has readonly's rights.
    made = boto3.client("s3", endpoint_url=server.endpoint, aws_access_key_id=new_user["accessKey"],
                        aws_secret_access_key=new_user["secretKey"], region_name="us-east-1")
    assert made.get_bucket_location(Bucket=bucket)["LocationConstraint"] in (None, "us-east-1")
    # The access key the console made for root works as root.
    key, secret = seen["accessKey"]
    as_key = boto3.client("s3", endpoint_url=server.endpoint, aws_access_key_id=key,
                          aws_secret_access_key=secret, region_name="us-east-1")
    assert bucket in {b["Name"] for b in as_key.list_buckets()["Buckets"]}
