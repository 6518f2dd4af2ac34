"""CORS in a real browser: headless Chromium (Debian's chromium, driven by playwright-core) loads a
page from one loopback origin whose script uploads and downloads an object on Cairn, at another
origin, with fetch() and presigned URLs.  With a CORS rule for the page's origin both work and
the script reads the exposed ETag; without one (and with the server-wide default off) the
browser refuses both: the PUT's preflight is answered 403, so the PUT is never sent, and the
GET's answer is withheld from the script.

Needs chromium (the Makefile's APT_PACKAGES), node and playwright-core (tests/install-clients.sh,
`make test-tools`); skipped, saying which, when one is missing.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import subprocess
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from .conftest import ACCESS_KEY, SECRET_KEY, Server, start_server, stop_server_process

HERE = Path(__file__).parent / "browser"
ROOT = Path(__file__).resolve().parents[2]
NODE_TOOLS = Path(os.environ.get("NODE_TOOLS", ROOT / "build/test-tools/node"))
PLAYWRIGHT_CORE = NODE_TOOLS / "node_modules/playwright-core"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
NODE = shutil.which("node")

pytestmark = [
    pytest.mark.slow,  # a browser start: about 8 s on 2 cores
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium not installed (make system)"),
    pytest.mark.skipif(NODE is None, reason="node not installed"),
    pytest.mark.skipif(not PLAYWRIGHT_CORE.is_dir(),
                       reason=f"playwright-core not installed at {PLAYWRIGHT_CORE} (make test-tools)"),
]


@pytest.fixture(scope="module")
def cairn(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Cairn with the server-wide default off: only a bucket's own rules allow an origin."""
    root = tmp_path_factory.mktemp("cairn-browser")
    srv = start_server(root, drives=1, extra=("--cors-allow-origin", ""))
    yield srv
    stop_server_process(srv.process)
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def page_origin() -> Iterator[str]:
    """A static HTTP server on another loopback port, serving the test's page."""
    handler = functools.partial(_QuietHandler, directory=str(HERE))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=10)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def browse(page_url: str, cases: list[dict[str, str]]) -> dict[str, Any]:
    """Run the page's roundTrip() for each case in chromium; its results and console messages."""
    env = {**os.environ, "PLAYWRIGHT_CORE": str(PLAYWRIGHT_CORE), "CHROMIUM": CHROMIUM}
    done = subprocess.run([str(NODE), str(HERE / "run_page.cjs"), page_url, json.dumps(cases)],
                          capture_output=True, text=True, timeout=180, env=env, check=False)
    assert done.returncode == 0, f"the browser run failed:\n{done.stderr[-3000:]}"
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def test_browser_app_uploads_and_downloads_with_a_rule_and_is_refused_without(
        cairn: Server, page_origin: str) -> None:
    import boto3

    s3 = boto3.client("s3", endpoint_url=cairn.endpoint, aws_access_key_id=ACCESS_KEY,
                      aws_secret_access_key=SECRET_KEY, region_name="us-east-1",
                      config=Config(signature_version="s3v4"))
    allowed, refused = (f"browser-{uuid.uuid4().hex[:8]}" for _ in range(2))
    for name in (allowed, refused):
        s3.create_bucket(Bucket=name)
    s3.put_bucket_cors(Bucket=allowed, CORSConfiguration={"CORSRules": [
        {"AllowedOrigins": [page_origin], "AllowedMethods": ["GET", "PUT"], "AllowedHeaders": ["*"],
         "ExposeHeaders": ["ETag"], "MaxAgeSeconds": 60}]})
    s3.put_object(Bucket=refused, Key="existing.txt", Body=b"not for other origins")

    def urls(bucket: str, key: str) -> dict[str, str]:
        return {"put": s3.generate_presigned_url("put_object", Params={"Bucket": bucket, "Key": key}),
                "get": s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": key})}

    text = "written by a page at another origin: é ✓"
    cases = [{**urls(allowed, "from-browser.txt"), "body": text},
             {"put": urls(refused, "from-browser.txt")["put"], "get": urls(refused, "existing.txt")["get"],
              "body": text}]
    outcome = browse(f"{page_origin}/cors_page.html", cases)
    ok, no = outcome["results"]

    assert ok == {"putStatus": 200, "etag": ok.get("etag"), "getStatus": 200, "body": text}, outcome
    assert ok["etag"] and ok["etag"].strip('"') == s3.head_object(
        Bucket=allowed, Key="from-browser.txt")["ETag"].strip('"')
    assert s3.get_object(Bucket=allowed, Key="from-browser.txt")["Body"].read() == text.encode()

    # Without a rule the browser refuses: fetch() throws, the script sees no status nor body.
    assert set(no) == {"putError", "getError"}, outcome
    assert "Failed to fetch" in no["putError"] and "Failed to fetch" in no["getError"]
    assert any("CORS" in message for message in outcome["console"]), outcome["console"]
    with pytest.raises(ClientError):  # the PUT's preflight was refused, so it was never sent
        s3.head_object(Bucket=refused, Key="from-browser.txt")

    for name in (allowed, refused):
        for entry in s3.list_objects_v2(Bucket=name).get("Contents", []):
            s3.delete_object(Bucket=name, Key=entry["Key"])
        s3.delete_bucket(Bucket=name)
