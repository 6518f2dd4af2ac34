#!/usr/bin/env bash
# Install what the warp benchmark needs, skipping whatever is already there:
#   warp and MinIO, built with `go install` into build/bench-tools/bin (gitignored);
#   py-spy (profiles) and matplotlib (the PNG chart) into the project's .venv with pip.
# Versions are pinned so two runs compare the same peer; override with WARP_VERSION /
# MINIO_VERSION.  Some module proxies refuse the version list of a module (which
# `go install m@v` asks for its deprecation notice) and the checksum-database lookup; then the
# module is fetched with `go mod download` and built from its directory, its own go.sum
# still checking every dependency.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BENCH_TOOLS:-$PWD/build/bench-tools/bin}
WARP_VERSION=${WARP_VERSION:-v1.3.1}
MINIO_VERSION=${MINIO_VERSION:-v0.0.0-20260212201848-7aac2a2c5b7c}
PY=${PY:-.venv/bin/python}
mkdir -p "$BIN"

go_tool() {  # name module version
    local name=$1 module=$2 version=$3 dir
    if [ -x "$BIN/$name" ]; then return 0; fi
    command -v go >/dev/null || { echo "error: Go is needed to build $name (apt-get install golang-go)" >&2; exit 1; }
    echo "building $name ($module@$version; MinIO takes several minutes on 2 cores) ..."
    if ! GOBIN="$BIN" go install "$module@$version" 2>"$BIN/../$name-install.log"; then
        echo "  go install refused (see $BIN/../$name-install.log); building from the downloaded module"
        dir=$(GONOSUMDB="$module" GOFLAGS=-mod=mod go mod download -json "$module@$version" \
              | "$PY" -c 'import json, sys; print(json.load(sys.stdin)["Dir"])')
        (cd "$dir" && GOFLAGS=-mod=mod go build -trimpath -o "$BIN/$name" .)
    fi
    echo "$version" >"$BIN/$name.version"  # a binary built in its module directory says "(devel)"
}

go_tool warp github.com/minio/warp "$WARP_VERSION"
go_tool minio github.com/minio/minio "$MINIO_VERSION"

if ! "$PY" -c 'import matplotlib' 2>/dev/null || [ ! -x "$(dirname "$PY")/py-spy" ]; then
    echo "installing py-spy and matplotlib into $(dirname "$(dirname "$PY")") ..."
    "$PY" -m pip install -q py-spy matplotlib
fi
