# Set-up and everyday commands. `make run` and `make test` do all set-up on a fresh machine.
PYTHON ?= python3
# `make run` serves on 8501 and `make serve-replicas` on 8500 unless PORT=... is given.
PORT ?=
REPLICAS ?= 2
VENV := .venv
PY := $(VENV)/bin/python
APP_STAMP := $(VENV)/.app-installed
TEST_STAMP := $(VENV)/.test-installed
BENCH_STAMP := $(VENV)/.bench-installed

.PHONY: install run serve-replicas test check lint browser nginx validate export bench clean fuzz soak audit

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is needed")'
	$(PYTHON) -m venv $(VENV)

$(APP_STAMP): $(PY) pyproject.toml requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check -c requirements.lock -e .
	@touch $@

$(TEST_STAMP): $(APP_STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[test]'
	@touch $@

$(BENCH_STAMP): $(TEST_STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[test,bench]'
	@touch $@

install: $(APP_STAMP)

run: install
	$(VENV)/bin/streamlit run app.py --server.port $(or $(PORT),8501)

# REPLICAS Streamlit processes behind nginx with sticky sessions (deploy/README.md).
serve-replicas: install nginx
	$(PY) deploy/replicas.py --replicas $(REPLICAS) --port $(or $(PORT),8500)

browser: $(TEST_STAMP)
	@PY=$(PY) sh scripts/ensure-chromium.sh

nginx:
	@sh scripts/ensure-nginx.sh

test: $(TEST_STAMP) browser nginx lint
	$(PY) -m pytest

# Everyday work: lint plus the unit, app and data tests (under a minute); `make test` is the
# whole suite that CI runs.
check: $(TEST_STAMP) lint
	$(PY) -m pytest -q tests/unit tests/app tests/data

lint: $(TEST_STAMP)
	$(VENV)/bin/ruff check .

validate: install
	$(PY) -m components validate

export: install
	$(PY) -m components export $(or $(OUT),export)

# Figures, never assertions: floor vs app, 1x/10x/100x, targets, profiles; the last line is
# JSON. Quick run: BENCH_RUNS=3 BENCH_SCALES=1,10 make bench
bench: $(BENCH_STAMP) browser
	$(PY) bench/run.py

# Robustness suites at full size (CI runs 2,000 links and 2,000 reruns inside `make test`).
fuzz: $(TEST_STAMP)
	FUZZ_EXAMPLES=$(or $(N),10000) FUZZ_RANDOM=1 $(PY) -m pytest -q tests/robustness/test_link_fuzz.py

soak: $(TEST_STAMP)
	SOAK_RERUNS=$(or $(N),10000) $(PY) -m pytest -q -s tests/robustness/test_soak.py

# Known vulnerabilities in the pinned dependencies (pip-audit against PyPI's advisory data).
audit: $(TEST_STAMP)
	@$(PY) -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[audit]'
	$(PY) scripts/audit.py

clean:
	rm -rf $(VENV) export .pytest_cache .hypothesis
