"""A small S3 client for remote tiers: SigV4-signed PutObject (multipart for large bodies),
ranged GetObject, DeleteObject and a one-key ListObjectsV2, over stdlib http.client.

Theory of operation
-------------------
Every call blocks (the scanner's thread, or a server worker thread through ctx.run) and is
bounded by a socket timeout, so a tier that is down answers with TierUnavailable quickly rather
than a hang.  Requests are signed with AWS Signature Version 4 (sigv4_sign.py; service "s3", path-style
addressing, the tier's region or us-east-1); bodies are sent with UNSIGNED-PAYLOAD, streamed a
block at a time with a Content-Length, and each PUT's MD5 is compared with the ETag the tier
answers when it looks like one (a tier that encrypts answers something else: then it is not).
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import re
import ssl
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit
from xml.etree import ElementTree

from typing_extensions import Buffer

from .errors import TierUnavailable
from .sigv4_sign import sign_v4

__all__ = ["TierClient", "TierTarget", "TierUnavailable"]

TIMEOUT = 15.0  # seconds: connect and each read
_MD5 = re.compile(r'^"?[0-9a-f]{32}"?$')


@dataclass(frozen=True)
class TierTarget:
    """Where a remote tier is: endpoint URL, credentials, bucket, key prefix, region."""

    endpoint: str
    access_key: str
    secret_key: str
    bucket: str
    prefix: str = ""
    region: str = ""


class TierClient:
    """S3 calls on one tier's bucket; object names are relative to the bucket (prefix included
    by the caller)."""

    def __init__(self, target: TierTarget, timeout: float = TIMEOUT) -> None:
        url = urlsplit(target.endpoint if "://" in target.endpoint else f"https://{target.endpoint}")
        if url.scheme not in ("http", "https") or not url.hostname:
            raise ValueError(f"tier endpoint {target.endpoint!r}: expected http(s)://host[:port]")
        self.target = target
        self.tls = url.scheme == "https"
        self.netloc = url.netloc
        self.base = url.path.rstrip("/")
        self.timeout = timeout

    def _connection(self) -> http.client.HTTPConnection:
        if self.tls:
            return http.client.HTTPSConnection(self.netloc, timeout=self.timeout,
                                               context=ssl.create_default_context())
        return http.client.HTTPConnection(self.netloc, timeout=self.timeout)

    def _path(self, key: str = "") -> str:
        path = f"{self.base}/{quote(self.target.bucket, safe='')}"
        return f"{path}/{quote(key, safe='/-_.~')}" if key else path

    def request(self, method: str, key: str = "", query: list[tuple[str, str]] | None = None,
                headers: dict[str, str] | None = None, body: Iterable[Buffer] | bytes = b"",
                length: int = 0, ok: tuple[int, ...] = (200,)) -> tuple[http.client.HTTPConnection,
                                                                       http.client.HTTPResponse]:
        """Send one signed request; (connection, response) once its status is one of `ok` (the
        caller reads the body and closes the connection), TierUnavailable otherwise."""
        query = query or []
        path = self._path(key)
        headers = dict(headers or {})
        if method in ("PUT", "POST"):
            headers["Content-Length"] = str(length)
        t = self.target
        signed = sign_v4(method, self.netloc, path, query, headers, t.access_key, t.secret_key,
                         t.region or "us-east-1")
        url = path + ("?" + "&".join(f"{quote(k, safe='-_.~')}={quote(v, safe='-_.~')}" if v else
                                     quote(k, safe='-_.~') for k, v in query) if query else "")
        conn = self._connection()
        try:
            conn.putrequest(method, url, skip_host=True, skip_accept_encoding=True)
            for name, value in signed.items():
                conn.putheader(name, value)
            conn.endheaders()
            if isinstance(body, bytes):
                if body:
                    conn.send(body)
            else:
                for piece in body:
                    conn.send(piece)
            response = conn.getresponse()
        except (OSError, http.client.HTTPException) as exc:
            conn.close()
            raise TierUnavailable(f"tier {t.endpoint} bucket {t.bucket!r}: {method} {key!r}: {exc}") from None
        if response.status not in ok:
            detail = response.read(4096).decode(errors="replace")
            conn.close()
            code = re.search(r"<Code>([^<]*)</Code>", detail)
            raise TierUnavailable(f"tier {t.endpoint} bucket {t.bucket!r}: {method} {key!r}: HTTP "
                                  f"{response.status} {code.group(1) if code else ''}".rstrip(),
                                  response.status, code.group(1) if code else "")
        return conn, response

    def _call(self, method: str, key: str = "", **kwargs: Any) -> tuple[dict[str, str], bytes]:
        conn, response = self.request(method, key, **kwargs)
        try:
            return {k.lower(): v for k, v in response.getheaders()}, response.read()
        except (OSError, http.client.HTTPException) as exc:
            raise TierUnavailable(f"tier {self.target.endpoint}: {method} {key!r}: {exc}") from None
        finally:
            conn.close()

    # -- the operations ---------------------------------------------------------------------

    def put_object(self, key: str, blocks: Iterable[Buffer], size: int, part_size: int) -> str:
        """PutObject of `size` bytes taken from `blocks` (multipart in `part_size` parts when
        larger); the tier's ETag."""
        if size <= part_size:
            return self._put(key, _Stream(blocks).take(size), size)
        _, body = self._call("POST", key, query=[("uploads", "")])
        upload = _xml_text(body, "UploadId")
        try:
            stream = _Stream(blocks)
            parts: list[tuple[int, str]] = []
            done = 0
            while done < size:
                n = min(part_size, size - done)
                number = len(parts) + 1
                etag = self._put(key, stream.take(n), n,
                                 [("partNumber", str(number)), ("uploadId", upload)])
                parts.append((number, etag))
                done += n
            doc = "".join(f"<Part><PartNumber>{n}</PartNumber><ETag>{e}</ETag></Part>" for n, e in parts)
            payload = f"<CompleteMultipartUpload>{doc}</CompleteMultipartUpload>".encode()
            _, answer = self._call("POST", key, query=[("uploadId", upload)], body=payload,
                                   length=len(payload))
            if b"<Error>" in answer:  # S3 may answer 200 and an error document
                raise TierUnavailable(f"tier {self.target.endpoint}: completing {key!r}: {answer[:200]!r}")
            return _xml_text(answer, "ETag")
        except BaseException:
            with contextlib.suppress(TierUnavailable):  # one left behind is the tier's to expire
                self._call("DELETE", key, query=[("uploadId", upload)], ok=(204, 200, 404))
            raise

    def _put(self, key: str, body: Iterator[Buffer], size: int,
             query: list[tuple[str, str]] | None = None) -> str:
        md5 = hashlib.md5()

        def hashed() -> Iterator[Buffer]:
            for piece in body:
                md5.update(piece)
                yield piece

        headers, _ = self._call("PUT", key, query=query, body=hashed(), length=size)
        etag = headers.get("etag", "")
        if _MD5.match(etag) and etag.strip('"') != md5.hexdigest():
            raise TierUnavailable(f"tier {self.target.endpoint}: {key!r}: the tier's ETag {etag} is not the "
                                  f"MD5 of what was sent")
        return etag

    def get_object(self, key: str, start: int, length: int) -> tuple[http.client.HTTPConnection,
                                                                     http.client.HTTPResponse]:
        """A ranged GET's (connection, response), its body still to read."""
        headers = {"Range": f"bytes={start}-{start + length - 1}"} if length else {}
        return self.request("GET", key, headers=headers, ok=(200, 206))

    def delete_object(self, key: str) -> None:
        """DeleteObject (a missing object is no error: S3 answers 204 either way)."""
        self._call("DELETE", key, ok=(204, 200, 404))

    def is_empty(self, prefix: str) -> bool:
        """Whether no object's name starts with `prefix` in the tier's bucket."""
        _, body = self._call("GET", query=[("list-type", "2"), ("max-keys", "1"), ("prefix", prefix)])
        return b"<Contents>" not in body


class _Stream:
    """Blocks taken a given number of bytes at a time: a block that runs past the end of one
    part is split, its rest kept for the next (a view of the block: the reader's buffer stays
    valid until the next block is asked for, which only happens once the rest is used)."""

    def __init__(self, blocks: Iterable[Buffer]) -> None:
        self.it = iter(blocks)
        self.rest: memoryview | None = None

    def take(self, n: int) -> Iterator[Buffer]:
        while n > 0:
            if self.rest is not None:
                piece, self.rest = self.rest, None
            else:
                try:
                    piece = memoryview(next(self.it))
                except StopIteration:
                    raise TierUnavailable("the object's data ended before its size") from None
            if len(piece) > n:
                piece, self.rest = piece[:n], piece[n:]
            n -= len(piece)
            yield piece


def _xml_text(body: bytes, tag: str) -> str:
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError:
        raise TierUnavailable(f"the tier answered something other than XML: {body[:200]!r}") from None
    for element in root.iter():
        if element.tag.rsplit("}", 1)[-1] == tag and element.text:
            return element.text
    raise TierUnavailable(f"the tier's answer has no {tag}: {body[:200]!r}")
