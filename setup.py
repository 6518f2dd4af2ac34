"""Build of Cairn's compiled modules.

The extensions link the system ISA-L (libisal-dev) and OpenSSL's libcrypto
(libssl-dev); a missing one stops the build with a one-line message saying
what to install rather than a compiler traceback.
"""

from __future__ import annotations

import os
import sys

from setuptools import Extension, find_packages, setup

REQUIRED_HEADERS = {
    "isa-l/erasure_code.h": "libisal-dev",
    "isa-l/crc.h": "libisal-dev",
    "openssl/evp.h": "libssl-dev",
}
INCLUDE_DIRS = ["/usr/include", "/usr/local/include"]
HERE = os.path.dirname(os.path.abspath(__file__))
# The source directories and the names they install as.  Every directory below
# them with an __init__.py is a subpackage, found at build time: a new one needs
# no edit here (tests/test_packaging.py checks the wheel would carry them all).
PACKAGE_DIRS = {"cairn.engine": "engine", "cairn.server": "server"}
# Files besides modules that the wheel carries, in every package: type stubs of
# the compiled modules and the PEP 561 marker.  The .so files come from
# build_ext; the generated .c files and the .pyx/.pxd sources stay out.
PACKAGE_DATA = {"": ["*.pyi", "py.typed"]}
# Cython resolves the modules' relative cimports by their installed names
# (cairn.engine.*), and mypy checks the packages under those names: this tree
# of symlinks maps engine/ and server/ to them (Cython's include path, mypy_path).
PKG_TREE = os.path.join(HERE, "build", "pkg")


def check_system_libraries() -> None:
    for header, package in REQUIRED_HEADERS.items():
        if not any(os.path.exists(os.path.join(d, header)) for d in INCLUDE_DIRS):
            sys.exit(f"error: {header} not found: install it with `apt-get install {package}`")


def packages() -> list[str]:
    """Installed names of the packages in PACKAGE_DIRS and of every subpackage below them."""
    found = []
    for name, directory in PACKAGE_DIRS.items():
        found.append(name)
        found += [f"{name}.{sub}" for sub in find_packages(os.path.join(HERE, directory))]
    return sorted(found)


def make_package_tree() -> None:
    package = os.path.join(PKG_TREE, "cairn")
    os.makedirs(package, exist_ok=True)
    open(os.path.join(package, "__init__.pxd"), "a").close()
    for name, directory in PACKAGE_DIRS.items():
        link = os.path.join(package, name.rpartition(".")[2])
        if not os.path.islink(link):
            os.symlink(os.path.join(HERE, directory), link)


def extensions() -> list[Extension]:
    common = {"include_dirs": ["csrc"], "extra_compile_args": ["-O3"]}
    return [
        Extension(
            "cairn.engine._checksums",
            ["engine/_checksums.pyx", "csrc/crc64nvme.c"],
            libraries=["isal", "crypto"],
            **common,  # type: ignore[arg-type]
        ),
        Extension(
            "cairn.engine._erasure",
            ["engine/_erasure.pyx"],
            libraries=["isal"],
            **common,  # type: ignore[arg-type]
        ),
        Extension(
            "cairn.server.auth._chunked",
            ["server/auth/_chunked.pyx"],
            libraries=["crypto"],
            **common,  # type: ignore[arg-type]
        ),
    ]


building = any(a.startswith(("build", "bdist", "develop", "install", "editable")) for a in sys.argv[1:])
ext_modules: list[Extension] = []
if building or "egg_info" not in sys.argv:
    check_system_libraries()
    make_package_tree()
    from Cython.Build import cythonize

    ext_modules = cythonize(
        extensions(),
        compiler_directives={"language_level": "3", "embedsignature": True},
        include_path=[PKG_TREE],
    )

setup(
    packages=packages(),
    package_dir=PACKAGE_DIRS,
    package_data=PACKAGE_DATA,
    include_package_data=False,
    ext_modules=ext_modules,
)
