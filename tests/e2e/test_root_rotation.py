"""Changing the root credentials: IAM users' secrets are sealed under them, so a restart with new
root credentials needs the old ones once (CAIRN_ROOT_USER_OLD/_PASSWORD_OLD) to reseal them;
without, the users' keys are refused (never served with a secret that cannot be checked)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from .conftest import ACCESS_KEY, SECRET_KEY, start_server, stop_server_process

MC = Path(__file__).resolve().parents[2] / "build" / "test-tools" / "bin" / "mc"
pytestmark = pytest.mark.skipif(not MC.is_file(), reason=f"mc not built at {MC} (tests/install-clients.sh)")


def client(port: int, key: str, secret: str):  # type: ignore[no-untyped-def]
    return boto3.client("s3", endpoint_url=f"http://127.0.0.1:{port}", aws_access_key_id=key,
                        aws_secret_access_key=secret, region_name="us-east-1",
                        config=Config(retries={"max_attempts": 1}))


def test_a_root_credential_change_reseals_the_users_secrets(tmp_path: Path) -> None:
    server = start_server(tmp_path, drives=1)
    try:
        env = {"MC_HOST_c": f"http://{ACCESS_KEY}:{SECRET_KEY}@127.0.0.1:{server.port}",
               "MC_CONFIG_DIR": str(tmp_path / "mc"), "PATH": "/usr/bin:/bin"}
        run = subprocess.run([str(MC), "--json", "admin", "user", "add", "c", "dora", "dora-secret-1"],
                             env=env, capture_output=True, text=True, timeout=60)
        assert json.loads(run.stdout)["status"] == "success", run.stdout
        subprocess.run([str(MC), "--json", "admin", "policy", "attach", "c", "readwrite", "--user", "dora"],
                       env=env, capture_output=True, text=True, timeout=60, check=True)
        client(server.port, "dora", "dora-secret-1").create_bucket(Bucket="dora-bkt")
    finally:
        stop_server_process(server.process)
    new = {"CAIRN_ROOT_USER": "new-root", "CAIRN_ROOT_PASSWORD": "new-root-password"}
    server = start_server(tmp_path, drives=1, env_extra=new)
    try:
        with pytest.raises(ClientError) as info:
            client(server.port, "dora", "dora-secret-1").list_buckets()
        assert info.value.response["Error"]["Code"] == "InvalidAccessKeyId"
        assert "CAIRN_ROOT_USER_OLD" in server.log.read_text()
    finally:
        stop_server_process(server.process)
    old = {**new, "CAIRN_ROOT_USER_OLD": ACCESS_KEY, "CAIRN_ROOT_PASSWORD_OLD": SECRET_KEY}
    server = start_server(tmp_path, drives=1, env_extra=old)
    try:
        names = [b["Name"] for b in client(server.port, "dora", "dora-secret-1").list_buckets()["Buckets"]]
        assert names == ["dora-bkt"]
        with pytest.raises(ClientError):  # the old root credentials are gone
            client(server.port, ACCESS_KEY, SECRET_KEY).list_buckets()
    finally:
        stop_server_process(server.process)
        shutil.rmtree(tmp_path, ignore_errors=True)
