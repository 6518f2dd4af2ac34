"""Drives that go away and come back, on a running two-worker server: the health endpoints follow
(MinIO's /minio/health/cluster is 503 once a set lacks a write quorum), each change is logged once
(not once per request, not once per worker), and a 5xx answer is logged with its request id."""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from botocore.exceptions import ClientError

from .conftest import Server, start_server, stop_server_process
from .test_client_fixes import signed

WAIT = 20.0  # seconds a change may take to show (workers look at their drives every 5 s)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = start_server(tmp_path_factory.mktemp("drive-health"), drives=4, workers=2)
    yield srv
    stop_server_process(srv.process)


def health(server: Server, path: str = "cluster") -> tuple[int, dict[str, str]]:
    try:
        with urllib.request.urlopen(f"{server.endpoint}/minio/health/{path}", timeout=5) as reply:
            return reply.status, dict(reply.headers.items())
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers.items())


def eventually(check: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"not within {WAIT:.0f} s: {what}")


def log_count(server: Server, pattern: str) -> int:
    return len(re.findall(pattern, server.log.read_text(errors="replace")))


def writable(s3, bucket: str, key: str, body: bytes) -> bool:  # type: ignore[no-untyped-def]
    try:
        s3.put_object(Bucket=bucket, Key=key, Body=body)
    except ClientError as exc:
        assert exc.response["Error"]["Code"] == "InsufficientWriteQuorum", exc.response
        return False
    return True


def test_drives_going_away_and_coming_back(server: Server, s3, bucket) -> None:
    d1, d2 = server.drives[0], server.drives[1]
    gone1, gone2 = Path(f"{d1}.away"), Path(f"{d2}.away")
    s3.put_object(Bucket=bucket, Key="before", Body=b"kept")
    assert health(server)[0] == 200

    d1.rename(gone1)  # one drive of four: the set keeps its write quorum (3)
    offline1 = rf"drive {re.escape(str(d1))} is offline"
    eventually(lambda: log_count(server, offline1) == 1, "the first drive's loss logged")
    for _ in range(20):
        assert health(server)[0] == 200
        s3.put_object(Bucket=bucket, Key="during", Body=b"still writable")
    assert s3.get_object(Bucket=bucket, Key="before")["Body"].read() == b"kept"

    d2.rename(gone2)  # two of four: no write quorum
    eventually(lambda: health(server)[0] == 503, "cluster health 503 with two drives gone")
    assert health(server)[1].get("x-minio-write-quorum") == "3"
    status, headers, body = signed(server, "PUT", f"/{bucket}/refused")
    assert (status, b"<Code>InsufficientWriteQuorum</Code>" in body) == (503, True)
    eventually(lambda: f"503 InsufficientWriteQuorum (request {headers['x-amz-request-id']})"
               in server.log.read_text(errors="replace"), "the 503 logged with its request id")
    # Only the janitor worker logs drive changes, at its own 5 s tick: the other worker may have
    # answered 503 before it looked.  Away until then, the drive is logged too.
    offline2 = rf"drive {re.escape(str(d2))} is offline"
    eventually(lambda: log_count(server, offline2) == 1, "the second drive's loss logged")

    gone1.rename(d1)
    gone2.rename(d2)
    eventually(lambda: health(server)[0] == 200, "cluster health back to 200")
    for drive in (d1, d2):
        back = rf"drive {re.escape(str(drive))} is back online"
        eventually(lambda back=back: log_count(server, back) == 1, f"{drive} logged back online")
    # Each worker looks at its drives on its own tick: within one, both write again.
    eventually(lambda: all(writable(s3, bucket, "after", b"writable again") for _ in range(10)),
               "both workers writing again")
    assert s3.get_object(Bucket=bucket, Key="after")["Body"].read() == b"writable again"
    time.sleep(6)  # another round of drive checks in both workers: no change, nothing logged again
    assert log_count(server, offline1) == 1
    assert log_count(server, offline2) == 1
    assert "Traceback" not in server.log.read_text(errors="replace")


def test_missing_bucket_is_not_a_server_error(server: Server, s3) -> None:
    with pytest.raises(ClientError) as missing:
        s3.head_bucket(Bucket="no-such-bucket-here")
    assert missing.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
