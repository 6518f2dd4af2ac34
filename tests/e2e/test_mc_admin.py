"""`mc admin` (MinIO's client, unchanged: github.com/minio/mc built by tests/install-clients.sh)
against a real Cairn: users, groups, policies and access keys made with mc, then used with boto3.

Every mc call runs with --json and answers one JSON document per message; a refusal is
{"status": "error", "error": {"cause": {"error": {"Code": ...}}}} on stdout with exit status 1.
Names carry a random suffix: the server is shared with the rest of the e2e suite.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from .conftest import Server
from .mcadmin import NEEDS_MC, Mc, error_code, s3_as

pytestmark = NEEDS_MC


@pytest.fixture
def mc(mc_admin: Mc) -> Mc:
    return mc_admin


@pytest.fixture
def cleanup(admin_cleanup: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return admin_cleanup


def test_a_user_from_creation_to_removal(mc: Mc, server: Server, tmp_path: Path, suffix: str,
                                         cleanup: list[tuple[str, str]]) -> None:
    user, secret, bucket = f"alice-{suffix}", f"alice-secret-{suffix}", f"photos-{suffix}"
    cleanup += [("user", user), ("bucket", bucket)]

    # mc admin user add, then list: the user is there, enabled.
    mc("admin", "user", "add", "cairn", user, secret)
    listed = {d["accessKey"]: d for d in mc("admin", "user", "list", "cairn")}
    assert listed[user]["userStatus"] == "enabled"

    # No policy yet: signed requests are refused.
    alice = s3_as(server, user, secret)
    with pytest.raises(ClientError) as refused:
        alice.create_bucket(Bucket=bucket)
    assert error_code(refused.value) == "AccessDenied"

    # readwrite attached: the user creates a bucket and puts an object.
    attached = mc.one("admin", "policy", "attach", "cairn", "readwrite", "--user", user)
    assert attached["policiesAttached"] == ["readwrite"]
    assert mc.one("admin", "user", "info", "cairn", user)["policyName"] == "readwrite"
    alice.create_bucket(Bucket=bucket)
    alice.put_object(Bucket=bucket, Key="hello.txt", Body=b"hello")
    assert alice.get_object(Bucket=bucket, Key="hello.txt")["Body"].read() == b"hello"

    # Disabled: its key is unknown to S3 (InvalidAccessKeyId, 403); enabled again, it works.
    mc("admin", "user", "disable", "cairn", user)
    assert listed_status(mc, user) == "disabled"
    with pytest.raises(ClientError) as disabled:
        alice.list_objects_v2(Bucket=bucket)
    assert error_code(disabled.value) == "InvalidAccessKeyId"
    assert disabled.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    mc("admin", "user", "enable", "cairn", user)
    assert alice.list_objects_v2(Bucket=bucket)["KeyCount"] == 1

    # An access key for the user, narrowed to reading its bucket: it reads, it may not write.
    narrow = tmp_path / "read-photos.json"
    narrow.write_text(json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"],
        "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"]}]}))
    created = mc.one("admin", "accesskey", "create", "cairn", user, "--policy", str(narrow),
                     "--name", "reader", "--description", "reads photos")
    key_id, key_secret = created["accessKey"], created["secretKey"]
    assert len(key_id) == 20 and len(key_secret) == 40
    reader = s3_as(server, key_id, key_secret)
    assert reader.get_object(Bucket=bucket, Key="hello.txt")["Body"].read() == b"hello"
    with pytest.raises(ClientError) as narrowed:
        reader.put_object(Bucket=bucket, Key="nope.txt", Body=b"x")
    assert error_code(narrowed.value) == "AccessDenied"
    info = mc.one("admin", "accesskey", "info", "cairn", key_id)
    assert info["parentUser"] == user and info["name"] == "reader" and not info.get("impliedPolicy")

    # accesskey ls shows it; rm removes it, and the key stops working.
    keys = mc.one("admin", "accesskey", "ls", "cairn", user)
    assert [k["accessKey"] for k in keys["svcaccs"]] == [key_id]
    mc("admin", "accesskey", "rm", "cairn", key_id)
    assert not mc.one("admin", "accesskey", "ls", "cairn", user)["svcaccs"]
    with pytest.raises(ClientError) as removed_key:
        reader.get_object(Bucket=bucket, Key="hello.txt")
    assert error_code(removed_key.value) == "InvalidAccessKeyId"

    # user remove: gone from the list, its requests refused.
    alice.delete_object(Bucket=bucket, Key="hello.txt")
    mc("admin", "user", "remove", "cairn", user)
    assert user not in {d.get("accessKey") for d in mc("admin", "user", "list", "cairn")}
    assert mc.refused("admin", "user", "info", "cairn", user).code == "XMinioAdminNoSuchUser"
    with pytest.raises(ClientError) as gone:
        alice.list_objects_v2(Bucket=bucket)
    assert error_code(gone.value) == "InvalidAccessKeyId"


def listed_status(mc: Mc, user: str) -> str:
    return str({d["accessKey"]: d for d in mc("admin", "user", "list", "cairn")}[user]["userStatus"])


def test_groups_give_their_members_the_group_policy(mc: Mc, server: Server, s3: Any, suffix: str,
                                                    cleanup: list[tuple[str, str]]) -> None:
    group, bucket = f"team-{suffix}", f"team-{suffix}"
    users = [f"gina-{suffix}", f"hank-{suffix}"]
    cleanup += [("user", u) for u in users] + [("group", group), ("bucket", bucket)]
    for user in users:
        mc("admin", "user", "add", "cairn", user, f"{user}-secret")
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="shared.txt", Body=b"team data")

    mc("admin", "group", "add", "cairn", group, *users)
    mc("admin", "policy", "attach", "cairn", "readonly", "--group", group)
    info = mc.one("admin", "group", "info", "cairn", group)
    assert sorted(info["members"]) == users and info["groupPolicy"] == "readonly"
    assert info["groupStatus"] == "enabled"
    assert group in (mc.one("admin", "group", "list", "cairn").get("groups") or [])

    gina = s3_as(server, users[0], f"{users[0]}-secret")
    assert gina.get_object(Bucket=bucket, Key="shared.txt")["Body"].read() == b"team data"
    with pytest.raises(ClientError) as readonly:
        gina.put_object(Bucket=bucket, Key="mine.txt", Body=b"x")
    assert error_code(readonly.value) == "AccessDenied"

    # A disabled group's policy no longer applies.
    mc("admin", "group", "disable", "cairn", group)
    assert mc.one("admin", "group", "info", "cairn", group)["groupStatus"] == "disabled"
    with pytest.raises(ClientError) as disabled:
        gina.get_object(Bucket=bucket, Key="shared.txt")
    assert error_code(disabled.value) == "AccessDenied"
    mc("admin", "group", "enable", "cairn", group)

    # A group with members is not removed; emptied, it is.
    assert mc.refused("admin", "group", "rm", "cairn", group).code == "XMinioAdminGroupNotEmpty"
    mc("admin", "group", "rm", "cairn", group, *users)
    mc("admin", "group", "rm", "cairn", group)
    assert mc.refused("admin", "group", "info", "cairn", group).code == "XMinioAdminNoSuchGroup"


def test_policies_from_files(mc: Mc, tmp_path: Path, suffix: str, cleanup: list[tuple[str, str]]) -> None:
    name, user = f"read-shared-{suffix}", f"ivan-{suffix}"
    cleanup += [("policy", name), ("user", user)]
    document = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::shared/*"]}]}
    path = tmp_path / "policy.json"
    path.write_text(json.dumps(document))

    mc("admin", "policy", "create", "cairn", name, str(path))
    info = mc.one("admin", "policy", "info", "cairn", name)
    assert info["policyInfo"]["PolicyName"] == name and info["policyInfo"]["Policy"] == document
    names = {d["policy"] for d in mc("admin", "policy", "list", "cairn")}
    assert {name, "readwrite", "readonly", "writeonly", "consoleAdmin", "diagnostics"} <= names

    mc("admin", "user", "add", "cairn", user, f"{user}-secret")
    mc("admin", "policy", "attach", "cairn", name, "--user", user)
    entities = mc.one("admin", "policy", "entities", "cairn", "--policy", name)["result"]
    assert entities["policyMappings"] == [{"policy": name, "users": [user], "groups": []}]
    assert mc.refused("admin", "policy", "rm", "cairn", name).code == "XMinioIAMPolicyInUse"
    detached = mc.one("admin", "policy", "detach", "cairn", name, "--user", user)
    assert detached["policiesDetached"] == [name]
    mc("admin", "policy", "rm", "cairn", name)
    assert mc.refused("admin", "policy", "info", "cairn", name).code == "XMinioAdminNoSuchPolicy"

    bad = tmp_path / "bad.json"
    bad.write_text('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:Nope"], '
                   '"Resource": ["arn:aws:s3:::*"]}]}')
    malformed = mc.refused("admin", "policy", "create", "cairn", f"bad-{suffix}", str(bad))
    assert malformed.code == "XMinioMalformedIAMPolicy"


def test_a_user_manages_its_own_keys_but_nothing_else(mc: Mc, server: Server, suffix: str,
                                                      cleanup: list[tuple[str, str]]) -> None:
    user, other = f"jane-{suffix}", f"kurt-{suffix}"
    cleanup += [("user", user), ("user", other)]
    for name in (user, other):
        mc("admin", "user", "add", "cairn", name, f"{name}-secret")
        mc("admin", "policy", "attach", "cairn", "readwrite", "--user", name)
    mc.alias("jane", user, f"{user}-secret")

    # No admin rights: managing users is refused.
    assert mc.refused("admin", "user", "list", "jane").code == "AccessDenied"
    assert mc.refused("admin", "user", "add", "jane", f"eve-{suffix}", "eve-secret-1").code == "AccessDenied"
    assert mc.refused("admin", "accesskey", "create", "jane", other).code == "AccessDenied"
    assert mc.refused("admin", "info", "jane").message == "Access Denied."

    # Its own access keys: created, listed (mc falls back from --all to its own), edited, removed.
    created = mc.one("admin", "accesskey", "create", "jane")
    key_id = created["accessKey"]
    listed = mc("admin", "accesskey", "ls", "jane")
    assert [(d["user"], [k["accessKey"] for k in d["svcaccs"]]) for d in listed] == [(user, [key_id])]
    s3_as(server, key_id, created["secretKey"]).list_buckets()
    mc("admin", "accesskey", "edit", "jane", key_id, "--description", "laptop")
    assert mc.one("admin", "accesskey", "info", "jane", key_id)["description"] == "laptop"
    mc("admin", "accesskey", "disable", "jane", key_id)
    assert mc.one("admin", "accesskey", "info", "jane", key_id)["accountStatus"] == "off"
    mc("admin", "accesskey", "rm", "jane", key_id)
    assert not mc("admin", "user", "svcacct", "ls", "jane", user)


def test_admin_info(mc: Mc, server: Server) -> None:
    info = mc.one("admin", "info", "cairn")
    assert info["status"] == "success" and info["info"]["mode"] == "online"
    (srv,) = info["info"]["servers"]
    assert srv["state"] == "online" and len(srv["drives"]) == len(server.drives)
    assert all(d["state"] == "ok" for d in srv["drives"])
    assert info["info"]["backend"]["backendType"] == "Erasure"


def test_admin_info_counts_objects_from_the_scanner(tmp_path: Path) -> None:
    """mc admin info's objects, versions and usage are the scanner's count (0 before its first
    cycle, as MinIO's before its scanner's)."""
    import os
    import subprocess
    import time

    from .conftest import ACCESS_KEY, SECRET_KEY, start_server, stop_server_process
    from .mcadmin import MC

    server = start_server(tmp_path, drives=1, workers=2, extra=("--scanner-interval", "1s"))
    try:
        s3 = s3_as(server, ACCESS_KEY, SECRET_KEY)
        s3.create_bucket(Bucket="counted")
        for i, size in enumerate((10, 2000, 300_000)):
            s3.put_object(Bucket="counted", Key=f"k{i}", Body=os.urandom(size))
        env = {**os.environ, "MC_CONFIG_DIR": str(tmp_path / "mc")}
        subprocess.run([str(MC), "alias", "set", "t", server.endpoint, ACCESS_KEY, SECRET_KEY], env=env,
                       check=True, capture_output=True)
        deadline = time.monotonic() + 30
        while True:
            out = subprocess.run([str(MC), "admin", "info", "t", "--json"], env=env, check=True,
                                 capture_output=True, text=True).stdout
            info = json.loads(out)["info"]
            if info["objects"]["count"] == 3 or time.monotonic() > deadline:
                break
            time.sleep(0.3)
        assert info["objects"]["count"] == 3 and info["versions"]["count"] == 3
        assert info["usage"]["size"] == 10 + 2000 + 300_000
    finally:
        stop_server_process(server.process)


@NEEDS_MC
def test_service_restart_and_stop(tmp_path: Path) -> None:
    """mc admin service restart: the server stops gracefully and starts again with the same command
    line (same process id: it executes itself; new workers; data kept); stop ends it."""
    import os
    import subprocess
    import time

    from .conftest import ACCESS_KEY, SECRET_KEY, start_server, stop_server_process
    from .mcadmin import MC

    server = start_server(tmp_path, drives=1, workers=2)
    try:
        s3 = s3_as(server, ACCESS_KEY, SECRET_KEY)
        s3.create_bucket(Bucket="kept")
        s3.put_object(Bucket="kept", Key="k", Body=b"across a restart")
        env = {**os.environ, "MC_CONFIG_DIR": str(tmp_path / "mc")}

        def mc(*args: str) -> dict[str, Any]:
            done = subprocess.run([str(MC), *args, "--json"], env=env, capture_output=True, text=True)
            return json.loads(done.stdout.splitlines()[-1]) if done.stdout else {"stderr": done.stderr}

        mc("alias", "set", "t", server.endpoint, ACCESS_KEY, SECRET_KEY)
        workers = subprocess.run(["ps", "-o", "pid=", "--ppid", str(server.process.pid)], capture_output=True,
                                 text=True).stdout.split()
        assert len(workers) == 2
        assert mc("admin", "service", "restart", "t", "--dry-run").get("status") == "success"
        assert mc("admin", "service", "restart", "t").get("status") == "success"
        deadline = time.monotonic() + 30
        while server.log.read_text().count("S3-compatible object storage") < 2:  # the banner again
            assert time.monotonic() < deadline and server.process.poll() is None, server.log.read_text()
            time.sleep(0.1)
        while True:
            try:
                body = s3.get_object(Bucket="kept", Key="k")["Body"].read()
                break
            except Exception:
                assert time.monotonic() < deadline
                time.sleep(0.1)
        assert body == b"across a restart"
        again = subprocess.run(["ps", "-o", "pid=", "--ppid", str(server.process.pid)], capture_output=True,
                               text=True).stdout.split()
        assert len(again) == 2 and not set(again) & set(workers)  # new workers, same server process
        assert mc("admin", "service", "stop", "t").get("status") == "success"
        assert server.process.wait(timeout=30) == 0
    finally:
        stop_server_process(server.process)


@NEEDS_MC
def test_admin_config_get_set_reset(tmp_path: Path) -> None:
    """mc admin config get|set|reset for the settings served (server/settings.py), kept across a
    restart; what is not served is refused with the server's message."""
    import os
    import subprocess

    from .conftest import ACCESS_KEY, SECRET_KEY, start_server, stop_server_process
    from .mcadmin import MC

    env = {**os.environ, "MC_CONFIG_DIR": str(tmp_path / "mc")}

    def mc(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(MC), *args], env=env, capture_output=True, text=True, timeout=60)

    server = start_server(tmp_path, drives=1, workers=2)
    try:
        mc("alias", "set", "t", server.endpoint, ACCESS_KEY, SECRET_KEY)
        assert mc("admin", "config", "get", "t", "scanner").stdout.strip() == "scanner speed=default"
        done = mc("admin", "config", "set", "t", "scanner", "speed=slow")
        assert done.returncode == 0, done.stdout + done.stderr
        assert "restart" not in done.stdout.lower()  # applied at once
        assert mc("admin", "config", "set", "t", "heal", "bitrotscan=7d").returncode == 0
        refused = mc("admin", "config", "set", "t", "scanner", "speed=warp9")
        assert refused.returncode != 0 and "speed='warp9'" in refused.stdout + refused.stderr
        unknown = mc("admin", "config", "set", "t", "notify_kafka", "enable=on")
        assert unknown.returncode != 0 and "unknown sub-system" in unknown.stdout + unknown.stderr
    finally:
        stop_server_process(server.process)
    server = start_server(tmp_path, drives=1, workers=2)  # the same drive: the settings are kept
    try:
        mc("alias", "set", "t", server.endpoint, ACCESS_KEY, SECRET_KEY)
        assert mc("admin", "config", "get", "t", "scanner").stdout.strip() == "scanner speed=slow"
        assert mc("admin", "config", "get", "t", "heal").stdout.strip() == "heal bitrotscan=7d"
        assert mc("admin", "config", "reset", "t", "scanner").returncode == 0
        assert mc("admin", "config", "get", "t", "scanner").stdout.strip() == "scanner speed=default"
    finally:
        stop_server_process(server.process)


