# Service Builder: `make run` to start the app, `make test` to run every test. `make help` lists all.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
DEMO_EMAIL ?= demo.agent@aldermoor.example
DEMO_PASSWORD ?= demo-password-123
DEMO_ADMIN ?= demo.admin@aldermoor.example
DEMO_CASEWORKER ?= demo.caseworker@aldermoor.example
RECEIVER_PORT ?= 5001
DEV_NOTIFY_KEY := development-00000000-0000-4000-8000-000000000000-00000000-0000-4000-8000-000000000000
DEV_PAY_KEY := api_test_stand-in-key
PYTEST_PROCESSES ?= auto
# the tests run in one process per CPU (pytest-xdist); `make test PYTEST_PROCESSES=0` runs them in one
export SE_OFFLINE := true

.DEFAULT_GOAL := help

.PHONY: help
help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9_-]+:.*## / {printf "  \033[1m%-14s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

static/build/manifest.json: node_modules/.installed $(BIN)/.installed config/site.yaml $(wildcard static/src/*)
	$(BIN)/service-builder build-assets

# The engine's message catalogue: `.po` files are edited by people, `.mo` files compiled
TRANSLATIONS := service_builder/translations
MO_FILES := $(patsubst %.po,%.mo,$(wildcard $(TRANSLATIONS)/*/LC_MESSAGES/messages.po))
EXTRACT_KEYWORDS := -k say_n:1,2 -k NP_:1,2 -k plural_messages:1,2 -k PC_:1c,2

$(TRANSLATIONS)/%/LC_MESSAGES/messages.mo: $(TRANSLATIONS)/%/LC_MESSAGES/messages.po $(BIN)/.installed
	$(BIN)/pybabel compile --statistics -d $(TRANSLATIONS) -l $*

.PHONY: install
install: $(BIN)/.installed node_modules/.installed static/build/manifest.json $(MO_FILES) ## Install Python and npm dependencies and build the assets

.PHONY: assets
assets: install ## Rebuild the CSS and JS (after editing config/site.yaml)
	$(BIN)/service-builder build-assets

.PHONY: browser
browser: ## Install Debian's chromium and chromedriver if missing (needs root)
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; \
	  else echo "chromium is missing: install the Debian packages chromium and chromium-driver"; fi; \
	fi

