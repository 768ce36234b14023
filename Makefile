# Shiraka — the two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export SHIRAKA_TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres

.PHONY: check deploy-check run test install assets messages db demo serve test-sqlite test-postgres eval lint bench clean

run: install assets messages db
	@echo ""
	@echo "  Shiraka is starting on http://127.0.0.1:8000/"
	@echo "  Demo login: username demo / password demo"
	@echo ""
	SHIRAKA_DEBUG=1 $(BIN)/shiraka runserver 127.0.0.1:8000

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/activate pyproject.toml
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	@touch $@

install: $(VENV)/.installed local.env

# Development settings of this checkout (debug on, a generated key): the CLI works without exports.
local.env:
	$(PYTHON) scripts/local_settings.py $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

shiraka/static/vendor/.built: node_modules/.package-lock.json scripts/build_assets.mjs
	node scripts/build_assets.mjs
	@touch $@

assets: shiraka/static/vendor/.built

messages: install
	$(BIN)/python scripts/compile_messages.py

db: install
	SHIRAKA_DEBUG=1 $(BIN)/shiraka migrate --no-input -v 0
	SHIRAKA_DEBUG=1 $(BIN)/shiraka load_reference
	SHIRAKA_DEBUG=1 $(BIN)/shiraka load_demo
	@# A small fictional portfolio beside the seeds, so that charts, map and reports show something
	@# on the first visit (marked fictional in its titles and on every page). SHIRAKA_DEMO_FICTIONAL=0 skips it.
	@if [ "$${SHIRAKA_DEMO_FICTIONAL:-1}" != "0" ]; then \
		SHIRAKA_DEBUG=1 $(BIN)/shiraka synth --agreements 300 --seed 900 --fictional --quiet; \
	fi

test: install assets messages test-sqlite test-postgres

test-sqlite:
	@echo "== tests on SQLite"
	$(BIN)/python -m pytest

test-postgres:
	@if $(BIN)/python scripts/database_reachable.py "$(SHIRAKA_TEST_DATABASE_URL)"; then \
		echo "== tests on PostgreSQL ($(SHIRAKA_TEST_DATABASE_URL))"; \
		SHIRAKA_TEST_ON_DATABASE_URL="$(SHIRAKA_TEST_DATABASE_URL)" $(BIN)/python -m pytest -m "not browser"; \
	else \
		echo "== PostgreSQL not reachable at $(SHIRAKA_TEST_DATABASE_URL): skipped"; \
	fi

eval: install
	@echo "== per-article errors on dev (- missed, + false hit); scores of the two halves at the end"
	$(BIN)/python scripts/eval_report.py ../shared/corpus/dev
	$(PYTHON) ../shared/corpus/score.py ../shared/corpus/dev --run "$(BIN)/python -m shiraka.extraction.cli"
	$(PYTHON) ../shared/corpus/score.py ../shared/corpus/seeds --run "$(BIN)/python -m shiraka.extraction.cli"

lint: install
	$(BIN)/ruff check shiraka tests scripts
	$(BIN)/ruff format --check shiraka tests scripts
	SHIRAKA_DEBUG=1 $(BIN)/shiraka makemigrations --check --dry-run

# The outside checkers alone: Nu HTML Checker (Java), axe-core and the phone width (Chromium), with their counts.
check: install assets
	$(BIN)/python -m pytest tests/web/test_checkers.py -p no:cacheprovider -rs -s -q

# Every command of docs/deploy.md in a scratch folder (DATABASE_URL=postgres://… for the PostgreSQL parts).
deploy-check: install
	$(BIN)/python scripts/deploy_check.py $(if $(DATABASE_URL),--database-url "$(DATABASE_URL)")

# Pages against their SQL floor at 5k and 20k agreements (SQLite, and PostgreSQL when reachable), then
# an HTTP load with wrk; PASS/FAIL against issue 12's targets. Data sets built once under .bench/ and
# in shiraka_bench_* databases. Quick try: make bench BENCH_ARGS="--sizes 300 --duration 10"
BENCH_ARGS ?=
bench: install assets messages
	$(BIN)/python scripts/bench_pages.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules shiraka/static/vendor data
