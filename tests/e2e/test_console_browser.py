"""The web console in a real browser: headless Chromium (Debian's chromium, driven by
playwright-core: tests/e2e/browser/console_flow.cjs) signs in as root, creates a bucket, opens a
folder, uploads a small file and a 20 MiB one (multipart), browses to them, downloads one
(compared here byte for byte), shares it, lists its versions, deletes it, turns versioning on,
saves a bucket policy and a lifecycle rule, makes two versions and deletes the older, creates a
user and a group with policies through the admin API (add-user's body encrypted in the page) and
an access key (the answer decrypted in the page: Argon2id in WebAssembly), heals and reads the
health page; then signs in as an IAM user whose policy lets it list and read but not create
buckets (made with mc beforehand) and sees its CreateBucket refused; last, temporary credentials
(STS) with their session token.  Screenshots of each page
are saved under build/test-artifacts/console/ for review.

Needs the built console (`make console`), chromium, node, playwright-core and mc (`make
test-tools`); skipped, saying which, when one is missing.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config

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
    pytest.mark.slow,  # a browser start and a dozen pages: about 30 s on 2 cores
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
    env = {**os.environ, "PLAYWRIGHT_CORE": str(PLAYWRIGHT_CORE), "CHROMIUM": CHROMIUM}
    done = subprocess.run([str(NODE), str(HERE / "console_flow.cjs"), json.dumps(spec)],
                          capture_output=True, text=True, timeout=300, env=env, check=False)
    assert done.returncode == 0, f"the browser run failed:\n{done.stderr[-4000:]}\n{done.stdout[-2000:]}"
    seen: dict[str, Any] = json.loads(done.stdout)

    assert seen["signedInAs"] == ACCESS_KEY
    assert seen["progress"].startswith("Uploaded photo 1.bin"), seen
    assert Path(seen["downloaded"]).read_bytes() == payload
    assert seen["suggestedName"] == "photo 1.bin"
    assert seen["bigProgress"] == "Uploaded big.bin", seen
    assert seen["topLevel"] == 1  # the folder only, its objects a level down
    assert seen["deleted"] and seen["versions"] == 1
    assert "content-length" in seen["details"] and str(len(payload)) in seen["details"], seen["details"]
    assert "etag" in seen["details"] and "tagsnone" in seen["details"], seen["details"]
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
    assert seen["local"] == [] and seen["session"] == ["cairn-console-session"]
    assert seen["temporaryErrors"] == 0  # signed in with a session token, the buckets listed
    for page in ("01-sign-in", "02-buckets", "03-folders", "03-objects", "04-share", "05-settings",
                 "06-identity", "07-health", "08-refused"):
        assert (SHOTS / f"{page}.png").stat().st_size > 1000

    s3 = boto3.client("s3", endpoint_url=server.endpoint, aws_access_key_id=ACCESS_KEY,
                      aws_secret_access_key=SECRET_KEY, region_name="us-east-1",
                      config=Config(signature_version="s3v4"))
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
