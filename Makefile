# The two commands: `make run` (demo on SQLite) and `make test` (the whole suite).
# Everything else here serves them or CI (.ci/run).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PACKAGES := sdk core plugins/casemanagement plugins/consent plugins/portal plugins/reporting
HOST ?= 127.0.0.1
PORT ?= 5000
PG_URL ?= postgresql://postgres@127.0.0.1:5432/postgres
# The suite runs on every core (pytest-xdist); each worker builds its own databases.
PYTEST_ARGS ?= -n auto
# The accessibility test (tests/browser) drives Debian's chromium through Playwright; it is
# installed from Debian (never by `playwright install`), with sudo only when not root.
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup browser bench-tools bench bench-smoke run test test-sqlite test-postgres lint format audit-deps check-migrations translations docs ci clean

$(STAMP): pyproject.toml $(foreach p,$(PACKAGES),$(p)/pyproject.toml)
	@$(PYTHON) -m venv $(VENV) || { echo "Cannot create a virtualenv: on Debian run 'apt-get install python3-venv'"; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet $(foreach p,$(PACKAGES),-e $(p)) -e '.[dev]'
	@touch $(STAMP)

# The example vendor module (examples/): installed like a vendor's package, NOT editable,
# after the first-party parts (which bring every library it needs, hence --no-deps; the
# build uses the environment's setuptools, so nothing is fetched). Reinstalled whenever
# one of its files changes; the in-tree build folder is cleared first so no deleted file
# survives into the installed package.
EXAMPLES := examples/wachttijden
EXAMPLES_STAMP := $(VENV)/.installed-examples
EXAMPLE_FILES := $(shell find $(EXAMPLES) -type f -not -path '*/.*' -not -path '*/build/*' -not -path '*.egg-info/*' -not -path '*/tests/*' -not -path '*/__pycache__/*')
$(EXAMPLES_STAMP): $(STAMP) $(EXAMPLE_FILES)
	@for e in $(EXAMPLES); do rm -rf $$e/build; done
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation --force-reinstall $(EXAMPLES)
	@touch $(EXAMPLES_STAMP)

setup: $(STAMP) $(EXAMPLES_STAMP)

$(CHROMIUM):
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

browser: $(CHROMIUM)

# The HTTP benchmarks (bench/http_load.py) drive gunicorn (a dev dependency) with wrk,
# Debian's HTTP load generator.
WRK := /usr/bin/wrk
$(WRK):
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk

bench-tools: setup $(WRK)

# Every benchmark of bench/ (tier M on PostgreSQL: builds bench_openregie_m the first time),
# one table, JSON in bench/results/. The smoke run (CI) makes, measures briefly and drops tier S.
bench: bench-tools
	$(BIN)/python -m bench.run $(BENCH_ARGS)

bench-smoke: bench-tools
	$(BIN)/python -m bench.run --smoke

run: setup
	@mkdir -p instance
	OPENREGIE_MODE=demo $(BIN)/openregie db upgrade
	OPENREGIE_MODE=demo $(BIN)/openregie demo
	@echo ""
	@echo "  OpenRegie demo: open http://$(HOST):$(PORT)/"
	@echo "  Log in as beheerder, teamleider, regisseur or beleid with password demo-wachtwoord;"
	@echo "  second factor: the code an authenticator app shows for TOTP secret OPENREGIEDEMOGEHEIMVOORALLEDEMOS"
	@echo "  (or: .venv/bin/python -c 'import pyotp; print(pyotp.TOTP(\"OPENREGIEDEMOGEHEIMVOORALLEDEMOS\").now())')"
	@echo ""
	OPENREGIE_MODE=demo $(BIN)/openregie serve --host $(HOST) --port $(PORT)

# The suite keeps compiled bytecode (__pycache__, ignored by git) even where the environment
# says not to write it: every pytest worker and every command a test starts in a subprocess
# would otherwise compile the sources again, and pytest rewrite the asserts of ~350 modules.
PYTEST := env -u PYTHONDONTWRITEBYTECODE $(BIN)/pytest

test: setup browser
	$(PYTEST) $(PYTEST_ARGS)

test-sqlite: setup browser
	OPENREGIE_TEST_DATABASE_URL= $(PYTEST) $(PYTEST_ARGS)

test-postgres: setup browser
	OPENREGIE_TEST_DATABASE_URL=$(PG_URL) $(PYTEST) $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Known vulnerabilities in the installed third-party packages, from PyPI's advisory data
# (no other service). Our own packages are installed editable and are not on PyPI: skipped.
# A package PyPI does not know (the example vendor module) is listed as skipped, not failed.
audit-deps: setup
	$(BIN)/pip-audit --skip-editable --vulnerability-service pypi --progress-spinner off

# Fresh database → migrate everything → no drift between models and migrations.
check-migrations: setup
	@dir=$$(mktemp -d) && trap 'rm -rf $$dir' EXIT && \
	  OPENREGIE_INSTANCE_PATH=$$dir OPENREGIE_MODE=test OPENREGIE_STRICT_MODULES=1 $(BIN)/openregie db upgrade && \
	  OPENREGIE_INSTANCE_PATH=$$dir OPENREGIE_MODE=test OPENREGIE_STRICT_MODULES=1 $(BIN)/openregie db check

# Re-extract core's message ids (the Dutch texts), merge them into each catalogue and compile
# the .mo files (committed: an installed package has no compile step). Then translate the
# new or changed entries in the .po files and run this again.
TRANSLATIONS := core/openregie_core/translations
translations: setup
	@pot=$$(mktemp) && trap 'rm -f $$pot' EXIT && \
	  $(BIN)/pybabel extract -F babel.cfg -k _l -k N_ --project=OpenRegie --no-wrap -o $$pot core/openregie_core && \
	  $(BIN)/pybabel update -i $$pot -d $(TRANSLATIONS) --no-fuzzy-matching --no-wrap --ignore-obsolete
	$(BIN)/pybabel compile -d $(TRANSLATIONS) --statistics
	@# The same for each first-party module's own catalogue (not its .egg-info folder).
	@for dir in plugins/*/openregie_*/translations; do \
	  pkg=$${dir%/translations}; \
	  pot=$$(mktemp) && \
	  $(BIN)/pybabel extract -F babel.cfg -k _l -k N_ --project=OpenRegie --no-wrap -o $$pot $$pkg && \
	  $(BIN)/pybabel update -i $$pot -d $$dir --no-fuzzy-matching --no-wrap --ignore-obsolete; \
	  status=$$?; rm -f $$pot; [ $$status -eq 0 ] || exit 1; \
	  $(BIN)/pybabel compile -d $$dir --statistics || exit 1; \
	done

# The SDK reference (docs/sdk-reference.md) is generated from the code; a test checks it.
docs: setup
	$(BIN)/python -m openregie_sdk.reference --write docs/sdk-reference.md

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
