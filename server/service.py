"""Stopping and restarting a running server on request: `mc admin service stop|restart`.

The admin endpoint (admin/service.py) runs in a worker; the process that owns the server is the
supervisor (or, with one worker, that worker itself): `SERVER_PID`, set by serve.run before it
forks.  Stop is SIGTERM to it, the graceful stop Ctrl-C gives.  Restart is SIGUSR1: the same
graceful stop (in-flight requests finish), then the server process executes itself again with the
command line it was started with (`reexec`), so a new executable or a changed environment file
takes effect, as MinIO's restart does.  Both are sent a moment after the answer went out.
"""

from __future__ import annotations

import atexit
import os
import signal
import sys
import threading

SERVER_PID = os.getpid()
RESTART_SIGNAL = signal.SIGUSR1
SIGNALS = {"stop": signal.SIGTERM, "restart": RESTART_SIGNAL}
ANSWER_FIRST_S = 0.3  # the signal waits this long, so the answer reaches the client
restart_requested = threading.Event()


def request(action: str) -> None:
    threading.Timer(ANSWER_FIRST_S, os.kill, (SERVER_PID, SIGNALS[action])).start()


def reexec() -> None:
    """Replace this process by a new server started the same way (never returns); what this one
    registered to run at exit (its metrics directory's removal) runs first."""
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    argv = sys.argv if getattr(sys, "frozen", False) else sys.orig_argv  # a one-file build: itself
    os.execv(sys.executable, [sys.executable, *argv[1:]])
