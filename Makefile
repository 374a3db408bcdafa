# socialkpi — the front door. `make help` lists the targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= data/socialkpi.duckdb
SAMPLE := data/sample

.DEFAULT_GOAL := help
.PHONY: help setup import sample report dashboard test test-fast lint format bench clean

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP) ## create .venv and install socialkpi with its dev tools

import: $(STAMP) ## import the bundled sample exports into data/socialkpi.duckdb
	$(BIN)/socialkpi import $(SAMPLE) --db $(DB)

sample: $(STAMP) ## regenerate the sample exports in data/sample (deterministic)
	$(BIN)/socialkpi sample --out $(SAMPLE)

report: $(STAMP) ## monthly report bundle (every brand, latest complete month) into reports/
	$(BIN)/socialkpi import $(SAMPLE) --db $(DB) > /dev/null
	$(BIN)/socialkpi report --all --db $(DB) --out reports --actions reports/actions

dashboard: $(STAMP) ## serve the eight dashboards with Voila on http://127.0.0.1:8866/
	$(BIN)/socialkpi dashboard --db $(DB)

# every test in one run on two workers (pytest-xdist): a test file stays on one worker, so its
# fixtures (a Voila server, a Dask cluster) start once; the session fixtures (the sample store,
# the bundles) are built on each worker that needs them
JOBS ?= 2
test: $(STAMP) ## run every test (library, importers, notebooks with nbval and Papermill)
	SOCIALKPI_ACTIONS=$$(mktemp -d) $(BIN)/python -m pytest -n $(JOBS) --dist loadfile --nbval-lax -p no:cacheprovider tests lib notebooks

test-fast: $(STAMP) ## the fast lane: every test but browser, Voila, cluster and slow ones
	$(BIN)/python -m pytest -m "not browser and not voila and not cluster and not slow" -q

lint: $(STAMP) ## ruff lint and format, clean notebooks, the layer contracts, no import loops
	$(BIN)/ruff check lib tests bench tools notebooks
	$(BIN)/ruff format --check lib tests bench tools notebooks
	$(BIN)/python tools/check_notebooks.py
	$(BIN)/lint-imports --no-cache
	$(BIN)/python tools/import_loops.py

format: $(STAMP) ## apply ruff fixes and formatting
	$(BIN)/ruff check --fix lib tests bench tools notebooks
	$(BIN)/ruff format lib tests bench tools notebooks

bench: $(STAMP) ## every benchmark and the bundle profile; results in bench/results/
	$(BIN)/python bench/import_bench.py
	$(BIN)/python bench/kpi_bench.py
	$(BIN)/python bench/sentiment_eval.py
	$(BIN)/python bench/listening_bench.py
	$(BIN)/python bench/report_bench.py
	$(BIN)/python bench/dashboard_bench.py
	$(BIN)/python bench/dashboards_bench.py
	$(BIN)/python bench/dashboards_bench.py --posts 1000000 --changes 6
	$(BIN)/python bench/profile_bundle.py

clean: ## remove the store, reports and the virtualenv
	rm -rf $(VENV) reports $(DB) $(DB).wal
