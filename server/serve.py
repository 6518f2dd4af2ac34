"""Running the server: the listening socket, worker processes, graceful shutdown.

Theory of operation
-------------------
The supervisor opens the deployment once (formatting fresh drives and
sweeping staging leftovers), binds the listening socket, prints the banner,
then forks the workers.  Every worker inherits the socket (no SO_REUSEPORT: a
port another process holds is refused, not shared) and runs one trio
loop with its own ObjectLayer: metadata connections and threads must belong
to the process that uses them.  SIGINT/SIGTERM: the supervisor forwards
SIGTERM; a worker stops accepting, lets in-flight requests finish (up to a
grace period), then exits.  A worker that dies unexpectedly is replaced.
Every worker looks at its drives again every few seconds (a drive gone is skipped, a drive
back is used again); worker 0, the janitor, logs those changes, once each, and runs the
deployment's one background scanner (scanner.py: lifecycle rules, and uploads left incomplete
for longer than --stale-uploads-after) and delivers bucket notification events (delivery.py).
With certificates (tls.py) every accepted connection is wrapped in TLS, and SIGHUP (forwarded by
the supervisor) makes every worker read them again.
The web console's port (--console-address, default :9001) is a second socket bound by the
supervisor and accepted on by every worker beside the S3 one (console.py: static files).
One janitor is enough, and the scanner's deletes and
aborts are ordinary, idempotent operations, so a janitor replaced mid-cycle does no harm.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import sys
import time
from collections.abc import Sequence

import trio

from cairn.engine.api import GenerationTable, ObjectLayer

from . import memory, service, trace
from .app import S3App
from .console import ConsoleSite, console_dir, serve_console
from .context import ServerConfig
from .delivery import run_delivery
from .iam.store import Identities
from .metrics import shared as metrics_shared
from .metrics.requests import FLUSH_SECONDS, RECORDER, commit_totals
from .scanner import run_scanner
from .tls import CertStore

log = logging.getLogger("cairn.server")
GRACE_SECONDS = 30.0
DRIVE_CHECK_SECONDS = 5.0  # how often each worker looks at its drives again


def parse_address(address: str) -> tuple[str, int]:
    host, _, port = address.rpartition(":")
    if not port.isdigit() or not 0 <= int(port) <= 65535:
        raise ValueError(f"--address {address!r}: expected HOST:PORT or :PORT")
    return host.strip("[]") or "0.0.0.0", int(port)


def bind(address: str) -> socket.socket:
    host, port = parse_address(address)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    # SO_REUSEADDR only: the workers inherit this one socket.  SO_REUSEPORT would let a second
    # server bind the same port silently and the kernel would split the clients between them.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(1024)
    sock.setblocking(False)
    return sock


async def watch_drives(app: S3App) -> None:
    """Look at the drives every few seconds: a drive that went offline is skipped at once, one
    that came back is used again (and the change is logged by the worker that reports)."""
    while True:
        await trio.sleep(DRIVE_CHECK_SECONDS)
        try:
            await trio.to_thread.run_sync(app.layer.check_drives, limiter=app.limiter)
        except Exception:
            log.exception("checking the drives failed")


async def flush_metrics(app: S3App) -> None:
    """Every second, this worker's request counts to the metrics all workers share."""
    while True:
        await trio.sleep(FLUSH_SECONDS)
        try:
            RECORDER.flush(app.in_flight, commit_totals(app.layer))
        except Exception:
            log.exception("flushing the metrics failed")


async def reload_on_sighup(tls: CertStore) -> None:
    """SIGHUP: read the certificates again (new connections get them; open ones keep theirs)."""
    with trio.open_signal_receiver(signal.SIGHUP) as signals:
        async for _ in signals:
            await trio.to_thread.run_sync(tls.reload)


