"""`mc admin` for the end-to-end tests: MinIO's client (built by tests/install-clients.sh) run with
an alias per identity, and fixtures for tests that make users with it (a plugin of the root
conftest: `mc_admin`, `admin_cleanup`, `suffix`)."""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from .conftest import ACCESS_KEY, SECRET_KEY, Server, cleanup_bucket

MC = Path(__file__).resolve().parents[2] / "build" / "test-tools" / "bin" / "mc"
NEEDS_MC = pytest.mark.skipif(not MC.is_file(), reason=f"mc not built at {MC} (tests/install-clients.sh)")


def documents(text: str) -> list[dict[str, Any]]:
    """The JSON documents mc printed, one after another."""
    decoder, out, at = json.JSONDecoder(), [], 0
    text = text.strip()
    while at < len(text):
        value, end = decoder.raw_decode(text, at)
        out.append(value)
        at = end
        while at < len(text) and text[at].isspace():
            at += 1
    return out


class McError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code, self.message = code, message


class Mc:
    """mc with an alias per identity: `cairn` is the root user."""

    def __init__(self, server: Server, config_dir: Path) -> None:
        self.server = server
        self.env = dict(os.environ, MC_CONFIG_DIR=str(config_dir), MC_DISABLE_PAGER="1", NO_COLOR="1")
        self.alias("cairn", ACCESS_KEY, SECRET_KEY)

    def alias(self, name: str, access_key: str, secret: str) -> None:
        self.env[f"MC_HOST_{name}"] = f"http://{access_key}:{secret}@127.0.0.1:{self.server.port}"

    def __call__(self, *args: str) -> list[dict[str, Any]]:
        done = subprocess.run([str(MC), "--json", *args], env=self.env, capture_output=True, text=True,
                              timeout=120)
        out = documents(done.stdout)
        errors = [d for d in out if d.get("status") == "error"]
        if errors or done.returncode:
            error = errors[0]["error"] if errors else done.stdout + done.stderr
            if isinstance(error, str):  # `mc admin info` reports its error as a bare message
                raise McError("", error)
            cause = error.get("cause", {})
            raise McError((cause.get("error") or {}).get("Code", ""), cause.get("message", ""))
        return out

    def one(self, *args: str) -> dict[str, Any]:
        (doc,) = self(*args)
        return doc

    def refused(self, *args: str) -> McError:
        with pytest.raises(McError) as caught:
            self(*args)
        return caught.value


def s3_as(server: Server, access_key: str, secret: str) -> Any:
    return boto3.client("s3", endpoint_url=server.endpoint, aws_access_key_id=access_key,
                        aws_secret_access_key=secret, region_name="us-east-1",
                        config=Config(retries={"max_attempts": 1}))


def error_code(exc: ClientError) -> str:
    return str(exc.response["Error"]["Code"])


@pytest.fixture
def mc_admin(server: Server, tmp_path: Path) -> Mc:
    return Mc(server, tmp_path / "mc")


@pytest.fixture
def suffix() -> str:
    return uuid.uuid4().hex[:8]


@pytest.fixture
def admin_cleanup(mc_admin: Mc, s3: Any) -> Iterator[list[tuple[str, str]]]:
    """(kind, name) to remove after the test: "bucket", "user", "group", "policy"."""
    mc = mc_admin
    todo: list[tuple[str, str]] = []
    yield todo
    for kind, name in reversed(todo):
        try:
            if kind == "bucket":
                cleanup_bucket(s3, name)
            elif kind == "group":
                info = mc.one("admin", "group", "info", "cairn", name)
                if info.get("members"):
                    mc("admin", "group", "rm", "cairn", name, *info["members"])
                mc("admin", "group", "rm", "cairn", name)
            else:
                mc("admin", kind, "remove" if kind == "user" else "rm", "cairn", name)
        except McError:
            pass


