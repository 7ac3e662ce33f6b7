# BZPEER: `make run` serves the app with demo data; `make test` runs every test.
# Both install what is missing first (each step checks before it installs), following
# ../shared/TOOLCHAIN.md: nothing is downloaded from outside the package registries.

SHELL := /bin/bash
.DEFAULT_GOAL := help

CARGO_LEPTOS_VERSION := 0.3.10
WASM_OPT_VERSION := 132
# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly.
WASM_BINDGEN_VERSION := $(shell awk '/^name = "wasm-bindgen"$$/ { getline; gsub(/"/, "", $$3); print $$3; exit }' Cargo.lock)

export PATH := $(CURDIR)/end2end/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Debug builds and tests share one build when they use the flags cargo-leptos uses.
TEST_ENV := RUSTFLAGS="--cfg erase_components" LEPTOS_OUTPUT_NAME=bzpeer
# The server #[sqlx::test] creates its per-test databases on.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres

.PHONY: help run run-many bench-replica test test-fast tools test-tools lint unit-and-db-tests browser-tests release bench-graph \
        size bench-tti bench-scale bench-suggest bench-harvest twiggy wasm-target cargo-leptos wasm-bindgen node-packages chromium postgres-binaries postgres-server xmllint

help:
	@echo "make run    build and serve on http://127.0.0.1:3000 (LEPTOS_SITE_ADDR overrides), demo data included"
	@echo "make test   every test: format, lints, unit, database, HTTP, slow and browser tests"
	@echo "make test-fast     format, lints, unit, database and HTTP tests (no slow target, no browser)"
	@echo "make run-many      two release servers on one database behind a round-robin proxy on :3000"
	@echo "make bench-graph   our wasm graph layout and canvas frame against d3-force and plain JS (not a test)"
	@echo "make size          wasm, JS and CSS each page kind downloads (raw/gzip/brotli), against the budget"
	@echo "make bench-tti     the reference profile on a throttled CPU and network: paint, hydration, bytes"
	@echo "                   (both: BENCH_SERVER=<server binary> BENCH_SITE=<site root> measure another build)"
	@echo "make bench-scale   load benchmark on 1M authors / 3M works (AUTHORS=, WORKS=), budgets per page kind"
	@echo "make bench-suggest collaborator suggestions vs common neighbours, Adamic-Adar, topics (P@10, R@10, MRR)"
	@echo "make bench-replica profile throughput with reads on a streaming replica vs the primary (100k authors)"
	@echo "make bench-harvest server harvest openalex against a local stub beside a file import of the same records"

# The outbox page lets a developer open verification links without SMTP; the server serves it
# only on a loopback address (BZPEER_DEV_OUTBOX=0 turns it off).
run: tools
	BZPEER_DEV_OUTBOX=$${BZPEER_DEV_OUTBOX-1} cargo leptos serve --release --precompress --cargo-locked

# Two server processes on one database (the first imports the demo data before the second
# starts) behind a round-robin proxy on :3000; DATABASE_READ_URL and the rest pass through.
run-many: release
	@trap 'kill $$(jobs -p) 2>/dev/null' EXIT INT TERM; \
	  export BZPEER_SITE_URL=http://127.0.0.1:3000 BZPEER_TRUSTED_PROXIES=1 BZPEER_DEV_OUTBOX=$${BZPEER_DEV_OUTBOX-1} LEPTOS_SITE_ROOT=target/site LEPTOS_OUTPUT_NAME=bzpeer; \
	  LEPTOS_SITE_ADDR=127.0.0.1:3101 target/server-release/server serve & \
	  until curl -sf http://127.0.0.1:3101/readyz >/dev/null; do sleep 0.5; done; \
	  LEPTOS_SITE_ADDR=127.0.0.1:3102 target/server-release/server serve --no-demo & \
	  until curl -sf http://127.0.0.1:3102/readyz >/dev/null; do sleep 0.5; done; \
	  node scripts/round-robin-proxy.mjs 3000 3101 3102

test: test-tools lint unit-and-db-tests browser-tests

# The quick loop: format, lints, unit, database and HTTP tests; no slow target, no browser.
test-fast: wasm-target postgres-server xmllint lint
	$(TEST_ENV) DATABASE_URL=$(TEST_DATABASE_URL) cargo test $(SERVER_PACKAGES) $(FAST_TESTS) --locked

# Every crate the server's build compiles (the browser's, frontend, is linted on its own target).
SERVER_PACKAGES := -p bzpeer-core -p formats -p db -p ingest -p jobs -p app -p server -p graph-layout -p bench-scale \
                   -p test-data
# Every test target but the slow process-level ones (server's `slow`: outages, many servers, two
# processes, the embedded cluster, replicas, fuzzing, load).
FAST_TESTS := --lib --bins --test integration --test logs --test db --test ingest

