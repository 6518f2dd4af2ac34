# Cairn: `make run` sets everything up and runs a server; `make test` sets
# everything up and runs the whole suite.  `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DATA ?= ./data
# Debian packages: ISA-L and OpenSSL headers and a C compiler for the build;
# curl and rclone for the end-to-end tests, chromium for the CORS browser test; nodejs (with npm:
# the console target installs Debian's npm when no npm came with it) builds the web console.
APT_PACKAGES := libisal-dev libssl-dev gcc make pkg-config curl rclone chromium nodejs

.PHONY: help system venv build lint test test-fast test-tools run bench bench-quick bench-tools bench-engine console dist dist-test clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

system:  ## install the system packages that are missing (apt, as root)
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if ! $(PYTHON) -c 'import sysconfig, os, sys; sys.exit(not os.path.exists(sysconfig.get_paths()["include"] + "/Python.h"))' 2>/dev/null; then \
		missing="$$missing python3-dev"; fi; \
	if ! $(PYTHON) -c 'import ensurepip, venv' 2>/dev/null; then missing="$$missing python3-venv"; fi; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		if [ "$$(id -u)" != 0 ]; then echo "error: run as root or install:$$missing" >&2; exit 1; fi; \
		export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && apt-get install -y -qq $$missing >/dev/null; \
	fi

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip setuptools wheel

.stamp-deps: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q "cython>=3.0" "setuptools>=77" wheel
	$(BIN)/pip install -q --no-build-isolation -e ".[dev]"
	touch $@

venv: system .stamp-deps  ## create .venv with the project and its tools

build: venv  ## compile the Cython/C extensions in place
	@mkdir -p build && $(BIN)/python setup.py -q build_ext --inplace >build/ext.log 2>&1 || { cat build/ext.log; exit 1; }
	@$(BIN)/python -c 'import cairn.engine._erasure, cairn.engine._checksums, cairn.server.auth._chunked'

lint: build  ## ruff and mypy (strict on engine/ and server/)
	$(BIN)/ruff check .
	$(BIN)/mypy

test: build lint test-tools console  ## the whole suite: lint, then every test
	$(BIN)/python -m pytest -q tests

test-fast: build test-tools console  ## the suite without the slow scale and crash tests
	$(BIN)/python -m pytest -q -m "not slow" tests

test-tools: venv  ## restic, mc (go install), playwright-core (npm) for the end-to-end tests; skips what is there
	bash tests/install-clients.sh

run: build console  ## run a server on $(DATA) (the web console on :9001)
	$(BIN)/cairn server $(DATA)

# The web console (console/: Preact + aws4fetch, built by Vite): npm ci from the committed
# package-lock.json into console/node_modules, then a build into console/dist, which the server
# serves on --console-address.  Rebuilt when a source changes; nothing is fetched at run time.
CONSOLE_SOURCES := $(wildcard console/index.html console/vite.config.ts console/tsconfig.json \
	console/src/*.ts console/src/*.tsx console/src/*.css console/src/pages/*.tsx)

console: console/dist/index.html  ## build the web console into console/dist (npm ci + Vite)

console/node_modules/.package-lock.json: console/package.json console/package-lock.json
	@command -v npm >/dev/null || { \
		if [ "$$(id -u)" != 0 ]; then echo "error: npm is needed to build the console (apt-get install npm)" >&2; exit 1; fi; \
		echo "installing: npm"; export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && apt-get install -y -qq npm >/dev/null; }
	@node -e 'if (+process.versions.node.split(".")[0] < 18) { console.error("error: the console needs Node 18 or later, not " + process.version); process.exit(1) }'
	cd console && npm ci --no-audit --no-fund --loglevel=error

console/dist/index.html: console/node_modules/.package-lock.json $(CONSOLE_SOURCES)
	cd console && npm run --silent build

bench-tools: venv  ## warp + MinIO (go install) and py-spy + matplotlib; skips what is there
	bash bench/install-tools.sh

bench: build bench-tools  ## Cairn vs MinIO under warp beside raw limits, then profiles (~60 min)
	$(BIN)/python bench/warp_bench.py
	$(BIN)/python bench/profile_cairn.py

bench-quick: build bench-tools  ## the warp comparison in quick mode (~2 min), to check a change
	$(BIN)/python bench/warp_bench.py --quick

bench-engine: build  ## engine-only benchmarks beside the machine's raw limits (~3 min)
	$(BIN)/python bench/engine_bench.py

dist: build console  ## the one-file executable dist/cairn-<version>-linux-<arch> (PyInstaller, ~1 min)
	packaging/build_dist.sh

dist-test: dist  ## run that executable from an empty directory under env -i and test it with boto3
	$(BIN)/python -m pytest packaging/test_dist.py -q -s -p no:cacheprovider

clean:  ## remove build products (keeps .venv)
	rm -rf build engine/*.so engine/_*.c .stamp-deps console/dist
