"""The `cairn` command: `cairn server DIR...` in MinIO's command shape."""

from __future__ import annotations

import argparse
import os
import sys

from cairn.engine import metadb
from cairn.engine.api import expand_drive_args
from cairn.engine.errors import EngineError
from cairn.engine.kms import KeyRing

from . import heal_cli, logs, memory
from .context import ServerConfig
from .cors import one_wildcard
from .scanner import SPEEDS
from .settings import parse_duration, positive_duration
from .tls import TLSError, open_store
from .webhooks import webhook_targets

VERSION = "0.1.0"
DEFAULT_USER = DEFAULT_PASSWORD = "cairnadmin"


def credentials_from_env() -> tuple[str, str, bool]:
    """(user, password, defaults used): CAIRN_ROOT_*, else MINIO_ROOT_* (so a MinIO deployment
    switches by changing the binary), else cairnadmin/cairnadmin."""
    for prefix in ("CAIRN", "MINIO"):
        user = os.environ.get(f"{prefix}_ROOT_USER")
        password = os.environ.get(f"{prefix}_ROOT_PASSWORD")
        if user and password:
            return user, password, False
    return DEFAULT_USER, DEFAULT_PASSWORD, True


def heal_intervals(args: argparse.Namespace) -> tuple[float, float]:
    """--heal-interval and --heal-deep-interval in seconds (positive; the deep one 0 when not given:
    then `mc admin config set heal bitrotscan=` decides, settings.py); ValueError otherwise."""
    out: list[float] = []
    given = (("--heal-interval", args.heal_interval), ("--heal-deep-interval", args.heal_deep_interval))
    for flag, text in given:
        out.append(0.0 if text is None else
                   positive_duration(text, f"{flag} {{text}}: expected a positive duration, e.g. 6h, 7d"))
    return out[0], out[1]


def parse_origins(text: str) -> tuple[str, ...]:
    """--cors-allow-origin: origins separated by commas, each with at most one `*` (ValueError
    otherwise); empty: none."""
    origins = tuple(o for o in (part.strip() for part in text.split(",")) if o)
    for origin in origins:
        if not one_wildcard(origin):
            raise ValueError(f"--cors-allow-origin {origin!r}: at most one '*' per origin")
    return origins


def parse_website_domain(text: str | None, domains: tuple[str, ...]) -> str | None:
    """--website-domain: a host name (lower-cased; '' or None: no website endpoint), neither one of
    the --domain names nor a parent of one, or the S3 API's virtual-hosted buckets would be taken
    for websites (ValueError)."""
    domain = (text or "").strip().strip(".").lower()
    if not domain:
        return None
    if any(c in domain for c in ":/ @*") or ".." in domain:
        raise ValueError(f"--website-domain {text!r}: expected a host name, such as web.example.com")
    for other in (d.strip().strip(".").lower() for d in domains):
        if other == domain or other.endswith("." + domain):
            raise ValueError(f"--website-domain {text!r}: the --domain {other!r} would be served as "
                             "websites; give the websites a domain of their own")
    return domain


def positive_number(text: str, what: str) -> float:
    """A positive, finite number; ValueError naming the setting and what it wants otherwise."""
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value < float("inf"):
        raise ValueError(what.format(text=repr(text)))
    return value


def parse_rate(text: str) -> float:
    """--scanner-rate: a positive number of entries per second; ValueError otherwise."""
    return positive_number(text, "--scanner-rate {text}: expected a positive number of objects per second")


def lifecycle_day_from_env() -> float:
    """CAIRN_LIFECYCLE_DAY_SECONDS: how long a lifecycle day lasts (86400; tests shorten it)."""
    return positive_number(os.environ.get("CAIRN_LIFECYCLE_DAY_SECONDS", "86400"),
                           "CAIRN_LIFECYCLE_DAY_SECONDS {text}: expected a positive number of seconds")


def console_setting(given: str | None) -> tuple[str | None, bool]:
    """--console-address (else CAIRN_CONSOLE_ADDRESS, MINIO_CONSOLE_ADDRESS): (HOST:PORT or None
    for '' and 'off', whether the server may start without it: only at the default :9001)."""
    from .serve import parse_address

    if given is None:
        given = os.environ.get("CAIRN_CONSOLE_ADDRESS", os.environ.get("MINIO_CONSOLE_ADDRESS"))
    if given is None:
        return ":9001", True
    if given.strip().lower() in ("", "off"):
        return None, False
    try:
        parse_address(given)
    except ValueError:
        raise ValueError(f"--console-address {given!r}: expected HOST:PORT, :PORT, '' or off") from None
    return given, False


