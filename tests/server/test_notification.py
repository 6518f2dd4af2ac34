"""Bucket notifications, server side: the NotificationConfiguration document (checks and the
form GET answers), event names and filters, the event records, the webhook targets read from the
environment, the webhook HTTP client, and the delivery's bound and order over a real engine."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import trio
from hypothesis import given, settings
from hypothesis import strategies as st

from cairn.engine.api import BucketInfo, NotificationConfig, NotificationRule, ObjectLayer
from cairn.server.context import ObjectEvent, Response, ServerConfig, WebhookTarget
from cairn.server.delivery import (
    Delivery,
    DeliveryError,
    WebhookClient,
    authorization,
    pending_events,
    post,
    queued_events,
)
from cairn.server.errors import S3Error
from cairn.server.handlers.notification import (
    BAD_ARN,
    OVERLAP,
    _clash,
    notification_configuration_xml,
    overlap,
    parse_notification_configuration,
)
from cairn.server.notification import (
    EVENT_NAMES,
    LIFECYCLE,
    Notifier,
    event_record,
    events_of,
    lifecycle_notifier,
    origin_of,
    parse_arn,
    webhook_body,
)
from cairn.server.webhooks import webhook_targets

ARN = "arn:minio:sqs::1:webhook"
CONFIG = ServerConfig(region="us-east-1", webhooks=(WebhookTarget("1", "http://127.0.0.1:1/"),
                                                    WebhookTarget("_", "http://127.0.0.1:1/")))


def ctx(**extra: Any) -> Any:
    return SimpleNamespace(config=CONFIG, **extra)


def queue_xml(*events: str, arn: str = ARN, rule_id: str | None = "q", filters: str = "",
              kind: str = "Queue") -> str:
    ident = f"<Id>{rule_id}</Id>" if rule_id is not None else ""
    return (f"<{kind}Configuration>{ident}<{kind}>{arn}</{kind}>"
            + "".join(f"<Event>{e}</Event>" for e in events)
            + (f"<Filter><S3Key>{filters}</S3Key></Filter>" if filters else "") + f"</{kind}Configuration>")


def rule(name: str, value: str) -> str:
    return f"<FilterRule><Name>{name}</Name><Value>{value}</Value></FilterRule>"


def doc(*configs: str) -> bytes:
    return ('<NotificationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' + "".join(configs)
            + "</NotificationConfiguration>").encode()


def parse(body: bytes) -> NotificationConfig:
    return parse_notification_configuration(body, ctx())


def refused(body: bytes) -> S3Error:
    with pytest.raises(S3Error) as caught:
        parse(body)
    return caught.value


# -- the document ----------------------------------------------------------------------------------

def test_a_document_of_every_kind_round_trips() -> None:
    body = doc(queue_xml("s3:ObjectCreated:*", filters=rule("prefix", "img/") + rule("Suffix", ".jpg")),
               queue_xml("s3:ObjectRemoved:Delete", kind="Topic", rule_id="t"),
               queue_xml("s3:ObjectAccessed:Get", kind="CloudFunction", rule_id="f",
                         arn="arn:minio:sqs:us-east-1:_:webhook"))
    config = parse(body)
    assert [(r.kind, r.id, r.arn, r.events, r.prefix, r.suffix) for r in config.rules] == [
        ("Queue", "q", ARN, ("s3:ObjectCreated:*",), "img/", ".jpg"),
        ("Topic", "t", ARN, ("s3:ObjectRemoved:Delete",), "", ""),
        ("CloudFunction", "f", "arn:minio:sqs:us-east-1:_:webhook", ("s3:ObjectAccessed:Get",), "", "")]
    assert NotificationConfig.from_doc(config.to_doc()) == config
    again = parse(notification_configuration_xml(config))
    assert sorted(again.rules, key=lambda r: r.id) == sorted(config.rules, key=lambda r: r.id)
    assert b"<Name>Suffix</Name>" in notification_configuration_xml(config)  # the Name as sent


def test_an_empty_document_and_no_configuration() -> None:
    assert parse(doc()).rules == ()
    assert notification_configuration_xml(None).endswith(
        b'<NotificationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"></NotificationConfiguration>')


def test_a_configuration_without_id_gets_one() -> None:
    a, b = parse(doc(queue_xml("s3:ObjectCreated:*", rule_id=None))).rules[0], \
        parse(doc(queue_xml("s3:ObjectCreated:*", rule_id=None))).rules[0]
    assert a.id and b.id and a.id != b.id


@pytest.mark.parametrize("body", [
    b"<NotificationConfiguration><QueueConfiguration/></NotificationConfiguration>",
    doc(queue_xml()),  # no Event
    doc(queue_xml("s3:ObjectCreated:*").replace(f"<Queue>{ARN}</Queue>", "")),  # no ARN
    doc(queue_xml("s3:ObjectCreated:*").replace(f"<Queue>{ARN}</Queue>", f"<Queue>{ARN}</Queue>" * 2)),
    doc(queue_xml("s3:ObjectCreated:*").replace("<Queue>", "<Topic>").replace("</Queue>", "</Topic>")),
    doc(queue_xml("s3:ObjectCreated:*", rule_id="a").replace("<Id>a</Id>", "<Id>a</Id><Id>b</Id>")),
    doc(queue_xml("s3:ObjectCreated:*", filters="<FilterRule><Name>prefix</Name></FilterRule>")),
    doc(queue_xml("s3:ObjectCreated:*", filters=rule("prefix", "a") + "<Other/>")),
    doc(queue_xml("s3:ObjectCreated:*") + "<EventBridgeConfiguration/>"),
    doc("<Bogus/>"),
    b"<Other/>",
    b"<NotificationConfiguration>text</NotificationConfiguration>",
    b"<NotificationConfiguration>",
    b"<!DOCTYPE x [<!ENTITY e 'x'>]><NotificationConfiguration>&e;</NotificationConfiguration>",
])
def test_shapes_are_malformed_xml(body: bytes) -> None:
    assert refused(body).code == "MalformedXML"


@pytest.mark.parametrize("configs, message", [
    ([queue_xml("s3:ObjectCreated:Nope")], "not supported"),
    ([queue_xml("ObjectCreated:Put")], "not supported"),  # the s3: prefix is part of the name
    ([queue_xml("s3:ObjectCreated:Put", "s3:ObjectCreated:Put")], "twice"),
    ([queue_xml("s3:ObjectCreated:Put", filters=rule("middle", "x"))], "prefix or suffix"),
    ([queue_xml("s3:ObjectCreated:Put", filters=rule("prefix", "a") + rule("Prefix", "b"))],
     "more than one prefix"),
    ([queue_xml("s3:ObjectCreated:Put", filters=rule("suffix", "x" * 1025))], "1024 bytes"),
    ([queue_xml("s3:ObjectCreated:Put", arn="arn:minio:sqs::2:webhook")], BAD_ARN),
    ([queue_xml("s3:ObjectCreated:Put", arn="arn:minio:sqs:eu-west-1:1:webhook")], BAD_ARN),
    ([queue_xml("s3:ObjectCreated:Put", arn="arn:minio:sqs::1:kafka")], BAD_ARN),
    ([queue_xml("s3:ObjectCreated:Put", arn="arn:minio:sqs::1")], BAD_ARN),
    ([queue_xml("s3:ObjectCreated:Put", arn="arn:aws:sqs:us-east-1:123456789012:q")], BAD_ARN),
    ([queue_xml("s3:ObjectCreated:Put", rule_id="a"), queue_xml("s3:ObjectCreated:*", rule_id="b")], OVERLAP),
    ([queue_xml("s3:ObjectRemoved:*", rule_id="a", filters=rule("prefix", "logs/")),
      queue_xml("s3:ObjectRemoved:Delete", rule_id="b", kind="Topic", filters=rule("prefix", "logs/2024/"))],
     OVERLAP),
    ([queue_xml("s3:ObjectCreated:Put", rule_id="a", filters=rule("suffix", ".jpg")),
      queue_xml("s3:ObjectCreated:Put", rule_id="b", filters=rule("suffix", "x.jpg"))], OVERLAP),
])
def test_values_are_invalid_argument(configs: list[str], message: str) -> None:
    exc = refused(doc(*configs))
    assert exc.code == "InvalidArgument" and message in exc.message


@pytest.mark.parametrize("a, b, overlapping", [
    (("s3:ObjectCreated:*", "", ""), ("s3:ObjectRemoved:*", "", ""), False),
    (("s3:ObjectCreated:*", "a/", ""), ("s3:ObjectCreated:*", "b/", ""), False),
    (("s3:ObjectCreated:*", "a/", ""), ("s3:ObjectCreated:Put", "", ""), True),
    (("s3:ObjectCreated:Put", "", ".jpg"), ("s3:ObjectCreated:Put", "", ".png"), False),
    (("s3:ObjectCreated:Put", "a", ".jpg"), ("s3:ObjectCreated:Put", "b", ".jpg"), False),
    (("s3:ObjectCreated:Copy", "", ""), ("s3:ObjectCreated:Put", "", ""), False),
    (("s3:ObjectTagging:*", "", ""), ("s3:ObjectTagging:Delete", "", ""), True),
])
def test_overlap(a: tuple[str, str, str], b: tuple[str, str, str], overlapping: bool) -> None:
    def make(event: str, prefix: str, suffix: str) -> NotificationRule:
        return NotificationRule("Queue", ARN, (event,), "x", (("prefix", prefix), ("suffix", suffix)))

    assert overlap(make(*a), make(*b)) is overlapping and overlap(make(*b), make(*a)) is overlapping


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.text("ab/", max_size=3), st.text("ab.", max_size=3)), max_size=8))
def test_the_overlap_walk_finds_what_comparing_every_pair_finds(filters: list[tuple[str, str]]) -> None:
    def make(prefix: str, suffix: str) -> NotificationRule:
        return NotificationRule("Queue", ARN, ("s3:ObjectCreated:Put",), "x",
                                (("prefix", prefix), ("suffix", suffix)))

    rules = [make(p, s) for p, s in filters]
    pairwise = any(overlap(a, b) for i, a in enumerate(rules) for b in rules[i + 1:])
    assert _clash(filters) is pairwise


def test_the_largest_hostile_document_is_checked_quickly() -> None:
    one = ("<QueueConfiguration><Queue>arn:minio:sqs::1:webhook</Queue><Event>s3:ObjectCreated:Put</Event>"
           "<Filter><S3Key><FilterRule><Name>suffix</Name><Value>.{}</Value></FilterRule></S3Key></Filter>"
           "</QueueConfiguration>")
    body = doc(*(one.format(i) for i in range(1200)))  # no two clash: every pair has to be ruled out
    start = time.monotonic()
    assert len(parse(body).rules) == 1200
    assert time.monotonic() - start < 3  # a pair by pair check took 11 s here


def test_a_rule_wants_its_events_and_keys() -> None:
    r = NotificationRule("Queue", ARN, ("s3:ObjectCreated:*", "s3:ObjectRemoved:Delete"), "x",
                         (("prefix", "img/"), ("suffix", ".jpg")))
    assert r.wants("s3:ObjectCreated:Put", "img/a.jpg") and r.wants("s3:ObjectCreated:Copy", "img/b/c.jpg")
    assert r.wants("s3:ObjectRemoved:Delete", "img/a.jpg")
    assert not r.wants("s3:ObjectRemoved:DeleteMarkerCreated", "img/a.jpg")
    assert not r.wants("s3:ObjectCreated:Put", "img/a.png") and not r.wants("s3:ObjectCreated:Put", "x/a.jpg")
    assert not r.wants("s3:ObjectCreatedX:Put", "img/a.jpg")


def test_what_mc_event_add_sends_is_known() -> None:
    for name in ("s3:ObjectCreated:*", "s3:ObjectRemoved:*", "s3:ObjectAccessed:*", "s3:ObjectRemoved:NoOP",
                 "s3:ObjectRestore:Post", "s3:Replication:*", "s3:LifecycleExpiration:*",
                 "s3:ObjectTagging:*"):
        assert name in EVENT_NAMES
    assert parse_arn(ARN) == ("", "1", "webhook") and parse_arn("arn:minio:sqs:r:1") is None


# -- what happened, and its record -------------------------------------------------------------------

def request_ctx(operation: str, key: str | None, query: dict[str, str] | None = None,
                headers: dict[str, str] | None = None, content_length: int | None = 5) -> Any:
    sent = {"user-agent": "boto3", **(headers or {})}
    request = SimpleNamespace(header=lambda name, default=None: sent.get(name, default),
                              content_length=content_length)
    return SimpleNamespace(operation=operation, key_name=key, query=query or {}, config=CONFIG,
                           principal=SimpleNamespace(account="alice"),
                           identity=SimpleNamespace(access_key="AK"), request_id="REQ1",
                           source_ip="10.0.0.7", header=request.header, request=request)


@pytest.mark.parametrize("operation, headers, query, expected", [
    ("DeleteObject", [], {}, ObjectEvent("s3:ObjectRemoved:Delete", "k", None, 0, "")),
    ("DeleteObject", [("x-amz-delete-marker", "true"), ("x-amz-version-id", "m1")], {},
     ObjectEvent("s3:ObjectRemoved:DeleteMarkerCreated", "k", "m1", 0, "")),
    ("DeleteObject", [("x-amz-delete-marker", "true"), ("x-amz-version-id", "m1")], {"versionId": "m1"},
     ObjectEvent("s3:ObjectRemoved:Delete", "k", "m1", 0, "")),  # a marker removed by id
    ("PutObject", [("ETag", '"e"'), ("x-amz-version-id", "v")], {},
     ObjectEvent("s3:ObjectCreated:Put", "k", "v", 5, "e")),  # as sent: nothing to read back
    ("CopyObject", [], {}, ObjectEvent("s3:ObjectCreated:Copy", "k")),
    ("PutObjectTagging", [("x-amz-version-id", "v")], {}, ObjectEvent("s3:ObjectTagging:Put", "k", "v")),
])
def test_events_of(operation: str, headers: list[tuple[str, str]], query: dict[str, str],
                   expected: ObjectEvent) -> None:
    assert events_of(request_ctx(operation, "k", query), Response(200, headers)) == [expected]


def test_a_streamed_put_is_as_long_as_its_decoded_body() -> None:
    ctx = request_ctx("PutObject", "k", headers={"x-amz-decoded-content-length": "1000"}, content_length=1100)
    assert events_of(ctx, Response(200, [("ETag", '"e"')]))[0].size == 1000


def test_events_handed_over_win_and_bucket_operations_make_none() -> None:
    handed = [ObjectEvent("s3:ObjectRemoved:Delete", "a", None, 0, "")]
    assert events_of(request_ctx("DeleteObjects", None), Response(200, [], events=handed)) == handed
    assert events_of(request_ctx("PutBucketCors", None), Response(200)) == []
    assert events_of(request_ctx("GetObject", "k"), Response(200, [("x-amz-delete-marker", "true")])) == []


def test_the_record_and_the_webhook_body() -> None:
    info = BucketInfo("photos", 0, owner="alice")
    r = NotificationRule("Queue", ARN, ("s3:ObjectCreated:*",), "cfg")
    event = ObjectEvent("s3:ObjectCreated:Put", "a b/ü+.jpg", "v1", 123, "abc")
    now = 1_700_000_000_123_456_789
    rec = event_record(CONFIG, origin_of(request_ctx("PutObject", event.key)), info, r, event, now, "HOST")
    assert rec["eventVersion"] == "2.0" and rec["eventSource"] == "minio:s3"
    assert rec["eventName"] == "ObjectCreated:Put" and rec["eventTime"] == "2023-11-14T22:13:20.123Z"
    assert rec["userIdentity"] == {"principalId": "AK"}
    assert rec["requestParameters"] == {"principalId": "AK", "region": "us-east-1",
                                        "sourceIPAddress": "10.0.0.7"}
    assert rec["responseElements"] == {"x-amz-request-id": "REQ1", "x-amz-id-2": "HOST"}
    s3 = rec["s3"]
    assert isinstance(s3, dict)
    assert s3["configurationId"] == "cfg"
    assert s3["bucket"] == {"name": "photos", "arn": "arn:aws:s3:::photos",
                            "ownerIdentity": {"principalId": "alice"}}
    assert s3["object"] == {"key": "a+b/%C3%BC%2B.jpg", "size": 123, "eTag": "abc", "versionId": "v1",
                            "sequencer": f"{now:016X}"}
    body = json.loads(webhook_body("photos", event, rec))
    assert body == {"EventName": "s3:ObjectCreated:Put", "Key": "photos/a b/ü+.jpg", "Records": [rec]}
    gone = ObjectEvent("s3:ObjectRemoved:Delete", "k", "null", 0, "")
    removed = event_record(CONFIG, LIFECYCLE, info, r, gone, now)
    obj = removed["s3"]["object"]  # type: ignore[index]
    assert "size" not in obj and "versionId" not in obj  # as S3: no size for removals, no null version
    assert removed["source"] == {"host": "", "port": "", "userAgent": "Internal: [ILM-Expiry]"}


# -- the targets ---------------------------------------------------------------------------------------

def test_webhook_targets_from_the_environment() -> None:
    env = {
        "MINIO_NOTIFY_WEBHOOK_ENABLE_1": "on", "MINIO_NOTIFY_WEBHOOK_ENDPOINT_1": "http://a:1/x",
        "MINIO_NOTIFY_WEBHOOK_AUTH_TOKEN_1": "tok", "MINIO_NOTIFY_WEBHOOK_QUEUE_LIMIT_1": "10",
        "MINIO_NOTIFY_WEBHOOK_ENABLE": "on", "MINIO_NOTIFY_WEBHOOK_ENDPOINT": "https://default/",
        "CAIRN_NOTIFY_WEBHOOK_ENDPOINT_1": "http://cairn-wins:2/",
        "MINIO_NOTIFY_WEBHOOK_ENABLE_OFF": "off", "MINIO_NOTIFY_WEBHOOK_ENDPOINT_OFF": "http://x/",
        "MINIO_NOTIFY_WEBHOOK_QUEUE_DIR_1": "/ignored", "MINIO_NOTIFY_WEBHOOK_ENDPOINT_NOTENABLED": "http://x/",
        "MINIO_OTHER": "x",
    }
    assert webhook_targets(env) == (WebhookTarget("1", "http://cairn-wins:2/", "tok", 10),
                                    WebhookTarget("_", "https://default/", "", 100_000))
    assert [t.name for t in webhook_targets(env)] == ["1:webhook", "_:webhook"]


@pytest.mark.parametrize("env", [
    {"MINIO_NOTIFY_WEBHOOK_ENABLE_1": "on"},
    {"MINIO_NOTIFY_WEBHOOK_ENABLE_1": "on", "MINIO_NOTIFY_WEBHOOK_ENDPOINT_1": "ftp://x/"},
    {"MINIO_NOTIFY_WEBHOOK_ENABLE_1": "maybe", "MINIO_NOTIFY_WEBHOOK_ENDPOINT_1": "http://x/"},
    {"MINIO_NOTIFY_WEBHOOK_ENABLE_1": "on", "MINIO_NOTIFY_WEBHOOK_ENDPOINT_1": "http://x/",
     "MINIO_NOTIFY_WEBHOOK_QUEUE_LIMIT_1": "-3"},
])
def test_bad_targets_are_refused_at_start(env: dict[str, str]) -> None:
    with pytest.raises(ValueError):
        webhook_targets(env)


def test_authorization_header_as_minio_sends_it() -> None:
    assert authorization("") == []
    assert authorization("tok") == [("Authorization", "Bearer tok")]
    assert authorization("Basic dXNlcg==") == [("Authorization", "Basic dXNlcg==")]


# -- the HTTP client and the delivery ----------------------------------------------------------------

class Receiver:
    def __init__(self, status: int = 200) -> None:
        self.got: list[tuple[str, str | None, dict[str, Any]]] = []
        self.ports: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.got.append((self.path, self.headers.get("Authorization"), json.loads(body)))
                receiver.ports.append(self.client_address[1])
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/hook?x=1"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


def test_post_sends_json_with_the_token(receiver: Receiver) -> None:
    assert trio.run(post, receiver.url, b'{"a": 1}', "tok") == 200
    assert receiver.got == [("/hook?x=1", "Bearer tok", {"a": 1})]


def test_post_fails_fast_on_refused_hanging_and_bad_endpoints() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(DeliveryError):
        trio.run(post, f"http://127.0.0.1:{port}/", b"{}")  # nobody listens
    with socket.socket() as hang:
        hang.bind(("127.0.0.1", 0))
        hang.listen(8)  # accepted by the kernel, never answered
        start = time.monotonic()
        with pytest.raises(DeliveryError, match="no answer"):
            trio.run(post, f"http://127.0.0.1:{hang.getsockname()[1]}/", b"{}", "", 0.5)
        assert time.monotonic() - start < 3
    with pytest.raises(DeliveryError):
        trio.run(post, "gopher://x/", b"{}")


def one_answer_per_connection() -> tuple[int, list[bytes]]:
    """A target that answers one request per connection as if it kept it open (HTTP/1.1, no
    Connection: close), then closes it: a kept-alive connection that has gone stale."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    seen: list[bytes] = []

    def serve() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn:
                data = b""
                while b"\r\n\r\n" not in data or not data.endswith(b"}"):
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    data += chunk
                seen.append(data)
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")

    threading.Thread(target=serve, daemon=True).start()
    return listener.getsockname()[1], seen


