"""Virtual-hosted-style addressing (--domain) with boto3, SigV4 and SigV2."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import boto3
import pytest
from botocore.config import Config

from .conftest import ACCESS_KEY, SECRET_KEY, Server, start_server, stop_server_process

DOMAIN = "cairn.test"


@pytest.fixture(scope="module")
def vhost_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = start_server(tmp_path_factory.mktemp("vhost"), drives=1, extra=("--domain", DOMAIN))
    yield srv
    stop_server_process(srv.process)


@pytest.fixture
def resolve_domain(monkeypatch: pytest.MonkeyPatch) -> None:
    """*.cairn.test resolves to 127.0.0.1 inside this test process only (no DNS involved)."""
    real = socket.getaddrinfo

    def fake(host, *args, **kwargs):  # type: ignore[no-untyped-def]
        if isinstance(host, str) and (host == DOMAIN or host.endswith("." + DOMAIN)):
            host = "127.0.0.1"
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)


@pytest.mark.parametrize("signature", ["s3v4", "s3"])
def test_virtual_hosted_round_trip(vhost_server, resolve_domain, signature):
    client = boto3.client(
        "s3", endpoint_url=f"http://{DOMAIN}:{vhost_server.port}", aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY, region_name="us-east-1",
        config=Config(s3={"addressing_style": "virtual"}, signature_version=signature,
                      retries={"max_attempts": 1}),
    )
    bucket = f"vh-{signature.replace('3', 'three')}"
    client.create_bucket(Bucket=bucket)
    client.put_object(Bucket=bucket, Key="dir/a b+c.txt", Body=b"virtual")
    assert client.get_object(Bucket=bucket, Key="dir/a b+c.txt")["Body"].read() == b"virtual"
    listed = client.list_objects_v2(Bucket=bucket, Prefix="dir/")
    assert [o["Key"] for o in listed["Contents"]] == ["dir/a b+c.txt"]
    client.delete_object(Bucket=bucket, Key="dir/a b+c.txt")
    client.delete_bucket(Bucket=bucket)
