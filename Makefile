# Verdict: `make demo` runs the demo, `make test` installs what it needs and runs every check.
SHELL := /bin/bash
NPM_STAMP := node_modules/.verdict-installed

.PHONY: all build test typecheck lint unit demo tour bench conformance clean

all: build

# npm ci only when the lock file changed since the last install.
$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# The WebAssembly runtime (AssemblyScript) that every compiled policy links against.
RUNTIME_SCRIPT := compiler/runtime/build-runtime.mjs
RUNTIME_WASM := $(if $(wildcard $(RUNTIME_SCRIPT)),compiler/runtime/build/runtime.wasm,)
compiler/runtime/build/runtime.wasm: $(RUNTIME_SCRIPT) $(wildcard compiler/runtime/assembly/*.ts compiler/runtime/assembly/**/*.ts) $(NPM_STAMP)
	node $(RUNTIME_SCRIPT)

build: $(NPM_STAMP) $(RUNTIME_WASM)
	npx tsc -p tsconfig.build.json

typecheck: $(NPM_STAMP)
	npx tsc --noEmit -p tsconfig.json

lint: $(NPM_STAMP)
	npx eslint .

unit: $(NPM_STAMP) $(RUNTIME_WASM)
	npx vitest run

test: typecheck lint build unit

demo: build
	node dist/examples/demo/run-demo.js

# A scripted tour against the running demo (or its own, when none runs); exits non-zero when a step misbehaves.
tour: build
	node dist/examples/tour/run-tour.js

# Benchmarks compare against pgbouncer in the same run: install Debian's package when missing (needs root).
bench: build
	@command -v pgbouncer >/dev/null || [ -x /usr/sbin/pgbouncer ] || \
	  { [ "$$(id -u)" = 0 ] && (apt-get install -y -qq pgbouncer >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq pgbouncer)) ; } || \
	  echo "pgbouncer is not installed: proxy benchmarks compare with direct only"
	PATH="$$PATH:/usr/sbin" node dist/bench/run.js

# Measurement, not a gate: runs OPA's conformance cases from the shared folder.
CONFORMANCE_DIR ?= ../shared/opa-conformance
conformance: build
	node dist/compiler/conformance/run.js $(CONFORMANCE_DIR) --json conformance-report.json

clean:
	rm -rf dist
