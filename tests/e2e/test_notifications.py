"""Bucket notifications end to end: a server whose webhook targets (MINIO_NOTIFY_WEBHOOK_*) are
receivers started by the test on 127.0.0.1, configured with boto3 and `mc event`; every kind of
event with its fields, filters, a receiver stopped for a while, a server restarted with events
pending, and a target that never answers (requests do not stall)."""

from __future__ import annotations

import contextlib
import http.client
import json
import re
import shutil
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus

import boto3
import pytest
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from .conftest import (
    ACCESS_KEY,
    SECRET_KEY,
    Server,
    cleanup_bucket,
    free_port,
    start_server,
    stop_server_process,
)
from .mcadmin import NEEDS_MC, Mc

TOKEN = "receiver-secret"


class Receiver:
    """A webhook receiver on a fixed port that can be stopped (connections refused) and started
    again; it keeps every event body it was sent."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.bodies: list[dict[str, Any]] = []
        self.auth: list[str | None] = []
        self.lock = threading.Lock()
        self.httpd: ThreadingHTTPServer | None = None

    def start(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with receiver.lock:
                    receiver.bodies.append(json.loads(body))
                    receiver.auth.append(self.headers.get("Authorization"))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.httpd is not None:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.httpd = None

    def events(self, bucket: str) -> list[dict[str, Any]]:
        with self.lock:
            return [b for b in self.bodies if b["Key"].split("/", 1)[0] == bucket]

    def wait(self, bucket: str, count: int, seconds: float = 30) -> list[dict[str, Any]]:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            got = self.events(bucket)
            if len(got) >= count:
                time.sleep(0.3)  # anything more (there should be nothing) arrives too
                return self.events(bucket)
            time.sleep(0.05)
        return self.events(bucket)


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    r.start()
    yield r
    r.stop()


@pytest.fixture(scope="module")
def hanging() -> Iterator[int]:
    """A target that accepts connections (the kernel's backlog) and never answers."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    yield sock.getsockname()[1]
    sock.close()


def webhook_env(receiver_port: int, hanging_port: int) -> dict[str, str]:
    return {
        "MINIO_NOTIFY_WEBHOOK_ENABLE_1": "on",
        "MINIO_NOTIFY_WEBHOOK_ENDPOINT_1": f"http://127.0.0.1:{receiver_port}/events",
        "MINIO_NOTIFY_WEBHOOK_AUTH_TOKEN_1": TOKEN,
        "CAIRN_NOTIFY_WEBHOOK_ENABLE_HANG": "on",
        "CAIRN_NOTIFY_WEBHOOK_ENDPOINT_HANG": f"http://127.0.0.1:{hanging_port}/",
        "MINIO_NOTIFY_WEBHOOK_ENABLE_OFF": "off",
        "MINIO_NOTIFY_WEBHOOK_ENDPOINT_OFF": "http://127.0.0.1:1/",
    }


@pytest.fixture(scope="module")
def notify_server(tmp_path_factory: pytest.TempPathFactory, receiver: Receiver, hanging: int
                  ) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("notify")
    srv = start_server(root, workers=2, env_extra=webhook_env(receiver.port, hanging))
    yield srv
    stop_server_process(srv.process)
    shutil.rmtree(root, ignore_errors=True)


def client(server: Server) -> Any:
    return boto3.client("s3", endpoint_url=server.endpoint, aws_access_key_id=ACCESS_KEY,
                        aws_secret_access_key=SECRET_KEY, region_name="us-east-1",
                        config=Config(retries={"max_attempts": 1}))


@pytest.fixture
def s3n(notify_server: Server) -> Any:
    return client(notify_server)


@pytest.fixture
def nbucket(s3n: Any) -> Iterator[str]:
    name = f"ev-{uuid.uuid4().hex[:12]}"
    s3n.create_bucket(Bucket=name)
    yield name
    cleanup_bucket(s3n, name)


def queue(arn: str = "arn:minio:sqs::1:webhook", events: tuple[str, ...] = ("s3:ObjectCreated:*",
          "s3:ObjectRemoved:*"), prefix: str | None = None, suffix: str | None = None,
          rule_id: str | None = None) -> dict[str, Any]:
    rules = ([{"Name": "prefix", "Value": prefix}] if prefix is not None else []) + (
        [{"Name": "suffix", "Value": suffix}] if suffix is not None else [])
    q: dict[str, Any] = {"QueueArn": arn, "Events": list(events)}
    if rules:
        q["Filter"] = {"Key": {"FilterRules": rules}}
    if rule_id:
        q["Id"] = rule_id
    return q


def configure(s3: Any, bucket: str, *queues: dict[str, Any]) -> None:
    s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration={
        "QueueConfigurations": list(queues)})


