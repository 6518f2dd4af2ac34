"""What the wheel declares against what the tree holds and imports.

- Packages: setuptools' own reading of setup.py and pyproject.toml (run_setup up to the
  configuration, then build_py's package directories) must name every directory with an
  __init__.py under engine/ and server/, at the directory it is, and nothing else.  The
  editable install of `make build` finds a forgotten subpackage anyway; a wheel does not.
- Dependencies: every top-level module that engine/ and server/ import (any `import`
  statement, in functions and `if TYPE_CHECKING:` blocks too, and `import_module("x")` with a
  literal name) is the stdlib, cairn, or provided by a declared dependency; and every declared
  dependency is imported somewhere, except the reserved ones below.

The compiled modules' .pyx sources are not scanned (ast does not read Cython); they cimport C
declarations (libc, cpython, our .pxd files) and import nothing from Python today.
tests/e2e/test_wheel.py builds the wheel, installs it into a fresh virtualenv and serves S3.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Source directory -> the name it installs as.
SOURCE_DIRS = {"engine": "cairn.engine", "server": "cairn.server"}
# Declared dependencies nothing imports yet, and why they are declared anyway.
RESERVED = {
    # S3 Select (coming) reads CSV, JSON and Parquet through it; declared now so that
    # deployments already carry it.
    "pyarrow": "S3 Select",
}

# Runs setup.py the way setuptools does (setup.py, then pyproject.toml's configuration) but
# stops before any command: "egg_info" keeps setup.py from compiling the extensions.
DECLARED = """
import json, setuptools
from distutils.core import run_setup
dist = run_setup("setup.py", ["egg_info"], stop_after="config")
build_py = dist.get_command_obj("build_py")
build_py.ensure_finalized()
print(json.dumps({
    "packages": {p: build_py.get_package_dir(p) for p in dist.packages or []},
    "requires": list(dist.install_requires or []),
}))
"""


@pytest.fixture(scope="module")
def declared() -> dict[str, object]:
    done = subprocess.run([sys.executable, "-c", DECLARED], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, f"setup.py failed:\n{done.stdout}\n{done.stderr}"
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def normalize(distribution: str) -> str:
    """A distribution name as PEP 503 compares them (typing_extensions == typing-extensions)."""
    return re.sub(r"[-_.]+", "-", distribution).lower()


def requirement_name(requirement: str) -> str:
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    assert match, f"unreadable requirement {requirement!r}"
    return normalize(match.group(1))


def packages_in_tree() -> dict[str, str]:
    """{installed name: directory relative to the root} of every directory with an __init__.py."""
    found = {}
    for directory, name in SOURCE_DIRS.items():
        for init in (ROOT / directory).rglob("__init__.py"):
            sub = init.parent.relative_to(ROOT / directory).parts
            found[".".join((name, *sub))] = init.parent.relative_to(ROOT).as_posix()
    return found


def source_files() -> list[Path]:
    return sorted(p for d in SOURCE_DIRS for ext in ("*.py", "*.pyi") for p in (ROOT / d).rglob(ext))


def imported_modules(path: Path) -> Iterator[tuple[str, int]]:
    """(top-level module, line) of each absolute import in a file; relative ones are cairn's."""
    try:
        tree = ast.parse(path.read_bytes(), filename=str(path))
    except SyntaxError as exc:
        pytest.fail(f"{path.relative_to(ROOT)} does not parse: {exc}")
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name.partition(".")[0], node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0 and node.module:
                yield node.module.partition(".")[0], node.lineno
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            first = node.args[0]
            if (called in ("import_module", "__import__") and isinstance(first, ast.Constant)
                    and isinstance(first.value, str) and not first.value.startswith(".")):
                yield first.value.partition(".")[0], node.lineno


def all_imports() -> dict[str, list[str]]:
    """{top-level module: ["engine/x.py:12", ...]} over engine/ and server/."""
    found: dict[str, list[str]] = {}
    for path in source_files():
        for module, line in imported_modules(path):
            found.setdefault(module, []).append(f"{path.relative_to(ROOT)}:{line}")
    return found


def import_names(requires: list[str]) -> dict[str, set[str]]:
    """{declared distribution: the top-level modules it installs}, from the installed metadata."""
    provided: dict[str, set[str]] = {}
    for module, distributions in packages_distributions().items():
        for distribution in distributions:
            provided.setdefault(normalize(distribution), set()).add(module)
    names = {requirement_name(r): provided.get(requirement_name(r), set()) for r in requires}
    missing = sorted(d for d, modules in names.items() if not modules)
    assert not missing, f"declared but not installed in this environment (run `make venv`): {missing}"
    return names


def test_every_package_directory_is_declared_where_it_is(declared: dict[str, object]) -> None:
    in_tree = packages_in_tree()
    assert {"cairn.engine", "cairn.server", "cairn.server.auth", "cairn.server.handlers"} <= in_tree.keys()
    packages = declared["packages"]
    assert isinstance(packages, dict)
    declared_dirs = {name: Path(directory).as_posix() for name, directory in packages.items()}
    assert declared_dirs == in_tree


@pytest.fixture(scope="module")
def imports() -> dict[str, list[str]]:
    return all_imports()


@pytest.fixture(scope="module")
def dependencies(declared: dict[str, object]) -> dict[str, set[str]]:
    requires = declared["requires"]
    assert isinstance(requires, list)
    return import_names(requires)


def test_every_third_party_import_is_a_declared_dependency(
    imports: dict[str, list[str]], dependencies: dict[str, set[str]]
) -> None:
    allowed = set(sys.stdlib_module_names) | {"cairn"}
    for modules in dependencies.values():
        allowed |= modules
    undeclared = {module: where for module, where in imports.items() if module not in allowed}
    assert not undeclared, f"imported but not declared in pyproject.toml's dependencies: {undeclared}"


def test_every_declared_dependency_is_imported(
    imports: dict[str, list[str]], dependencies: dict[str, set[str]]
) -> None:
    imported = imports.keys()
    unused = sorted(d for d, modules in dependencies.items() if not modules & imported and d not in RESERVED)
    assert not unused, f"declared in pyproject.toml but imported nowhere in engine/ or server/: {unused}"
    assert RESERVED.keys() <= dependencies.keys(), "a reserved dependency is not declared: drop it"
    in_use = sorted(d for d in RESERVED if dependencies[d] & imported)
    assert not in_use, f"imported now, no longer reserved: drop from RESERVED: {in_use}"
