# Two commands on a fresh machine: `make demo` (the main job) and `make test` (the whole suite,
# SQLite and a throw-away PostgreSQL server). Both create .venv and install what they need.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLE := $(VENV)/.installe

.PHONY: demo test test-rapide lint bench bench-journee schema clean

$(PY):
	$(PYTHON) -m venv $(VENV)

$(INSTALLE): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

demo: $(INSTALLE)
	$(VENV)/bin/bac demo

test: $(INSTALLE)
	BAC_EXIGER_PG=1 $(PY) scripts/avec_postgres.py -- $(VENV)/bin/pytest -q -n 2 --dist loadgroup --junitxml=var/junit.xml

# The inner loop: domain and unit tests on the in-memory and SQLite stores, no server, no full-size session.
test-rapide: $(INSTALLE)
	$(VENV)/bin/pytest -q -n 2 -m "not lent and not postgres"

lint: $(INSTALLE)
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
	rm -rf $(VENV) var demo *.egg-info
