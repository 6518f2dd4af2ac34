"""LocalDrive's own behaviour: its health check, run from several threads at once."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

from cairn.engine.api import ObjectLayer


def test_concurrent_checks_reopen_a_replaced_database_once(tmp_path: Path) -> None:
    """The watcher and health probes call check() at the same time: a metadata database replaced
    under the drive (a new inode) is reopened once, never twice, and no check fails."""
    with ObjectLayer.open([str(tmp_path / "d0"), str(tmp_path / "d1")]) as layer:
        drive = layer.drives[0]
        path = drive.drive.meta_db_path
        errors: list[BaseException] = []
        for _ in range(20):
            shutil.copy(path, path + ".new")
            os.replace(path + ".new", path)
            barrier = threading.Barrier(8)

            def check(barrier: threading.Barrier = barrier) -> None:
                barrier.wait()
                try:
                    drive.check()
                except BaseException as exc:
                    errors.append(exc)

            threads = [threading.Thread(target=check) for _ in range(8)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        committers = [t for t in threading.enumerate()
                      if t.name.startswith("metastore-") and t.name.endswith(drive.name)]
        assert (errors, len(committers)) == ([], 1)
        assert drive.online