def error_of(caught: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    return caught.value.response["Error"]["Code"], caught.value.response["Error"].get("Message", "")


# -- configuration ---------------------------------------------------------------------------------

def test_configuration_round_trip(s3n: Any, nbucket: str) -> None:
    got = s3n.get_bucket_notification_configuration(Bucket=nbucket)
    assert not got.get("QueueConfigurations")
    configure(s3n, nbucket, queue(prefix="images/", suffix=".jpg", rule_id="pics"),
              queue(events=("s3:ObjectRemoved:Delete",), prefix="logs/"))
    got = s3n.get_bucket_notification_configuration(Bucket=nbucket)["QueueConfigurations"]
    assert got[0]["Id"] == "pics" and got[0]["QueueArn"] == "arn:minio:sqs::1:webhook"
    assert got[0]["Events"] == ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"]
    assert got[0]["Filter"]["Key"]["FilterRules"] == [{"Name": "prefix", "Value": "images/"},
                                                       {"Name": "suffix", "Value": ".jpg"}]
    assert got[1]["Id"]  # generated, as S3 does
    s3n.put_bucket_notification_configuration(Bucket=nbucket, NotificationConfiguration={})
    assert not s3n.get_bucket_notification_configuration(Bucket=nbucket).get("QueueConfigurations")


@pytest.mark.parametrize("queues, code, message", [
    ([queue(arn="arn:minio:sqs::nope:webhook")], "InvalidArgument", "destination ARN does not exist"),
    ([queue(arn="arn:minio:sqs::OFF:webhook")], "InvalidArgument", "destination ARN does not exist"),
    ([queue(arn="arn:minio:sqs:eu-west-9:1:webhook")], "InvalidArgument", "destination ARN"),
    ([queue(arn="arn:aws:sqs:us-east-1:123:q")], "InvalidArgument", "destination ARN"),
    ([queue(events=("s3:ObjectCreated:Put",), prefix="a/"),
      queue(events=("s3:ObjectCreated:*",), prefix="a/b")],
     "InvalidArgument", "Configurations overlap"),
    ([queue(events=("s3:ObjectCreated:Put",)), queue(events=("s3:ObjectCreated:Put",), suffix=".jpg")],
     "InvalidArgument", "Configurations overlap"),
    ([queue(events=("s3:ObjectCreated:Nonsense",))], "InvalidArgument", "not supported"),
])
def test_refused_configurations_change_nothing(s3n: Any, nbucket: str, queues: list[dict[str, Any]],
                                               code: str, message: str) -> None:
    configure(s3n, nbucket, queue(rule_id="kept"))
    with pytest.raises(ClientError) as caught:
        configure(s3n, nbucket, *queues)
    assert error_of(caught)[0] == code and message in error_of(caught)[1]
    got = s3n.get_bucket_notification_configuration(Bucket=nbucket)["QueueConfigurations"]
    assert [q["Id"] for q in got] == ["kept"]


def test_distinct_filters_do_not_overlap(s3n: Any, nbucket: str) -> None:
    configure(s3n, nbucket, queue(events=("s3:ObjectCreated:*",), prefix="a/"),
              queue(events=("s3:ObjectCreated:*",), prefix="b/"),
              queue(events=("s3:ObjectCreated:Put",), suffix=".png", prefix="c/"),
              queue(events=("s3:ObjectCreated:Put",), suffix=".jpg", prefix="c/"))
    assert len(s3n.get_bucket_notification_configuration(Bucket=nbucket)["QueueConfigurations"]) == 4


def raw_put_config(server: Server, bucket: str, body: bytes) -> tuple[int, str]:
    """PUT ?notification with exactly this body (SigV4 by botocore's signer); status and error code."""
    target = f"/{bucket}?notification"
    headers = {"Host": f"127.0.0.1:{server.port}"}
    request = AWSRequest(method="PUT", url=f"{server.endpoint}{target}", data=body, headers=headers)
    S3SigV4Auth(Credentials(ACCESS_KEY, SECRET_KEY), "s3", "us-east-1").add_auth(request)
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        conn.request("PUT", target, body=body, headers=dict(request.headers.items()))
        resp = conn.getresponse()
        found = re.search(rb"<Code>([^<]*)</Code>", resp.read())
        return resp.status, found.group(1).decode() if found else ""
    finally:
        conn.close()


@pytest.mark.parametrize("body", [
    b"<NotificationConfiguration><QueueConfiguration><Event>s3:ObjectCreated:*</Event>"
    b"</QueueConfiguration></NotificationConfiguration>",  # no Queue ARN
    b"<NotificationConfiguration><QueueConfiguration><Queue>arn:minio:sqs::1:webhook</Queue>"
    b"</QueueConfiguration></NotificationConfiguration>",  # no Event
    b"<NotificationConfiguration><Bogus/></NotificationConfiguration>",
    b"<NotificationConfiguration><QueueConfiguration><Queue>arn:minio:sqs::1:webhook</Queue>"
    b"<Event>s3:ObjectCreated:*</Event><Filter><S3Key><FilterRule><Name>prefix</Name></FilterRule>"
    b"</S3Key></Filter></QueueConfiguration></NotificationConfiguration>",  # a rule without Value
    b"<NotificationConfiguration><QueueConfiguration>",
    b"<!DOCTYPE x [<!ENTITY a 'b'>]><NotificationConfiguration/>",
    b"<NotificationConfiguration>" + b"<QueueConfiguration><Queue>arn:minio:sqs::1:webhook</Queue>"
    b"<Event>s3:ObjectCreated:Put</Event></QueueConfiguration>" * 5000 + b"</NotificationConfiguration>",
])
def test_malformed_and_oversized_documents(notify_server: Server, s3n: Any, nbucket: str, body: bytes
                                           ) -> None:
    configure(s3n, nbucket, queue(rule_id="kept"))
    assert raw_put_config(notify_server, nbucket, body) == (400, "MalformedXML")
    got = s3n.get_bucket_notification_configuration(Bucket=nbucket)["QueueConfigurations"]
    assert [q["Id"] for q in got] == ["kept"]


# -- the events ------------------------------------------------------------------------------------

def record(body: dict[str, Any]) -> dict[str, Any]:
    (rec,) = body["Records"]
    return rec  # type: ignore[no-any-return]


def test_every_kind_of_event(notify_server: Server, receiver: Receiver, s3n: Any, nbucket: str) -> None:
    configure(s3n, nbucket, queue(rule_id="all"))
    put = s3n.put_object(Bucket=nbucket, Key="dir/a file+.txt", Body=b"hello")
    s3n.copy_object(Bucket=nbucket, Key="copy.txt", CopySource={"Bucket": nbucket, "Key": "dir/a file+.txt"})
    up = s3n.create_multipart_upload(Bucket=nbucket, Key="multi.bin")
    part = s3n.upload_part(Bucket=nbucket, Key="multi.bin", UploadId=up["UploadId"], PartNumber=1,
                           Body=b"m" * 1000)
    done = s3n.complete_multipart_upload(Bucket=nbucket, Key="multi.bin", UploadId=up["UploadId"],
                                         MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]})
    s3n.delete_object(Bucket=nbucket, Key="copy.txt")
    s3n.delete_objects(Bucket=nbucket, Delete={"Objects": [{"Key": "multi.bin"}, {"Key": "dir/a file+.txt"}]})
    bodies = receiver.wait(nbucket, 6)
    names = [(b["EventName"], b["Key"]) for b in bodies]
    assert names == [
        ("s3:ObjectCreated:Put", f"{nbucket}/dir/a file+.txt"),
        ("s3:ObjectCreated:Copy", f"{nbucket}/copy.txt"),
        ("s3:ObjectCreated:CompleteMultipartUpload", f"{nbucket}/multi.bin"),
        ("s3:ObjectRemoved:Delete", f"{nbucket}/copy.txt"),
        ("s3:ObjectRemoved:Delete", f"{nbucket}/multi.bin"),
        ("s3:ObjectRemoved:Delete", f"{nbucket}/dir/a file+.txt"),
    ]
    assert set(receiver.auth) == {f"Bearer {TOKEN}"}
    first = record(bodies[0])
    assert first["eventVersion"] == "2.0" and first["eventSource"] == "minio:s3"
    assert first["awsRegion"] == "us-east-1" and first["eventName"] == "ObjectCreated:Put"
    assert first["eventTime"].endswith("Z")
    assert first["userIdentity"]["principalId"] == ACCESS_KEY
    assert first["requestParameters"]["sourceIPAddress"] == "127.0.0.1"
    assert first["responseElements"]["x-amz-request-id"] == put["ResponseMetadata"]["RequestId"]
    s3 = first["s3"]
    assert s3["configurationId"] == "all"
    assert s3["bucket"] == {"name": nbucket, "arn": f"arn:aws:s3:::{nbucket}",
                            "ownerIdentity": {"principalId": ACCESS_KEY}}
    assert s3["object"]["key"] == "dir/a+file%2B.txt"
    assert unquote_plus(s3["object"]["key"]) == "dir/a file+.txt"
    assert s3["object"]["size"] == 5 and s3["object"]["eTag"] == put["ETag"].strip('"')
    assert "versionId" not in s3["object"]  # an unversioned bucket's null version
    copy = record(bodies[1])["s3"]["object"]
    assert copy["size"] == 5 and copy["eTag"] == put["ETag"].strip('"')
    multi = record(bodies[2])["s3"]["object"]
    assert multi["size"] == 1000 and multi["eTag"] == done["ETag"].strip('"')
    sequencers = [record(b)["s3"]["object"]["sequencer"] for b in bodies]
    assert all(len(s) == 16 for s in sequencers)


