"""Logs: the level and format of every log line, and the access log (one line per request).

`configure(level, fmt)` sets up the root logger once per process (the workers inherit it through
fork): `text` is the human form ("time logger LEVEL message"), `json` one JSON object per line
(time, level, logger, message, and a request's fields when the line is about one), for log
shippers.  The access log (`--access-log`, off by default: it costs a line per request) is the
logger `cairn.access`; its lines carry request id, client address, principal (access key),
operation, bucket, key, status, bytes in and out, time to first byte and total time.  Errors
already name their request id in their message (app.py).
"""

from __future__ import annotations

import logging
import sys
import time
from typing import Any

import orjson

ACCESS = logging.getLogger("cairn.access")
LEVELS = ("debug", "info", "warning", "error")
FORMATS = ("text", "json")
FIELDS = ("request_id", "remote", "principal", "operation", "bucket", "key", "status", "bytes_in",
          "bytes_out", "ttfb_ms", "duration_ms")


class JSONFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        doc: dict[str, Any] = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(), "logger": record.name, "message": record.getMessage(),
            "pid": record.process}
        request = getattr(record, "request", None)
        if isinstance(request, dict):
            doc.update(request)
        if record.exc_info:
            doc["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(doc).decode()


def configure(level: str = "info", fmt: str = "text") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JSONFormatter() if fmt == "json" else
                         logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())


def log_request(request: dict[str, Any]) -> None:
    """One access log line (the fields of FIELDS, in the message for text, as fields for json)."""
    if not ACCESS.isEnabledFor(logging.INFO):
        return
    bucket, key = request["bucket"], request["key"]
    where = (bucket + ("/" + key if key else "")) if bucket else "-"
    ACCESS.info("%s %s %s %s %d in=%d out=%d %.1fms ttfb=%.1fms %s", request["request_id"],
                request["operation"], where, request["principal"] or "-", request["status"],
                request["bytes_in"], request["bytes_out"], request["duration_ms"], request["ttfb_ms"],
                request["remote"] or "-", extra={"request": request})