@NEEDS_MC
def test_admin_trace_sees_every_worker(tmp_path: Path) -> None:
    """mc admin trace: the S3 requests of both workers, as they finish (server/trace.py); --errors
    only failed ones; a server with a trace open still stops at once."""
    import os
    import subprocess
    import time

    import boto3

    from .conftest import ACCESS_KEY, SECRET_KEY, start_server, stop_server_process
    from .mcadmin import MC

    server = start_server(tmp_path, drives=1, workers=2)
    env = {**os.environ, "MC_CONFIG_DIR": str(tmp_path / "mc")}
    subprocess.run([str(MC), "alias", "set", "t", server.endpoint, ACCESS_KEY, SECRET_KEY], env=env,
                   check=True, capture_output=True)
    out, errs = tmp_path / "trace.json", tmp_path / "errors.json"
    with out.open("w") as f, errs.open("w") as g:
        tracing = subprocess.Popen([str(MC), "admin", "trace", "t", "--json"], env=env, stdout=f,
                                   stderr=subprocess.STDOUT)
        failing = subprocess.Popen([str(MC), "admin", "trace", "t", "--errors", "--json"], env=env,
                                   stdout=g, stderr=subprocess.STDOUT)
    try:
        time.sleep(2.5)  # both traces are listening (workers look for tracers every second)
        s3 = s3_as(server, ACCESS_KEY, SECRET_KEY)
        s3.create_bucket(Bucket="traced")
        for i in range(12):  # a new connection each: the kernel spreads them over both workers
            boto3.client("s3", endpoint_url=server.endpoint, aws_access_key_id=ACCESS_KEY,
                         aws_secret_access_key=SECRET_KEY, region_name="us-east-1").put_object(
                Bucket="traced", Key=f"k{i}", Body=b"x" * i)
        with pytest.raises(ClientError):
            s3.get_object(Bucket="traced", Key="missing")
        deadline = time.monotonic() + 10
        while out.read_text().count("s3.PutObject") < 12 or "s3.GetObject" not in errs.read_text():
            assert time.monotonic() < deadline, out.read_text()[-2000:]
            time.sleep(0.2)
        records = [json.loads(line) for line in out.read_text().splitlines() if line.startswith("{")]
        puts = [r for r in records if r.get("api") == "s3.PutObject"]  # mc's own JSON of each record
        assert sorted(r["path"] for r in puts) == sorted(f"/traced/k{i}" for i in range(12))
        assert all(r["statusCode"] == 200 and r["callStats"]["rx"] > 0 for r in puts)
        failed = [json.loads(line) for line in errs.read_text().splitlines() if '"api"' in line]
        assert [(r["api"], r["statusCode"]) for r in failed] == [("s3.GetObject", 404)]  # --errors
        started = time.monotonic()
    finally:
        stop_server_process(server.process)
        tracing.kill()
        failing.kill()
    assert time.monotonic() - started < 15  # the open traces did not hold the stop for its grace