def cmd_server(args: argparse.Namespace) -> int:
    from .serve import parse_address, run

    user, password, defaults = credentials_from_env()
    if len(password) < 8:
        print("cairn: the root password must be at least 8 characters", file=sys.stderr)
        return 2
    try:
        stale = parse_duration(args.stale_uploads_after)
    except ValueError:
        print(f"cairn: --stale-uploads-after {args.stale_uploads_after!r}: expected e.g. 24h, 30m, 90s",
              file=sys.stderr)
        return 2
    try:
        cors_origins = parse_origins(args.cors_allow_origin)
        domains = tuple(d for d in args.domain.split(",") if d) if args.domain else ()
        website_domain = parse_website_domain(args.website_domain, domains)
        scanner_rate = parse_rate(args.scanner_rate)
        day = lifecycle_day_from_env()
        try:
            scanner_interval = parse_duration(args.scanner_interval)
        except ValueError:
            raise ValueError(f"--scanner-interval {args.scanner_interval!r}: expected e.g. 60s, 5m, "
                             "1h") from None
        heal_interval, heal_deep_interval = heal_intervals(args)
        parse_address(args.address)
        console_address, console_optional = console_setting(args.console_address)
        webhooks = webhook_targets(os.environ)
        paths = expand_drive_args(args.drives)
    except (ValueError, EngineError) as exc:
        print(f"cairn: {exc}", file=sys.stderr)
        return 2
    config = ServerConfig(domains=domains, website_domain=website_domain, root_user=user,
                          root_password=password, region=args.region, stale_upload_seconds=stale,
                          cors_allow_origins=cors_origins,
                          lifecycle_day_seconds=day, scanner_interval=scanner_interval,
                          heal_interval=heal_interval, heal_deep_interval=heal_deep_interval,
                          scanner_speed=args.scanner_speed or "",
                          scanner_rate=scanner_rate, webhooks=webhooks,
                          console_address=console_address, console_optional=console_optional)
    try:  # server-side encryption: the operator's master keys, and SSE-C over plain HTTP or not
        config.kms = KeyRing.from_env(os.environ)
    except (ValueError, OSError) as exc:
        print(f"cairn: KMS keys: {exc}", file=sys.stderr)
        return 2
    config.sse_c_allow_http = os.environ.get("CAIRN_SSE_C_ALLOW_HTTP", "").lower() in ("on", "true", "1")
    logs.configure(args.log_level, args.log_format)
    config.access_log = args.access_log
    try:
        config.tls = open_store(args.certs_dir)
    except TLSError as exc:
        print(f"cairn: TLS: {exc}", file=sys.stderr)
        return 2
    setting = memory.LOW if args.low_memory else memory.NORMAL
    config.thread_limit, config.stream_limit = setting.thread_limit, setting.stream_limit
    metadb.limit_heap(setting.sqlite_heap)
    memory.limit_arenas()
    workers = args.workers if args.workers > 0 else (setting.workers or os.cpu_count() or 1)
    try:
        return run(paths, args.address, workers, args.parity, config, defaults, VERSION)
    except EngineError as exc:
        print(f"cairn: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"cairn: cannot listen on {args.address}: {exc.strerror or exc}", file=sys.stderr)
        return 1


def cmd_kms_rotate(args: argparse.Namespace) -> int:
    """Reseal every SSE-S3/SSE-KMS object key under the current master key: metadata only, no
    data is rewritten; safe while the server runs (each record changes by compare-and-swap)."""
    from cairn.engine.api import ObjectLayer

    try:
        kms = KeyRing.from_env(os.environ)
        _ = kms.current
        layer = ObjectLayer.open(expand_drive_args(args.drives), sweep=False)
    except (ValueError, OSError, EngineError) as exc:
        print(f"cairn: {exc}", file=sys.stderr)
        return 2
    with layer:
        layer.kms = kms
        total = 0
        for bucket in layer.list_buckets()[0]:
            count = layer.rotate_keys(bucket.name)
            print(f"{bucket.name}: {count} object keys resealed under {kms.current!r}")
            total += count
    print(f"{total} object keys resealed; master keys other than {kms.current!r} are no longer needed")
    return 0


def main(argv: list[str] | None = None) -> int:
    logs.configure()
    parser = argparse.ArgumentParser(prog="cairn", description="S3-compatible object storage")
    parser.add_argument("--version", action="version", version=f"cairn {VERSION}")
    sub = parser.add_subparsers(dest="command", required=True)
    server = sub.add_parser("server", help="serve the S3 API from one or more drives")
    server.add_argument("drives", nargs="+", help="drive directories; /mnt/d{1...4} expands")
    server.add_argument("--address", default=":9000", help="HOST:PORT to listen on (default :9000)")
    server.add_argument("--console-address", default=None,
                        help="HOST:PORT of the web console (default :9001, or CAIRN_CONSOLE_ADDRESS; "
                             "'' or off: no console)")
    server.add_argument("--workers", type=int, default=0,
                        help="worker processes (default: one per core; 1 with --low-memory)")
    server.add_argument("--low-memory", action="store_true",
                        default=os.environ.get("CAIRN_LOW_MEMORY", "").lower() in ("on", "true", "1"),
                        help="for small machines (CAIRN_LOW_MEMORY=on): one worker, 8 engine threads, "
                             "4 request bodies streaming at once, smaller metadata caches")
    server.add_argument("--domain", default=os.environ.get("CAIRN_DOMAIN", os.environ.get("MINIO_DOMAIN")),
                        help="domain(s) for virtual-hosted-style requests, comma-separated")
    server.add_argument("--parity", type=int, default=None, help="parity shards per set (default: MinIO's)")
    server.add_argument("--region", default=os.environ.get("CAIRN_REGION", "us-east-1"))
    server.add_argument("--stale-uploads-after", default=os.environ.get("CAIRN_STALE_UPLOADS_AFTER", "24h"),
                        help="abort multipart uploads left incomplete this long (default 24h; 0: never)")
    server.add_argument("--cors-allow-origin",
                        default=os.environ.get("CAIRN_CORS_ALLOW_ORIGIN",
                                               os.environ.get("MINIO_API_CORS_ALLOW_ORIGIN", "*")),
                        help="origins (comma-separated, one '*' each) that buckets without a CORS "
                             "configuration allow (default '*'; '' for none)")
    server.add_argument("--website-domain", default=os.environ.get("CAIRN_WEBSITE_DOMAIN"),
                        help="serve bucket B's static website (PutBucketWebsite) to requests for the host "
                             "B.<this domain>, anonymously, GET and HEAD only")
    server.add_argument("--scanner-interval", default=os.environ.get("CAIRN_SCANNER_INTERVAL", "60s"),
                        help="pause between two cycles of the background scanner that applies lifecycle "
                             "rules (default 60s)")
    server.add_argument("--scanner-rate", default=os.environ.get("CAIRN_SCANNER_RATE", "1000"),
                        help="objects, versions and uploads the scanner visits per second at most "
                             "(default 1000)")
    server.add_argument("--log-level", choices=logs.LEVELS,
                        default=os.environ.get("CAIRN_LOG_LEVEL", "info"))
    server.add_argument("--log-format", choices=logs.FORMATS,
                        default=os.environ.get("CAIRN_LOG_FORMAT", "text"),
                        help="text, or json: one JSON object per line")
    server.add_argument("--access-log", action="store_true",
                        default=os.environ.get("CAIRN_ACCESS_LOG", "").lower() in ("on", "true", "1"),
                        help="log one line per request (request id, principal, operation, bucket, key, "
                             "status, bytes, time); off by default")
    server.add_argument("--certs-dir", default=os.environ.get("CAIRN_CERTS_DIR"),
                        help="serve HTTPS with public.crt and private.key from this directory (and one "
                             "more pair per subdirectory, chosen by SNI); default ~/.cairn/certs or "
                             "~/.minio/certs when they hold a certificate, else plain HTTP")
    server.add_argument("--scanner-speed", choices=sorted(SPEEDS),
                        default=os.environ.get("CAIRN_SCANNER_SPEED")
                        or os.environ.get("MINIO_SCANNER_SPEED"),
                        help="how much of the machine the scanner may take, as MinIO's scanner speeds: after "
                             "each step it sleeps that step's time times 0, 1, 2, 10 or 100 (default: "
                             "`mc admin config set ALIAS scanner speed=...`, else default, 2)")
    server.add_argument("--heal-interval", default=os.environ.get("CAIRN_HEAL_INTERVAL", "24h"),
                        help="how often the scanner checks every object on every drive and rewrites what "
                             "is missing (default 24h; a replaced drive is healed at once)")
    server.add_argument("--heal-deep-interval", default=os.environ.get("CAIRN_HEAL_DEEP_INTERVAL"),
                        help="how often that check also reads every shard block and verifies its "
                             "checksum (bitrot; default: `mc admin config set ALIAS heal bitrotscan=...`, "
                             "else 30d)")
    server.set_defaults(func=cmd_server)
    heal_cli.add_parser(sub)
    rotate = sub.add_parser("kms-rotate", help="reseal SSE-S3/SSE-KMS object keys under the current "
                                                "master key (the first of CAIRN_KMS_SECRET_KEY...)")
    rotate.add_argument("drives", nargs="+", help="the server's drive directories")
    rotate.set_defaults(func=cmd_kms_rotate)
    args = parser.parse_args(argv)
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