async def serve(sock: socket.socket, app: S3App, janitor: bool = False,
                console: socket.socket | None = None) -> None:
    """Accept until SIGINT/SIGTERM, then drain in-flight requests and return.  The janitor
    worker also runs the scanner and reports drive state changes in the log.  `console`: the web
    console's socket (console.py), served beside the S3 one."""
    listener = trio.SocketListener(trio.socket.from_stdlib_socket(sock))
    app.layer.report_drives = janitor
    tls = app.config.tls
    async with trio.open_nursery() as outer:
        outer.start_soon(watch_drives, app)
        if tls is not None:
            outer.start_soon(reload_on_sighup, tls)
        outer.start_soon(flush_metrics, app)
        outer.start_soon(memory.release_when_idle, app)
        if console is not None:
            site = ConsoleSite(console_dir(), sock.getsockname()[1], tls is not None, app.config.region)
            outer.start_soon(serve_console, console, site, None if tls is None else tls.wrap)
        if janitor:
            outer.start_soon(run_scanner, app.layer, app.config, app.limiter)
            outer.start_soon(run_delivery, app.layer, app.config.webhooks, app.limiter)
        async with trio.open_nursery() as connections:
            with trio.CancelScope() as accepting:

                async def stop_on_signal() -> None:
                    # The receiver stays installed for the whole drain: Ctrl-C reaches the
                    # workers and the supervisor (which forwards SIGTERM), and a repeat
                    # must not kill a worker that is finishing requests.
                    with trio.open_signal_receiver(signal.SIGINT, signal.SIGTERM, service.RESTART_SIGNAL
                                                   ) as signals:
                        async for signum in signals:
                            if signum == service.RESTART_SIGNAL:  # one worker: it is the server
                                service.restart_requested.set()
                            accepting.cancel()

                outer.start_soon(stop_on_signal)
                while True:
                    try:
                        stream = await listener.accept()
                    except OSError as exc:  # EMFILE and friends: back off rather than die
                        log.warning("accept failed: %s", exc)
                        await trio.sleep(0.1)
                        continue
                    connections.start_soon(app.serve_connection, stream if tls is None else tls.wrap(stream))
            trace.stop()  # live traces end: they would hold the drain for its whole grace
            with trio.move_on_after(GRACE_SECONDS):
                while app.in_flight:
                    await trio.sleep(0.05)
            connections.cancel_scope.cancel()  # idle keep-alive connections
        outer.cancel_scope.cancel()
    with contextlib.suppress(Exception):
        RECORDER.flush(0, commit_totals(app.layer))  # the last counts of a worker that stops


def run_worker(sock: socket.socket, paths: Sequence[str], parity: int | None, config: ServerConfig,
               table: GenerationTable, slot: int = 0, console: socket.socket | None = None) -> None:
    layer = ObjectLayer.open(paths, parity=parity, sweep=False, table=table)
    layer.kms = config.kms  # SSE-S3/SSE-KMS master keys (cli.py reads them)
    try:
        trio.run(serve, sock, S3App(layer, config), slot == 0, console)
    finally:
        layer.close()


class Supervisor:
    """Forks the worker processes and keeps them running until SIGINT/SIGTERM."""

    def __init__(self, sock: socket.socket, paths: Sequence[str], parity: int | None,
                 config: ServerConfig, table: GenerationTable, console: socket.socket | None = None) -> None:
        self.sock, self.paths, self.parity, self.config, self.table = sock, paths, parity, config, table
        self.console = console
        self.children: dict[int, int] = {}  # pid -> slot
        self.stopping = False

    def spawn(self, slot: int) -> None:
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                signal.signal(signal.SIGINT, signal.default_int_handler)
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                signal.signal(signal.SIGHUP, signal.SIG_IGN)  # until serve() listens for it
                signal.signal(service.RESTART_SIGNAL, signal.SIG_IGN)  # the supervisor's alone
                run_worker(self.sock, self.paths, self.parity, self.config, self.table, slot, self.console)
            except BaseException:
                log.exception("worker %d failed", slot)
                code = 1
            finally:
                os._exit(code)
        self.children[pid] = slot

    def stop(self, signum: int, frame: object) -> None:
        if signum == service.RESTART_SIGNAL:
            service.restart_requested.set()
        self.stopping = True
        for pid in list(self.children):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    def hangup(self, signum: int, frame: object) -> None:
        """SIGHUP: every worker reloads its certificates (tls.py)."""
        for pid in list(self.children):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGHUP)

    def run(self, workers: int) -> int:
        signal.signal(signal.SIGINT, self.stop)
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGHUP, self.hangup)
        signal.signal(service.RESTART_SIGNAL, self.stop)  # restart: stop like SIGTERM, then reexec
        for slot in range(workers):
            self.spawn(slot)
        last_restart = 0.0
        while self.children:
            try:
                pid, status = os.wait()
            except ChildProcessError:
                break
            except InterruptedError:
                continue
            if pid not in self.children:
                continue
            slot = self.children.pop(pid)
            metrics_shared.mark_dead(pid)
            if self.stopping:
                continue
            log.warning("worker %d exited (status %d); starting a new one", slot, status)
            if time.monotonic() - last_restart < 1.0:
                time.sleep(1.0)
            last_restart = time.monotonic()
            self.spawn(slot)
        return 0


