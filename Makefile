# Verdict: `make demo` runs the demo, `make test` installs what it needs and runs every check.
SHELL := /bin/bash
NPM_STAMP := node_modules/.verdict-installed

.PHONY: all build test typecheck lint unit demo bench conformance clean

all: build

# npm ci only when the lock file changed since the last install.
$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

build: $(NPM_STAMP)
	npx tsc -p tsconfig.build.json

typecheck: $(NPM_STAMP)
	npx tsc --noEmit -p tsconfig.json

lint: $(NPM_STAMP)
	npx eslint .

unit: $(NPM_STAMP)
	npx vitest run

test: typecheck lint build unit

demo: build
	node dist/examples/demo/run-demo.js

bench: build
	node dist/bench/run.js

clean:
	rm -rf dist