def test_a_form_upload_is_an_object_created_post(receiver: Receiver, s3n: Any, nbucket: str) -> None:
    import urllib3

    configure(s3n, nbucket, queue(events=("s3:ObjectCreated:Post",)))
    form = s3n.generate_presigned_post(nbucket, "forms/${filename}", ExpiresIn=300)
    data = b"posted body"
    body, content_type = urllib3.encode_multipart_formdata(
        [*form["fields"].items(), ("file", ("f.txt", data, "text/plain"))])
    r = urllib3.PoolManager(retries=False).request("POST", form["url"], body=body,
                                                   headers={"Content-Type": content_type})
    assert r.status == 204, r.data
    s3n.put_object(Bucket=nbucket, Key="forms/not-a-post", Body=b"x")  # not asked for
    (got,) = receiver.wait(nbucket, 1)
    assert got["EventName"] == "s3:ObjectCreated:Post" and got["Key"] == f"{nbucket}/forms/f.txt"
    obj = record(got)["s3"]["object"]
    assert obj["size"] == len(data) and obj["eTag"] == r.headers["ETag"].strip('"')


def test_versioned_bucket_events(receiver: Receiver, s3n: Any, nbucket: str) -> None:
    s3n.put_bucket_versioning(Bucket=nbucket, VersioningConfiguration={"Status": "Enabled"})
    configure(s3n, nbucket, queue())
    v1 = s3n.put_object(Bucket=nbucket, Key="k", Body=b"one")["VersionId"]
    marker = s3n.delete_object(Bucket=nbucket, Key="k")
    s3n.delete_objects(Bucket=nbucket, Delete={"Objects": [{"Key": "k"}]})  # another marker
    s3n.delete_object(Bucket=nbucket, Key="k", VersionId=v1)  # a version removed
    bodies = receiver.wait(nbucket, 4)
    assert [b["EventName"] for b in bodies] == [
        "s3:ObjectCreated:Put", "s3:ObjectRemoved:DeleteMarkerCreated",
        "s3:ObjectRemoved:DeleteMarkerCreated", "s3:ObjectRemoved:Delete"]
    objs = [record(b)["s3"]["object"] for b in bodies]
    assert objs[0]["versionId"] == v1
    assert objs[1]["versionId"] == marker["VersionId"]
    assert objs[2]["versionId"] not in (v1, marker["VersionId"])
    assert objs[3]["versionId"] == v1