def test_the_client_keeps_its_connection_and_replaces_a_stale_one(receiver: Receiver) -> None:
    async def three(url: str) -> list[int]:
        client = WebhookClient(url)
        try:
            return [await client.post(json.dumps({"n": i}).encode()) for i in range(3)]
        finally:
            await client.close()

    receiver.httpd.RequestHandlerClass.protocol_version = "HTTP/1.1"
    assert trio.run(three, receiver.url) == [200, 200, 200]
    assert len(set(receiver.ports)) == 1  # one connection for the three
    port, seen = one_answer_per_connection()
    assert trio.run(three, f"http://127.0.0.1:{port}/") == [200, 200, 200]
    assert len(seen) == 3  # each on a new connection after the kept one was found closed


def deliver(layer: ObjectLayer, target: WebhookTarget) -> Delivery:
    delivery = Delivery(layer, target, trio.CapacityLimiter(4))

    async def once() -> None:
        await delivery.count_new()
        while await delivery.deliver_some() > 0:
            pass

    time.sleep(0.3)  # past the settling time of the events just queued
    trio.run(once)
    return delivery


def test_delivery_sends_in_order_removes_and_bounds_the_queue(tmp_path: Path, receiver: Receiver) -> None:
    with ObjectLayer.open([str(tmp_path / f"d{i}") for i in range(4)]) as layer:
        target = WebhookTarget("u", receiver.url, "tok", queue_limit=5)
        layer.events.append([("u:webhook", json.dumps({"n": i}).encode()) for i in range(8)])
        delivery = deliver(layer, target)
        assert [body["n"] for _, _, body in receiver.got] == [0, 1, 2, 3, 4]  # the newest 3 dropped
        stats = delivery.tally.stats
        assert (stats.dropped, stats.delivered, stats.pending) == (3, 5, 0)
        assert layer.events.batch("u:webhook", 10) == []
        assert pending_events()["u:webhook"] == 0 and queued_events(layer, (target,)) == {"u:webhook": 0}