.PHONY: run
run: install ## Start the app on http://127.0.0.1:5000 (SQLite), the delivery worker and a stand-in receiver
	@printf '%s\n' "$(DEMO_PASSWORD)" | $(BIN)/service-builder create-user $(DEMO_EMAIL) --role agent --password-stdin >/dev/null
	@printf '%s\n' "$(DEMO_PASSWORD)" | $(BIN)/service-builder create-user $(DEMO_ADMIN) --role admin --password-stdin >/dev/null
	@printf '%s\n' "$(DEMO_PASSWORD)" | $(BIN)/service-builder create-user $(DEMO_CASEWORKER) --role caseworker \
	  --every-team --password-stdin >/dev/null
	@echo
	@echo "  Service Builder: http://127.0.0.1:$(PORT)/"
	@echo "  Staff sign-in:   http://127.0.0.1:$(PORT)/staff/sign-in"
	@echo "    demo agent:      $(DEMO_EMAIL) / $(DEMO_PASSWORD)"
	@echo "    demo caseworker: $(DEMO_CASEWORKER) / $(DEMO_PASSWORD)"
	@echo "    demo admin:      $(DEMO_ADMIN) / $(DEMO_PASSWORD)"
	@echo "  Webhooks, Notify emails and GOV.UK Pay payments go to a stand-in on port $(RECEIVER_PORT), which logs them here."
	@echo "  It also answers address lookups: try postcode AL1 2CD (AL9 9ZZ finds none)."
	@echo
	export SECRET_KEY=$${SECRET_KEY:-local-development-only} \
	  PARKING_CASE_URL=$${PARKING_CASE_URL:-http://127.0.0.1:$(RECEIVER_PORT)/cases} \
	  PARKING_CASE_SECRET=$${PARKING_CASE_SECRET:-development-secret} \
	  DEVELOPMENT_WEBHOOK_URL=$${DEVELOPMENT_WEBHOOK_URL:-http://127.0.0.1:$(RECEIVER_PORT)/cases} \
	  DEVELOPMENT_WEBHOOK_SECRET=$${DEVELOPMENT_WEBHOOK_SECRET:-development-secret} \
	  NOTIFY_API_KEY=$${NOTIFY_API_KEY:-$(DEV_NOTIFY_KEY)} \
	  NOTIFY_BASE_URL=$${NOTIFY_BASE_URL:-http://127.0.0.1:$(RECEIVER_PORT)} \
	  OS_PLACES_API_KEY=$${OS_PLACES_API_KEY:-development} \
	  OS_PLACES_BASE_URL=$${OS_PLACES_BASE_URL:-http://127.0.0.1:$(RECEIVER_PORT)/search/places/v1} \
	  PAY_API_KEY=$${PAY_API_KEY:-$(DEV_PAY_KEY)} \
	  PAY_BASE_URL=$${PAY_BASE_URL:-http://127.0.0.1:$(RECEIVER_PORT)}; \
	$(BIN)/service-builder dev-receiver --port $(RECEIVER_PORT) & receiver=$$!; \
	$(BIN)/service-builder worker & worker=$$!; \
	trap 'kill $$receiver $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/flask --app service_builder run --port $(PORT)

.PHONY: serve
serve: install ## Serve under gunicorn with production settings (needs SECRET_KEY; see docs/operations.md)
	@test -n "$$SECRET_KEY" || { echo "SECRET_KEY must be set (see docs/operations.md)"; exit 1; }
	@# a database that is down must not keep the app from starting (it answers 503 and waits);
	@# one reachable but behind the code still stops it, in gunicorn's master
	$(BIN)/service-builder db upgrade || echo "db upgrade failed: starting anyway" >&2
	SERVICE_BUILDER_ENV=$${SERVICE_BUILDER_ENV:-production} $(BIN)/gunicorn -c config/gunicorn.conf.py

.PHONY: lint
lint: install ## ruff (lint and format check), mypy and the import-linter layer contracts
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

.PHONY: test
test: install browser lint ## Install everything, then lint, type-check and run all tests
	$(BIN)/service-builder validate
	$(BIN)/pytest -n $(PYTEST_PROCESSES) $(PYTEST_ARGS)

.PHONY: test-fast
test-fast: install ## Run the tests that need no browser
	$(BIN)/pytest -n $(PYTEST_PROCESSES) -m "not browser" $(PYTEST_ARGS)

MUTANTS ?= service_builder.conditions* service_builder.journey* service_builder.questions* service_builder.definitions.checks*

.PHONY: mutation
mutation: install ## Mutation testing of the engine core with mutmut (slow: not part of `make test`)
	$(BIN)/mutmut run --max-children $${MUTATION_CHILDREN:-2} $(foreach m,$(MUTANTS),'$(m)')
	$(BIN)/python bench/mutation_summary.py

.PHONY: a11y
a11y: install browser ## Sweep every page state with axe-core (Selenium); reports in accessibility/reports/
	$(BIN)/service-builder a11y --report accessibility/reports/a11y.json

.PHONY: translations
translations: install ## Extract the engine's strings into the .pot and update every language's .po
	$(BIN)/pybabel extract -F babel.cfg $(EXTRACT_KEYWORDS) --no-location --sort-output -w 100 \
	  --project service-builder -o $(TRANSLATIONS)/messages.pot .
	$(BIN)/pybabel update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) --no-fuzzy-matching -w 100
	@echo "Now translate the empty msgstr entries, then run: make translations-compile"

.PHONY: translations-compile
translations-compile: install ## Compile every language's .po into the .mo the app reads
	$(BIN)/pybabel compile --statistics -d $(TRANSLATIONS)

.PHONY: docs
docs: install ## Regenerate docs/reference.md and docs/service-definition.schema.json
	$(BIN)/service-builder docs

.PHONY: bench
bench: install ## Run the benchmarks in bench/ and print the figures (HTTP needs wrk; DATABASE_URL adds PostgreSQL)
	$(BIN)/python bench/render.py
	$(BIN)/python bench/page_weight.py
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/http_bench.py $(if $(DATABASE_URL),--database $(DATABASE_URL)) $(BENCH_ARGS)

.PHONY: format
format: install ## Format the code with ruff
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

.PHONY: clean
clean: ## Remove installed dependencies, built assets and the local database
	rm -rf $(VENV) node_modules static/build instance