def banner(layer: ObjectLayer, address: str, config: ServerConfig, workers: int, default_creds: bool,
           version: str, console: str | None = None) -> str:
    host, port = parse_address(address)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    endpoint = f"{'https' if config.tls else 'http'}://{shown}:{port}"
    drives = layer.drives
    online = sum(d.online for d in drives)
    sets = layer.geometry()
    geometry = ", ".join(f"set {i + 1}: {k}+{m}" for i, (k, m) in enumerate(sets[:4])) + (
        " ..." if len(sets) > 4 else "")
    user, password = config.root_user, config.root_password
    lines = [
        f"Cairn {version} - S3-compatible object storage",
        f"API:       {endpoint}  (listening on {host}:{port}, {workers} worker{'s' * (workers > 1)})",
        f"RootUser:  {user}",
        f"RootPass:  {password}",
        f"Region:    {config.region}",
        f"Drives:    {online}/{len(drives)} online; {len(sets)} erasure set(s) of {sum(sets[0])} "
        f"({geometry})",
    ]
    for d in drives:
        if not d.online:
            lines.append(f"  OFFLINE  {d.name}: {d.problem}")
    if config.tls is not None:
        lines.append(f"TLS:       {config.tls.describe()}; SIGHUP reloads it")
    if console is not None:
        lines.append(f"Console:   {console_url(console, config)}")
    lines += [
        "",
        "aws CLI:",
        f"  export AWS_ACCESS_KEY_ID={user} AWS_SECRET_ACCESS_KEY={password}",
        f"  aws --endpoint-url {endpoint} s3 mb s3://mybucket",
        f"  aws --endpoint-url {endpoint} s3 cp ./file s3://mybucket/",
        "boto3:",
        f"  s3 = boto3.client('s3', endpoint_url='{endpoint}',",
        f"                    aws_access_key_id='{user}', aws_secret_access_key='{password}')",
        "mc (users, groups, policies, access keys: mc admin ...):",
        f"  mc alias set cairn {endpoint} {user} {password}",
    ]
    if config.tls is not None:
        cert = os.path.join(config.tls.directory, "public.crt")
        lines += ["TLS with a certificate of your own CA (or self-signed): point clients at it:",
                  f"  export AWS_CA_BUNDLE={cert}   # aws CLI and boto3",
                  f"  mkdir -p ~/.mc/certs/CAs && cp {cert} ~/.mc/certs/CAs/   # mc"]
    if default_creds:
        lines += ["", "WARNING: default credentials in use: set CAIRN_ROOT_USER and CAIRN_ROOT_PASSWORD"]
    return "\n".join(lines)


def console_url(address: str, config: ServerConfig) -> str:
    """What the banner says about the console at `address` (see console.py)."""
    host, port = parse_address(address)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    url = f"{'https' if config.tls else 'http'}://{shown}:{port}"
    if not (console_dir() / "index.html").is_file():
        url += "  (not built: run `make console`)"
    return url


def bind_console(config: ServerConfig) -> socket.socket | None:
    """The console's socket (--console-address), None when it is off.  When the address is the
    default one and taken, the server runs without a console (and says so)."""
    if not config.console_address:
        return None
    try:
        return bind(config.console_address)
    except OSError as exc:
        if not config.console_optional:
            raise OSError(exc.errno, f"{exc.strerror or exc} (the console's --console-address "
                                     f"{config.console_address})") from exc
        log.warning("console not started: cannot listen on %s: %s (set --console-address)",
                    config.console_address, exc.strerror or exc)
        config.console_address = None
        return None


def old_root_credentials() -> tuple[str | None, str | None]:
    """The root credentials used before a change (CAIRN_ROOT_USER_OLD / CAIRN_ROOT_PASSWORD_OLD, or
    the MINIO_ names), needed once to reseal the stored secret keys under the new ones."""
    for prefix in ("CAIRN", "MINIO"):
        user = os.environ.get(f"{prefix}_ROOT_USER_OLD")
        password = os.environ.get(f"{prefix}_ROOT_PASSWORD_OLD")
        if user and password:
            return user, password
    return None, None


def reseal_secrets(layer: ObjectLayer, config: ServerConfig) -> None:
    """IAM secret keys are sealed under the root credentials: after these changed, open them with
    the old ones and seal them again (at start, before any worker serves)."""
    outcome = Identities(layer.iam, config.root_user, config.root_password).reseal(*old_root_credentials())
    if outcome == "stale":
        log.error("the IAM users' and access keys' secrets were sealed under other root credentials: set "
                  "CAIRN_ROOT_USER_OLD and CAIRN_ROOT_PASSWORD_OLD to the previous ones once to reseal them; "
                  "until then those keys are refused")
    elif outcome.startswith("resealed"):
        log.warning("IAM secrets %s under the new root credentials", outcome)


def run(paths: Sequence[str], address: str, workers: int, parity: int | None, config: ServerConfig,
        default_creds: bool, version: str) -> int:
    console = bind_console(config)  # first: the banner says whether it listens
    layer = ObjectLayer.open(paths, parity=parity)  # formats, checks and sweeps, once
    try:
        reseal_secrets(layer, config)
        text = banner(layer, address, config, workers, default_creds, version, config.console_address)
        table = layer.bucket_table()  # mapped here, inherited by every worker
    finally:
        layer.close()
    sock = bind(address)
    metrics_shared.prepare()  # the workers' shared metrics (metrics/shared.py), before they fork
    print(text, flush=True)
    service.SERVER_PID = os.getpid()  # who stops or restarts the server (service.py)
    if workers <= 1:
        with contextlib.suppress(KeyboardInterrupt):
            run_worker(sock, paths, parity, config, table, console=console)
        code = 0
    else:
        sys.stdout.flush()
        code = Supervisor(sock, paths, parity, config, table, console).run(workers)
    if service.restart_requested.is_set():
        log.warning("restarting (mc admin service restart)")
        sock.close()
        if console is not None:
            console.close()
        service.reexec()
    return code