def test_prefix_and_suffix_filters(receiver: Receiver, s3n: Any, nbucket: str) -> None:
    configure(s3n, nbucket, queue(events=("s3:ObjectCreated:Put",), prefix="img/", suffix=".jpg"),
              queue(events=("s3:ObjectRemoved:*",), prefix="logs/"))
    for key in ("img/a.jpg", "img/a.png", "other/b.jpg", "img.jpg", "logs/x"):
        s3n.put_object(Bucket=nbucket, Key=key, Body=b"x")
    for key in ("img/a.jpg", "logs/x"):
        s3n.delete_object(Bucket=nbucket, Key=key)
    bodies = receiver.wait(nbucket, 2)
    assert [(b["EventName"], b["Key"]) for b in bodies] == [
        ("s3:ObjectCreated:Put", f"{nbucket}/img/a.jpg"), ("s3:ObjectRemoved:Delete", f"{nbucket}/logs/x")]


def test_accessed_and_tagging_events(receiver: Receiver, s3n: Any, nbucket: str) -> None:
    s3n.put_object(Bucket=nbucket, Key="t", Body=b"data")
    configure(s3n, nbucket, queue(events=("s3:ObjectAccessed:*", "s3:ObjectTagging:*")))
    s3n.get_object(Bucket=nbucket, Key="t")["Body"].read()
    s3n.head_object(Bucket=nbucket, Key="t")
    s3n.put_object_tagging(Bucket=nbucket, Key="t", Tagging={"TagSet": [{"Key": "a", "Value": "b"}]})
    s3n.delete_object_tagging(Bucket=nbucket, Key="t")
    configure(s3n, nbucket, queue(events=("s3:ObjectAccessed:Head", "s3:ObjectAccessed:Attributes",
                                          "s3:ObjectAcl:Put")))
    s3n.get_object(Bucket=nbucket, Key="t")["Body"].read()  # not asked for any more
    s3n.head_object(Bucket=nbucket, Key="t")
    s3n.get_object_attributes(Bucket=nbucket, Key="t", ObjectAttributes=["ETag"])
    s3n.put_object_acl(Bucket=nbucket, Key="t", ACL="private")
    bodies = receiver.wait(nbucket, 7)
    assert [b["EventName"] for b in bodies] == ["s3:ObjectAccessed:Get", "s3:ObjectAccessed:Head",
                                                "s3:ObjectTagging:Put", "s3:ObjectTagging:Delete",
                                                "s3:ObjectAccessed:Head", "s3:ObjectAccessed:Attributes",
                                                "s3:ObjectAcl:Put"]
    assert record(bodies[5])["s3"]["object"]["size"] == 4
    assert record(bodies[0])["s3"]["object"]["size"] == 4


