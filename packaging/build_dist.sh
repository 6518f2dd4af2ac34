#!/usr/bin/env bash
# `make dist`: the one-file executable dist/cairn-<version>-linux-<arch> (packaging/cairn.spec).
# PyInstaller one-file: Python, Cairn, its compiled extensions (with ISA-L and libcrypto beside
# them) and its dependencies in one file that unpacks itself into $TMPDIR at each start and removes
# what it unpacked at exit.  PyInstaller is a build tool only: installed into the venv here.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PYINSTALLER_VERSION=6.22.3
if ! "$BIN/python" -c "import PyInstaller, sys; sys.exit(PyInstaller.__version__ != '$PYINSTALLER_VERSION')" 2>/dev/null; then
    "$BIN/pip" install -q "pyinstaller==$PYINSTALLER_VERSION"
fi
version=$("$BIN/python" -c 'from cairn.server.cli import VERSION; print(VERSION)')
name="cairn-$version-linux-$(uname -m)"
CAIRN_DIST_NAME="$name" "$BIN/pyinstaller" --distpath dist --workpath build/pyinstaller --noconfirm \
    --log-level WARN packaging/cairn.spec
echo "dist/$name: $(du -h "dist/$name" | cut -f1)"
