# Two commands on a fresh machine: `make demo` (the main job) and `make test` (the whole suite,
# SQLite and a throw-away PostgreSQL server). Both create .venv and install what they need.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# What `bac` needs, for the demo; the test and lint tools on top of it, for the rest (9 s of the demo's install).
INSTALLE := $(VENV)/.installe
OUTILS := $(VENV)/.outils
# The DSFR (pages) and axe-core (accessibility tests), from the npm registry at the versions of package-lock.json.
NODE := node_modules/.installe
# Debian's Pango and fonts for WeasyPrint (the PDFs), installed by apt-get when missing (ADR 0020).
SYSTEME := $(VENV)/.systeme

.PHONY: demo test test-rapide lint bench bench-journee schema clean

$(PY):
	$(PYTHON) -m venv $(VENV)

$(INSTALLE): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(OUTILS): $(INSTALLE)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

$(SYSTEME): scripts/paquets_systeme.py | $(PY)
	$(PYTHON) scripts/paquets_systeme.py pdf npm
	touch $@

$(NODE): package.json package-lock.json | $(SYSTEME)
	npm ci --no-audit --no-fund --silent
	touch $@

demo: $(INSTALLE) $(SYSTEME) $(NODE)
	$(VENV)/bin/bac demo

# Headless Chromium and its driver for the browser tests, installed like PostgreSQL when missing.
test: $(OUTILS) $(SYSTEME) $(NODE)
	$(PYTHON) scripts/paquets_systeme.py navigateur
	BAC_EXIGER_PG=1 BAC_EXIGER_NAVIGATEUR=1 $(PY) scripts/avec_postgres.py -- $(VENV)/bin/pytest -q -n 2 --dist loadgroup --junitxml=var/junit.xml

# The inner loop: domain and unit tests on the in-memory and SQLite stores, no server, no full-size session.
test-rapide: $(OUTILS) $(SYSTEME) $(NODE)
	$(VENV)/bin/pytest -q -n 2 --dist worksteal -m "not lent and not postgres and not porte"

lint: $(OUTILS)
	$(VENV)/bin/ruff check domain adapters projections cli tests bench scripts
	$(VENV)/bin/mypy

bench: $(INSTALLE)
	$(PY) bench/ingest.py

bench-journee: $(INSTALLE)
	$(PY) bench/results_day.py
	$(PY) scripts/avec_postgres.py -- sh -c '$(PY) bench/results_day.py --db "$$BAC_TEST_PG_URL"'

schema: $(INSTALLE)
	$(VENV)/bin/bac schema --dossier docs/schema

clean:
	rm -rf $(VENV) var demo *.egg-info node_modules