# -- delivery --------------------------------------------------------------------------------------

def test_events_emitted_while_the_receiver_is_down_all_arrive(receiver: Receiver, s3n: Any, nbucket: str
                                                              ) -> None:
    configure(s3n, nbucket, queue(events=("s3:ObjectCreated:*",)))
    receiver.stop()
    try:
        keys = [f"k{i:03d}" for i in range(30)]
        for key in keys:
            s3n.put_object(Bucket=nbucket, Key=key, Body=b"x")
        time.sleep(2)  # the target refused meanwhile: the server backs off, the events wait
        assert receiver.events(nbucket) == []
    finally:
        receiver.start()
    bodies = receiver.wait(nbucket, len(keys), seconds=60)
    assert [b["Key"] for b in bodies] == [f"{nbucket}/{k}" for k in keys]  # all, once each, in order


def test_a_hanging_target_stalls_no_request(receiver: Receiver, s3n: Any, nbucket: str) -> None:
    configure(s3n, nbucket, queue(arn="arn:minio:sqs::HANG:webhook", events=("s3:ObjectCreated:*",)))
    latencies = []
    for i in range(20):
        start = time.monotonic()
        s3n.put_object(Bucket=nbucket, Key=f"h{i}", Body=b"x" * 1000)
        latencies.append(time.monotonic() - start)
        time.sleep(0.05)
    assert max(latencies) < 2.0, latencies
    # and another target's delivery goes on meanwhile
    other = f"ev-{uuid.uuid4().hex[:12]}"
    s3n.create_bucket(Bucket=other)
    try:
        configure(s3n, other, queue(events=("s3:ObjectCreated:*",)))
        s3n.put_object(Bucket=other, Key="fine", Body=b"x")
        assert [b["Key"] for b in receiver.wait(other, 1)] == [f"{other}/fine"]
    finally:
        cleanup_bucket(s3n, other)


