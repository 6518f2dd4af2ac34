#!/usr/bin/env bash
# Install the client programs the end-to-end tests run that neither apt (rclone, curl: see the
# Makefile's APT_PACKAGES) nor the venv (awscli, boto3, minio, s3cmd) provide, skipping whatever is
# already there:
#   restic and MinIO's mc (the reference admin client), built with `go install` into
#   build/test-tools/bin (gitignored);
#   playwright-core from npm into build/test-tools/node (the browser test drives Debian's chromium,
#   an APT package, with it: playwright's own browser download is never used).
# The versions are pinned so every run tests the same client; override with RESTIC_VERSION.  Some
# module proxies refuse the version list of a module (which `go install m@v` asks for its
# deprecation notice) and the checksum-database lookup; then the module is fetched with
# `go mod download` and built from its directory, its own go.sum still checking every dependency.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${TEST_TOOLS:-$PWD/build/test-tools/bin}
RESTIC_VERSION=${RESTIC_VERSION:-v0.19.1}
MC_VERSION=${MC_VERSION:-v0.0.0-20250313080218-cf909e1063a9}
PLAYWRIGHT_VERSION=${PLAYWRIGHT_VERSION:-1.64.1}
NODE_TOOLS=${NODE_TOOLS:-$PWD/build/test-tools/node}
PY=${PY:-.venv/bin/python}
mkdir -p "$BIN"

go_tool() {  # name module package-within-the-module version
    local name=$1 module=$2 package=$3 version=$4 dir path
    path=$module${package:+/$package}
    if [ -x "$BIN/$name" ] && [ "$(cat "$BIN/$name.version" 2>/dev/null)" = "$version" ]; then return 0; fi
    command -v go >/dev/null || { echo "error: Go is needed to build $name (apt-get install golang-go)" >&2; exit 1; }
    echo "building $name ($module@$version, about 3 minutes on 2 cores with a cold module cache) ..."
    rm -f "$BIN/$name" "$BIN/$name.version"
    if ! GOBIN="$BIN" go install "$path@$version" 2>"$BIN/../$name-install.log"; then
        echo "  go install refused (see $BIN/../$name-install.log); building from the downloaded module"
        dir=$(GONOSUMDB="$module" GOFLAGS=-mod=mod go mod download -json "$module@$version" \
              | "$PY" -c 'import json, sys; print(json.load(sys.stdin)["Dir"])')
        (cd "$dir" && GOFLAGS=-mod=mod go build -trimpath -o "$BIN/$name" "./${package:-.}")
    fi
    echo "$version" >"$BIN/$name.version"  # a binary built in its module directory says "(devel)"
}

go_tool restic github.com/restic/restic cmd/restic "$RESTIC_VERSION"
go_tool mc github.com/minio/mc "" "$MC_VERSION"

npm_tool() {  # package version: into $NODE_TOOLS/node_modules, skipped when that version is there
    local package=$1 version=$2 installed
    installed=$(node -p "require('$NODE_TOOLS/node_modules/$package/package.json').version" 2>/dev/null || true)
    if [ "$installed" = "$version" ]; then return 0; fi
    command -v npm >/dev/null || { echo "error: npm is needed to install $package (apt-get install npm)" >&2; exit 1; }
    echo "installing $package@$version (npm) ..."
    mkdir -p "$NODE_TOOLS"
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --prefix "$NODE_TOOLS" --no-save --no-audit --no-fund \
        --loglevel=error "$package@$version"
}

npm_tool playwright-core "$PLAYWRIGHT_VERSION"
