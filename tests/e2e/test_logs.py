"""Logs (server/logs.py): with --access-log one line per request carrying what an operator needs to
find it (the request id the client saw, principal, operation, bucket, key, status, bytes, time),
as JSON with --log-format json; without it, none; --log-level warning silences info lines."""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import pytest
from botocore.exceptions import ClientError

from .conftest import ACCESS_KEY, SECRET_KEY, Server, start_server, stop_server_process


def client(server: Server):  # type: ignore[no-untyped-def]
    import boto3

    return boto3.client("s3", endpoint_url=server.endpoint, aws_access_key_id=ACCESS_KEY,
                        aws_secret_access_key=SECRET_KEY, region_name="us-east-1")


def lines(server: Server, logger: str, want: int) -> list[dict[str, object]]:
    deadline = time.monotonic() + 10
    while True:
        found = []
        for line in server.log.read_text(errors="replace").splitlines():
            if line.startswith("{"):
                doc = json.loads(line)
                if doc.get("logger") == logger:
                    found.append(doc)
        if len(found) >= want or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def test_access_log_as_json(tmp_path: Path) -> None:
    server = start_server(tmp_path, drives=1, workers=2, extra=("--access-log", "--log-format", "json"))
    try:
        s3 = client(server)
        s3.create_bucket(Bucket="logged")
        body = os.urandom(5000)
        put = s3.put_object(Bucket="logged", Key="dir/obj", Body=body)
        with pytest.raises(ClientError) as missing:
            s3.get_object(Bucket="logged", Key="nope")
        access = lines(server, "cairn.access", 3)
        by_id = {doc["request_id"]: doc for doc in access}
        put_line = by_id[put["ResponseMetadata"]["RequestId"]]
        assert put_line["operation"] == "PutObject" and put_line["bucket"] == "logged"
        assert put_line["key"] == "dir/obj" and put_line["status"] == 200
        assert put_line["principal"] == ACCESS_KEY and put_line["remote"] == "127.0.0.1"
        assert int(put_line["bytes_in"]) >= len(body) and float(put_line["duration_ms"]) > 0  # type: ignore[arg-type]
        assert put_line["level"] == "info" and "PutObject logged/dir/obj" in str(put_line["message"])
        miss = by_id[missing.value.response["ResponseMetadata"]["RequestId"]]
        assert (miss["operation"], miss["status"]) == ("GetObject", 404)
        dated = re.compile(r"\d{4}-\d\d-\d\d ")  # the text format's first field
        text_lines = [line for line in server.log.read_text().splitlines() if dated.match(line)]
        assert text_lines == []  # every log line is JSON (the banner is not a log line)
    finally:
        stop_server_process(server.process)


def test_no_access_log_unless_asked_and_levels(tmp_path: Path) -> None:
    server = start_server(tmp_path, drives=1, extra=("--log-level", "warning"))
    try:
        s3 = client(server)
        s3.create_bucket(Bucket="quiet")
        s3.put_object(Bucket="quiet", Key="k", Body=b"x")
        text = server.log.read_text(errors="replace")
        assert "cairn.access" not in text and "PutObject" not in text
        assert " INFO " not in text  # warning and above only
    finally:
        stop_server_process(server.process)
