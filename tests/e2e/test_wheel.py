"""The wheel is the product: built from the tree, installed into a fresh virtualenv outside it
(its dependencies from the package index), it serves S3 with nothing of the tree in reach: no
editable install, no PYTHONPATH, no .venv on PATH, another working directory.

The build runs on a copy of the tree without build products: a wheel built in place would
pick up build/ (shared with `make build`, and build_py never deletes a module gone from the
tree, so build/lib can carry stale ones) and must not depend on the in-place .so files.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import ACCESS_KEY, BIN, SECRET_KEY, Server, free_port, stop_server_process

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SOURCE_DIRS = {"engine": "cairn/engine", "server": "cairn/server"}
# Not copied for the build: products of builds, tools and runs.
SKIP_AT_ROOT = {".git", ".venv", "build", "dist", "data", ".pytest_cache", ".mypy_cache", ".ruff_cache",
                ".hypothesis"}
EXT_SUFFIX = sysconfig.get_config_var("EXT_SUFFIX")
# Imports every module of the installed packages and says where each came from.
IMPORT_ALL = """
import importlib, json, pkgutil, sysconfig
import cairn
def onerror(name):
    raise
files = {}
for info in pkgutil.walk_packages(cairn.__path__, "cairn.", onerror=onerror):
    files[info.name] = importlib.import_module(info.name).__file__
print(json.dumps({"files": files, "site": [sysconfig.get_path("purelib"), sysconfig.get_path("platlib")]}))
"""


def ignore_build_products(directory: str, names: list[str]) -> set[str]:
    here = Path(directory)
    skip = {n for n in names if n == "__pycache__" or n.endswith((".egg-info", ".so"))}
    if here == ROOT:
        skip |= SKIP_AT_ROOT & set(names)
    # the C that Cython generates beside each .pyx
    skip |= {n for n in names if n.endswith(".c") and (here / n).with_suffix(".pyx").exists()}
    return skip


def clean_env(venv: Path) -> dict[str, str]:
    """os.environ without PYTHONPATH and friends, with no PATH entry into the tree or the test's venv."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV")}
    kept = [p for p in env.get("PATH", "").split(os.pathsep)
            if p and not Path(p).resolve().is_relative_to(ROOT) and Path(p).resolve() != BIN.resolve()]
    env["PATH"] = os.pathsep.join([str(venv / "bin"), *kept])
    return env