def test_a_refusing_target_keeps_its_events(tmp_path: Path) -> None:
    failing = Receiver(status=503)
    try:
        with ObjectLayer.open([str(tmp_path / f"d{i}") for i in range(4)]) as layer:
            layer.events.append([("f:webhook", b'{"n": 1}'), ("f:webhook", b'{"n": 2}')])
            delivery = deliver(layer, WebhookTarget("f", failing.url))
            assert len(failing.got) == 1  # the round stops at the first refusal
            assert delivery.tally.stats.failed == 1 and delivery.tally.stats.pending == 2
            assert pending_events()["f:webhook"] == 2
            assert queued_events(layer, (WebhookTarget("f", failing.url),)) == {"f:webhook": 2}
            assert [p for _, p in layer.events.batch("f:webhook", 10)] == [b'{"n": 1}', b'{"n": 2}']
    finally:
        failing.close()


def test_lifecycle_expirations_are_queued_under_the_names_asked_for(tmp_path: Path) -> None:
    with ObjectLayer.open([str(tmp_path / f"d{i}") for i in range(4)]) as layer:
        layer.create_bucket("bkt")
        config = NotificationConfig((
            NotificationRule("Queue", ARN, ("s3:LifecycleExpiration:*",), "aws", (("prefix", "a"),)),
            NotificationRule("Queue", "arn:minio:sqs::_:webhook", ("s3:ObjectRemoved:*",), "minio",
                             (("prefix", "b"),))))
        info = layer.put_bucket_config("bkt", config)
        tell = lifecycle_notifier(layer, CONFIG)
        tell(info, "a1", layer.delete_object("bkt", "a1"), None)
        tell(info, "b1", layer.delete_object("bkt", "b1"), None)
        tell(info, "c1", layer.delete_object("bkt", "c1"), None)  # no configuration wants it
        aws = [json.loads(p) for _, p in layer.events.batch("1:webhook", 10)]
        minio = [json.loads(p) for _, p in layer.events.batch("_:webhook", 10)]
        assert [(b["EventName"], b["Key"]) for b in aws] == [("s3:LifecycleExpiration:Delete", "bkt/a1")]
        assert [(b["EventName"], b["Key"]) for b in minio] == [("s3:ObjectRemoved:Delete", "bkt/b1")]
        assert aws[0]["Records"][0]["s3"]["configurationId"] == "aws"


def test_a_bucket_made_again_is_not_taken_for_the_old_one() -> None:
    notifier = Notifier()
    old = NotificationConfig((NotificationRule("Queue", ARN, ("s3:ObjectCreated:*",), "old"),))
    new = NotificationConfig((NotificationRule("Queue", ARN, ("s3:ObjectRemoved:*",), "new"),))
    assert notifier.config(BucketInfo("b", 1, generation=1, configs={"notification": old.to_doc()})) == old
    assert notifier.config(BucketInfo("b", 2, generation=1, configs={"notification": new.to_doc()})) == new
    assert notifier.config(BucketInfo("b", 2, generation=2, configs={})) is None
