# Service Builder: `make run` to start the app, `make test` to run every test. `make help` lists all.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
DEMO_EMAIL ?= demo.agent@aldermoor.example
DEMO_PASSWORD ?= demo-password-123
DEMO_ADMIN ?= demo.admin@aldermoor.example
export SE_OFFLINE := true

.DEFAULT_GOAL := help

.PHONY: help
help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[1m%-14s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

static/build/manifest.json: node_modules/.installed $(BIN)/.installed config/site.yaml static/src/app.scss static/src/init.js
	$(BIN)/service-builder build-assets

.PHONY: install
install: $(BIN)/.installed node_modules/.installed static/build/manifest.json ## Install Python and npm dependencies and build the assets

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
run: install ## Install everything and start the app on http://127.0.0.1:5000 (SQLite)
	@printf '%s\n' "$(DEMO_PASSWORD)" | $(BIN)/service-builder create-user $(DEMO_EMAIL) --role agent --password-stdin >/dev/null
	@printf '%s\n' "$(DEMO_PASSWORD)" | $(BIN)/service-builder create-user $(DEMO_ADMIN) --role admin --password-stdin >/dev/null
	@echo
	@echo "  Service Builder: http://127.0.0.1:$(PORT)/"
	@echo "  Staff sign-in:   http://127.0.0.1:$(PORT)/staff/sign-in"
	@echo "    demo agent:  $(DEMO_EMAIL) / $(DEMO_PASSWORD)"
	@echo "    demo admin:  $(DEMO_ADMIN) / $(DEMO_PASSWORD)"
	@echo
	SECRET_KEY=$${SECRET_KEY:-local-development-only} $(BIN)/flask --app service_builder run --port $(PORT)

.PHONY: lint
lint: install ## ruff (lint and format check) and mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

.PHONY: test
test: install browser lint ## Install everything, then lint, type-check and run all tests
	$(BIN)/service-builder validate
	$(BIN)/pytest $(PYTEST_ARGS)

.PHONY: test-fast
test-fast: install ## Run the tests that need no browser
	$(BIN)/pytest -m "not browser" $(PYTEST_ARGS)

MUTANTS ?= service_builder.conditions* service_builder.journey* service_builder.questions* service_builder.definitions.checks*

.PHONY: mutation
mutation: install ## Mutation testing of the engine core with mutmut (slow: not part of `make test`)
	$(BIN)/mutmut run --max-children $${MUTATION_CHILDREN:-2} $(foreach m,$(MUTANTS),'$(m)')
	$(BIN)/python bench/mutation_summary.py

.PHONY: a11y
a11y: install browser ## Sweep every page state with axe-core (Selenium); reports in accessibility/reports/
	$(BIN)/service-builder a11y --report accessibility/reports/a11y.json

.PHONY: docs
docs: install ## Regenerate docs/reference.md and docs/service-definition.schema.json
	$(BIN)/service-builder docs

.PHONY: bench
bench: install ## Run the benchmarks in bench/ and print the figures
	$(BIN)/python bench/render.py
	$(BIN)/python bench/page_weight.py

.PHONY: format
format: install ## Format the code with ruff
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

.PHONY: clean
clean: ## Remove installed dependencies, built assets and the local database
	rm -rf $(VENV) node_modules static/build instance