def run(args: list[str], timeout: float, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(args, capture_output=True, text=True, timeout=timeout, cwd=cwd, env=env)
    assert done.returncode == 0, f"{' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    src = tmp_path_factory.mktemp("wheel-src") / "cairn"
    shutil.copytree(ROOT, src, ignore=ignore_build_products, symlinks=True)
    yield src
    shutil.rmtree(src, ignore_errors=True)


@pytest.fixture(scope="module")
def wheel(source: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("wheel-dist")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", str(source),
         "-w", str(dist)], timeout=900, env=env, cwd=dist)
    wheels = list(dist.glob("cairn-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A fresh virtualenv (no system site-packages) with the wheel and its dependencies."""
    path = tmp_path_factory.mktemp("wheel-venv") / "venv"
    assert not path.resolve().is_relative_to(ROOT), f"{path} is inside the tree"
    env = clean_env(path)
    run([sys.executable, "-m", "venv", str(path)], timeout=300, cwd=path.parent, env=env)
    run([str(path / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)], timeout=900, env=env,
        cwd=path.parent)
    run([str(path / "bin" / "python"), "-m", "pip", "check"], timeout=120, env=env, cwd=path.parent)
    yield path
    shutil.rmtree(path, ignore_errors=True)  # some 200 MB, pyarrow most of it


def wait_live(srv: Server, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if srv.process.poll() is not None:
            pytest.fail(f"server exited ({srv.process.returncode}):\n{srv.log.read_text()}")
        try:
            with urllib.request.urlopen(f"{srv.endpoint}/minio/health/live", timeout=1) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.1)
    stop_server_process(srv.process)
    pytest.fail(f"server did not answer /minio/health/live in {timeout} s:\n{srv.log.read_text()}")


@pytest.fixture(scope="module")
def server(venv: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The installed `cairn server` (overrides conftest's, so its s3 and bucket fixtures talk to it)."""
    run_dir = tmp_path_factory.mktemp("wheel-run")
    drive = run_dir / "drive"
    port = free_port()
    log = run_dir / "server.log"
    env = clean_env(venv) | {"CAIRN_ROOT_USER": ACCESS_KEY, "CAIRN_ROOT_PASSWORD": SECRET_KEY}
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(venv / "bin" / "cairn"), "server", str(drive), "--address", f"127.0.0.1:{port}",
             "--workers", "1"],
            stdout=out, stderr=subprocess.STDOUT, env=env, cwd=run_dir, start_new_session=True,
        )
    srv = Server(f"http://127.0.0.1:{port}", port, [drive], process, log)
    wait_live(srv)
    yield srv
    code = stop_server_process(process)
    assert code == 0, f"server exited {code} on SIGTERM:\n{log.read_text()}"


def test_wheel_carries_modules_stubs_markers_and_compiled_modules(wheel: Path, source: Path) -> None:
    expected = set()
    for directory, installed in SOURCE_DIRS.items():
        for path in (source / directory).rglob("*"):
            rel = path.relative_to(source / directory).as_posix()
            if path.suffix in (".py", ".pyi") or path.name == "py.typed":
                expected.add(f"{installed}/{rel}")
            elif path.suffix == ".pyx":
                expected.add(f"{installed}/{rel[:-len('.pyx')]}{EXT_SUFFIX}")
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
    assert {n for n in names if n.startswith("cairn/")} == expected
    name, version = wheel.name.split("-")[:2]
    assert {n.partition("/")[0] for n in names} == {"cairn", f"{name}-{version}.dist-info"}
    for required in ("cairn/server/auth/__init__.py", "cairn/server/auth/sigv4.py",
                     "cairn/server/handlers/__init__.py", "cairn/server/handlers/get.py",
                     f"cairn/engine/_erasure{EXT_SUFFIX}", f"cairn/engine/_checksums{EXT_SUFFIX}",
                     f"cairn/server/auth/_chunked{EXT_SUFFIX}", "cairn/server/auth/_chunked.pyi",
                     "cairn/engine/_erasure.pyi", "cairn/engine/_checksums.pyi",
                     "cairn/engine/py.typed", "cairn/server/py.typed"):
        assert required in names


def test_installed_packages_import_from_the_fresh_venv(venv: Path, tmp_path: Path) -> None:
    done = run([str(venv / "bin" / "python"), "-c", IMPORT_ALL], timeout=120, env=clean_env(venv),
               cwd=tmp_path)
    report = json.loads(done.stdout.strip().splitlines()[-1])
    files, site = report["files"], [Path(p).resolve() for p in report["site"]]
    assert all(p.is_relative_to(venv.resolve()) for p in site), site
    assert {"cairn.engine", "cairn.server", "cairn.server.auth", "cairn.server.handlers",
            "cairn.engine._erasure", "cairn.engine._checksums", "cairn.server.auth._chunked",
            "cairn.server.cli"} <= files.keys()
    elsewhere = {m: f for m, f in files.items() if not any(Path(f).resolve().is_relative_to(s) for s in site)}
    assert not elsewhere, f"loaded from outside the fresh venv's site-packages: {elsewhere}"


def test_installed_server_serves_s3(server: Server, s3, bucket: str) -> None:  # type: ignore[no-untyped-def]
    big = os.urandom(3 << 20) + b"tail"  # beyond the inline size: erasure-coded shard files
    small = b"small object from the wheel\n"
    assert bucket in {b["Name"] for b in s3.list_buckets()["Buckets"]}
    put_big = s3.put_object(Bucket=bucket, Key="big.bin", Body=big)
    put_small = s3.put_object(Bucket=bucket, Key="dir/small.txt", Body=small)
    assert put_big["ETag"] == f'"{hashlib.md5(big).hexdigest()}"'
    assert put_small["ETag"] == f'"{hashlib.md5(small).hexdigest()}"'
    assert s3.get_object(Bucket=bucket, Key="big.bin")["Body"].read() == big
    assert s3.get_object(Bucket=bucket, Key="dir/small.txt")["Body"].read() == small
    listed = s3.list_objects_v2(Bucket=bucket)["Contents"]
    assert {(o["Key"], o["Size"]) for o in listed} == {("big.bin", len(big)), ("dir/small.txt", len(small))}
