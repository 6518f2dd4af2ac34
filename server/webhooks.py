"""The operator's webhook targets for bucket notifications, from the environment, as MinIO reads
them (MINIO_NOTIFY_WEBHOOK_*; CAIRN_NOTIFY_WEBHOOK_* first where both are set):

    MINIO_NOTIFY_WEBHOOK_ENABLE_<ID>=on
    MINIO_NOTIFY_WEBHOOK_ENDPOINT_<ID>=http://host:port/path
    MINIO_NOTIFY_WEBHOOK_AUTH_TOKEN_<ID>=token         (optional)
    MINIO_NOTIFY_WEBHOOK_QUEUE_LIMIT_<ID>=100000       (optional)

define the target addressed by arn:minio:sqs::<ID>:webhook; the same names without `_<ID>`
define MinIO's default target, whose ID is `_`.  MINIO_NOTIFY_WEBHOOK_QUEUE_DIR is accepted and
ignored: Cairn always queues events in its metadata store.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit

from .context import WebhookTarget

PREFIXES = ("CAIRN_NOTIFY_WEBHOOK_", "MINIO_NOTIFY_WEBHOOK_")
SETTINGS = ("ENABLE", "ENDPOINT", "AUTH_TOKEN", "QUEUE_LIMIT", "QUEUE_DIR", "CLIENT_CERT", "CLIENT_KEY")
DEFAULT_ID = "_"
DEFAULT_QUEUE_LIMIT = 100_000
ON = frozenset({"on", "true", "yes", "1", "enable", "enabled"})
OFF = frozenset({"off", "false", "no", "0", "disable", "disabled", ""})


def _settings(environ: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """{target id: {setting: value}}; CAIRN_ names win over MINIO_ ones."""
    out: dict[str, dict[str, str]] = {}
    for prefix in reversed(PREFIXES):  # MINIO_ first, so that CAIRN_ overrides
        for name, value in environ.items():
            if not name.startswith(prefix):
                continue
            rest = name[len(prefix):]
            for setting in SETTINGS:  # no setting's name starts with another's and "_"
                if rest == setting:
                    out.setdefault(DEFAULT_ID, {})[setting] = value
                elif rest.startswith(setting + "_") and len(rest) > len(setting) + 1:
                    out.setdefault(rest[len(setting) + 1:], {})[setting] = value
    return out


def webhook_targets(environ: Mapping[str, str]) -> tuple[WebhookTarget, ...]:
    """The enabled targets (ValueError for an enabled one without a usable endpoint, a bad limit
    or an ENABLE value that is neither on nor off)."""
    targets: list[WebhookTarget] = []
    for target_id, values in sorted(_settings(environ).items()):
        enable = values.get("ENABLE", "").strip().lower()
        if enable not in ON | OFF:
            raise ValueError(f"MINIO_NOTIFY_WEBHOOK_ENABLE for target {target_id!r}: expected on or off, "
                             f"not {values['ENABLE']!r}")
        if enable not in ON:
            continue
        endpoint = values.get("ENDPOINT", "").strip()
        url = urlsplit(endpoint)
        if url.scheme not in ("http", "https") or not url.hostname:
            raise ValueError(f"MINIO_NOTIFY_WEBHOOK_ENDPOINT for target {target_id!r}: expected an "
                             f"http:// or https:// URL, not {endpoint!r}")
        if ":" in target_id:
            raise ValueError(f"webhook target id {target_id!r}: no ':' allowed (it goes into an ARN)")
        limit_text = values.get("QUEUE_LIMIT", "").strip() or str(DEFAULT_QUEUE_LIMIT)
        if not limit_text.isdigit() or int(limit_text) < 1:
            raise ValueError(f"MINIO_NOTIFY_WEBHOOK_QUEUE_LIMIT for target {target_id!r}: expected a "
                             f"positive number, not {limit_text!r}")
        targets.append(WebhookTarget(target_id, endpoint, values.get("AUTH_TOKEN", "").strip(),
                                     int(limit_text)))
    return tuple(targets)