lint:
	cargo fmt --all --check
	$(TEST_ENV) cargo clippy $(SERVER_PACKAGES) --all-targets --locked -- -D warnings
	$(TEST_ENV) cargo clippy -p frontend --target wasm32-unknown-unknown --locked -- -D warnings

unit-and-db-tests:
	$(TEST_ENV) DATABASE_URL=$(TEST_DATABASE_URL) cargo test $(SERVER_PACKAGES) --locked

release:
	cargo leptos build --release --precompress --cargo-locked

# Browser tests run against the release build: a broken wasm-opt shows only there. Two workers,
# tests in a shuffled order; the seed is printed, and E2E_SEED=<seed> replays that order.
browser-tests: release
	rm -rf end2end/test-results
	cd end2end && (npx playwright test --shuffle$(if $(E2E_SEED),=$(E2E_SEED)) || true) && node summary.mjs

# ---- benchmarks: they report, they never fail on a missed target ------------------------------

BENCH_GRAPH := target/bench-graph
WASM_OPT_FLAGS := --enable-bulk-memory --enable-nontrapping-float-to-int

# Our layout and frame in one headless Chromium page against d3-force and a plain-JS canvas loop.
# pkg/ is built for speed (opt-level 3, wasm-opt -O3); pkg-app-profile/ as the app bundle is
# (the wasm-release profile, opt-level "z", and cargo-leptos's wasm-opt -Oz), so the report shows both.
bench-graph: tools chromium
	cargo build -p graph-bench --target wasm32-unknown-unknown --profile bench-wasm --locked
	cargo build -p graph-bench --target wasm32-unknown-unknown --profile wasm-release --locked
	rm -rf $(BENCH_GRAPH) && mkdir -p $(BENCH_GRAPH)
	wasm-bindgen --target web --no-typescript --out-dir $(BENCH_GRAPH)/pkg \
		target/wasm32-unknown-unknown/bench-wasm/graph_bench.wasm
	wasm-opt -O3 $(WASM_OPT_FLAGS) $(BENCH_GRAPH)/pkg/graph_bench_bg.wasm -o $(BENCH_GRAPH)/pkg/graph_bench_bg.wasm
	wasm-bindgen --target web --no-typescript --out-dir $(BENCH_GRAPH)/pkg-app-profile \
		target/wasm32-unknown-unknown/wasm-release/graph_bench.wasm
	wasm-opt -Oz $(WASM_OPT_FLAGS) $(BENCH_GRAPH)/pkg-app-profile/graph_bench_bg.wasm \
		-o $(BENCH_GRAPH)/pkg-app-profile/graph_bench_bg.wasm
	esbuild end2end/bench/page.mjs --bundle --format=esm --log-level=warning --outfile=$(BENCH_GRAPH)/page.js
	cp end2end/bench/index.html $(BENCH_GRAPH)/
	node end2end/bench/run.mjs $(BENCH_GRAPH) '$(BENCH_GRAPH_QUERY)'

# Download size and time to interactive. Both start their own release server on a fresh database
# (bzpeer_size, bzpeer_tti) on ports 3210 / 3220 and report without failing on a missed budget
# (end2end/size-budget.json; the test of it is end2end/tests/size-budget.spec.ts). The default build
# is rebuilt first; another one (BENCH_SERVER=..., BENCH_SITE=...) is measured as it is.
BENCH_SERVER ?= target/server-release/server
BENCH_SITE ?= target/site
BENCH_BUILD := $(if $(filter target/server-release/server,$(BENCH_SERVER)),tools release)
SIZE_PORT ?= 3210
TTI_PORT ?= 3220

size: $(BENCH_BUILD) node-packages chromium twiggy
	node end2end/bench/size.mjs --server $(BENCH_SERVER) --site $(BENCH_SITE) --port $(SIZE_PORT) \
		--out target/size-report.json

bench-tti: $(BENCH_BUILD) node-packages chromium
	node end2end/bench/tti.mjs --server $(BENCH_SERVER) --site $(BENCH_SITE) --port $(TTI_PORT)

# The load benchmark (docs/benchmarks.md "bench-scale"): the release server on database bzpeer_scale, filled by
# `server generate` unless it already holds this size and seed. The tool is built with the env
# cargo-leptos gives the server's release build (LEPTOS_OUTPUT_NAME, no RUSTFLAGS), so it reuses
# that build of the app and the server instead of compiling them again.
AUTHORS ?= 1000000
WORKS ?= 3000000
SEED ?= 1
SCALE_PORT ?= 3230
SCALE_REQUESTS ?= 20000
SCALE_SECONDS ?= 120