def test_events_pending_across_a_restart_are_delivered(tmp_path: Path, hanging: int) -> None:
    down = Receiver()  # not started: the target refuses connections
    server = start_server(tmp_path, workers=1, env_extra=webhook_env(down.port, hanging))
    try:
        s3 = client(server)
        s3.create_bucket(Bucket="restart")
        configure(s3, "restart", queue())
        for i in range(10):
            s3.put_object(Bucket="restart", Key=f"r{i}", Body=b"x")
        s3.delete_object(Bucket="restart", Key="r0")
    finally:
        stop_server_process(server.process)
    down.start()
    try:
        time.sleep(0.5)
        assert down.events("restart") == []  # nobody sent anything while the server was down
        server = start_server(tmp_path, workers=2, env_extra=webhook_env(down.port, hanging))
        try:
            bodies = down.wait("restart", 11, seconds=60)
            assert [(b["EventName"], b["Key"]) for b in bodies] == [
                *[("s3:ObjectCreated:Put", f"restart/r{i}") for i in range(10)],
                ("s3:ObjectRemoved:Delete", "restart/r0")]
        finally:
            stop_server_process(server.process)
    finally:
        down.stop()


def dropped_over_limit(log: str, limit: int) -> int:
    """Events the delivery reported dropped at queue limit `limit`, summed over its log lines."""
    return sum(int(n) for n in re.findall(rf"queue limit {limit} reached, (\d+) events? dropped", log))


def test_a_target_down_keeps_at_most_its_queue_limit(tmp_path: Path, hanging: int) -> None:
    down = Receiver()  # not started: the target refuses connections
    env = {**webhook_env(down.port, hanging), "MINIO_NOTIFY_WEBHOOK_QUEUE_LIMIT_1": "5"}
    server = start_server(tmp_path, workers=1, env_extra=env)
    try:
        s3 = client(server)
        s3.create_bucket(Bucket="bounded")
        configure(s3, "bounded", queue())
        for i in range(8):
            s3.put_object(Bucket="bounded", Key=f"b{i}", Body=b"x")  # never refused, never slow
        # a busy machine can log the 3 drops over more than one pass: count them all
        assert wait_for(lambda: dropped_over_limit(server.log.read_text(), 5) == 3)
        down.start()
        bodies = down.wait("bounded", 5)
        time.sleep(1)
        assert [b["Key"] for b in down.events("bounded")] == [f"bounded/b{i}" for i in range(5)]
        assert len(bodies) == 5
    finally:
        stop_server_process(server.process)
        down.stop()