bench-scale: $(BENCH_BUILD) postgres-server
	LEPTOS_OUTPUT_NAME=bzpeer cargo build -p bench-scale --profile server-release --locked
	target/server-release/bench-scale --server $(BENCH_SERVER) --site $(BENCH_SITE) --port $(SCALE_PORT) \
		--authors $(AUTHORS) --works $(WORKS) --seed $(SEED) --requests $(SCALE_REQUESTS) \
		--seconds $(SCALE_SECONDS) $(if $(IMPORT_RATE),--import-rate $(IMPORT_RATE)) $(SCALE_ARGS)

# Collaborator suggestions measured against the latest year's new co-authorships (docs/suggestions.md): on the demo catalogue (database bzpeer_suggest_demo) and on a
# synthetic one of SUGGEST_AUTHORS / SUGGEST_WORKS (database bzpeer_suggest, generated once).
SUGGEST_AUTHORS ?= 100000
SUGGEST_WORKS ?= 300000

bench-suggest: $(BENCH_BUILD) postgres-server
	LEPTOS_OUTPUT_NAME=bzpeer cargo build -p bench-scale --profile server-release --locked
	target/server-release/bench-scale --suggest --server $(BENCH_SERVER) --database bzpeer_suggest \
		--authors $(SUGGEST_AUTHORS) --works $(SUGGEST_WORKS) --seed $(SEED) $(SUGGEST_ARGS)

# The profile page with its reads on a streaming replica against the same on the primary
# (docs/many-servers.md): a private primary and replica under target/bench-scale/replica.
REPLICA_AUTHORS ?= 100000
REPLICA_WORKS ?= 300000

bench-replica: $(BENCH_BUILD) postgres-binaries
	LEPTOS_OUTPUT_NAME=bzpeer cargo build -p bench-scale --profile server-release --locked
	target/server-release/bench-scale --replica --server $(BENCH_SERVER) --site $(BENCH_SITE) --port $(SCALE_PORT) \
		--authors $(REPLICA_AUTHORS) --works $(REPLICA_WORKS) --seed $(SEED) --requests $(SCALE_REQUESTS) \
		--seconds $(SCALE_SECONDS)

# `server harvest openalex` against a local OpenAlex stub beside `server import` of the same
# records, each into a fresh database (WORKS=, default 5,000).
bench-harvest: $(BENCH_BUILD) postgres-server
	BENCH_SERVER=$(BENCH_SERVER) bench/harvest/run.sh

# The wasm's largest items, printed by `make size`.
twiggy:
	@command -v twiggy >/dev/null || cargo install twiggy --locked || cargo install twiggy

# ---- installs, each guarded by a check -------------------------------------------------------

tools: wasm-target cargo-leptos wasm-bindgen node-packages postgres-binaries
test-tools: tools chromium postgres-server xmllint

wasm-target:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown

cargo-leptos:
	@cargo leptos --version 2>/dev/null | grep -q " $(CARGO_LEPTOS_VERSION)" || \
		cargo install cargo-leptos --version $(CARGO_LEPTOS_VERSION) --features no_downloads --locked

# Without --locked: its own lock file pins a yanked crate.
wasm-bindgen:
	@test -n "$(WASM_BINDGEN_VERSION)" || { echo "wasm-bindgen is missing from Cargo.lock"; exit 1; }
	@wasm-bindgen --version 2>/dev/null | grep -q " $(WASM_BINDGEN_VERSION)$$" || \
		cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION) --force

node-packages:
	@command -v npm >/dev/null || { $(SUDO) apt-get update && $(SUDO) apt-get install -y nodejs npm; }
	@test -x end2end/node_modules/.bin/wasm-opt -a -d end2end/node_modules/@playwright/test \
		-a -x end2end/node_modules/.bin/esbuild -a -d end2end/node_modules/d3-force \
		-a -d end2end/node_modules/@axe-core/playwright || \
		(cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
	@wasm-opt --version | grep -q "version $(WASM_OPT_VERSION)" || \
		{ echo "wasm-opt $(WASM_OPT_VERSION) expected first on PATH (Debian's 108 builds broken wasm)"; exit 1; }

# The sitemap tests validate against the sitemaps.org schemas with a real XML schema validator.
xmllint:
	@command -v xmllint >/dev/null || { $(SUDO) apt-get update && $(SUDO) apt-get install -y libxml2-utils; }

chromium:
	@test -x /usr/bin/chromium || { $(SUDO) apt-get update && $(SUDO) apt-get install -y chromium; }

# The embedded default runs the system's PostgreSQL binaries.
postgres-binaries:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || \
		{ $(SUDO) apt-get update && $(SUDO) apt-get install -y postgresql; }

# The database tests need a running server at TEST_DATABASE_URL.
postgres-server: postgres-binaries
	@pg_isready -q -h 127.0.0.1 -p 5432 || { \
		cluster=$$(ls /etc/postgresql | sort -V | tail -1); \
		$(SUDO) pg_ctlcluster --skip-systemctl-redirect $$cluster main start; \
		for i in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done; \
		pg_isready -h 127.0.0.1 -p 5432; }