def test_lifecycle_expirations_are_notified(tmp_path: Path, receiver: Receiver, hanging: int) -> None:
    env = {**webhook_env(receiver.port, hanging), "CAIRN_LIFECYCLE_DAY_SECONDS": "2"}
    server = start_server(tmp_path, workers=1, extra=("--scanner-interval", "0.5s"), env_extra=env)
    try:
        s3 = client(server)
        s3.create_bucket(Bucket="expiring")
        s3.put_bucket_versioning(Bucket="expiring", VersioningConfiguration={"Status": "Enabled"})
        configure(s3, "expiring", queue(events=("s3:LifecycleExpiration:*",), prefix="tmp/"),
                  queue(events=("s3:ObjectRemoved:*",), prefix="old/"))
        s3.put_bucket_lifecycle_configuration(Bucket="expiring", LifecycleConfiguration={"Rules": [
            {"ID": "tmp", "Filter": {"Prefix": ""}, "Status": "Enabled", "Expiration": {"Days": 1}}]})
        s3.put_object(Bucket="expiring", Key="tmp/a", Body=b"x")
        s3.put_object(Bucket="expiring", Key="old/b", Body=b"x")
        bodies = receiver.wait("expiring", 2, seconds=60)
        assert sorted((b["EventName"], b["Key"]) for b in bodies) == [
            ("s3:LifecycleExpiration:DeleteMarkerCreated", "expiring/tmp/a"),
            ("s3:ObjectRemoved:DeleteMarkerCreated", "expiring/old/b")]
        assert {record(b)["source"]["userAgent"] for b in bodies} == {"Internal: [ILM-Expiry]"}
    finally:
        stop_server_process(server.process)


# -- mc event --------------------------------------------------------------------------------------

@NEEDS_MC
def test_mc_event_add_ls_rm(notify_server: Server, receiver: Receiver, s3n: Any, nbucket: str,
                            tmp_path: Path) -> None:
    mc = Mc(notify_server, tmp_path / "mc")
    (info,) = mc("admin", "info", "cairn")
    assert "arn:minio:sqs:us-east-1:1:webhook" in info["info"]["sqsARN"]
    mc("event", "add", f"cairn/{nbucket}", "arn:minio:sqs::1:webhook", "--event", "put,delete",
       "--prefix", "p", "--suffix", ".jpg")
    listed = mc("event", "ls", f"cairn/{nbucket}")
    assert len(listed) == 1
    entry = listed[0]
    assert entry["arn"] == "arn:minio:sqs::1:webhook"
    assert set(entry["event"]) == {"s3:ObjectCreated:*", "s3:ObjectRemoved:*"}
    assert entry["prefix"] == "p" and entry["suffix"] == ".jpg"
    s3n.put_object(Bucket=nbucket, Key="p1.jpg", Body=b"x")
    s3n.put_object(Bucket=nbucket, Key="q1.jpg", Body=b"x")
    assert [b["Key"] for b in receiver.wait(nbucket, 1)] == [f"{nbucket}/p1.jpg"]
    mc("event", "rm", f"cairn/{nbucket}", "arn:minio:sqs::1:webhook", "--event", "put,delete",
       "--prefix", "p", "--suffix", ".jpg")
    assert mc("event", "ls", f"cairn/{nbucket}") == []
    assert not s3n.get_bucket_notification_configuration(Bucket=nbucket).get("QueueConfigurations")


def wait_for(check: Callable[[], bool], seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            if check():
                return True
        time.sleep(0.1)
    return False
