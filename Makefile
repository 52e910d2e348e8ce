# Set-up and everyday commands. `make run` and `make test` do all set-up on a fresh machine.
PYTHON ?= python3
PORT ?= 8501
VENV := .venv
PY := $(VENV)/bin/python
APP_STAMP := $(VENV)/.app-installed
TEST_STAMP := $(VENV)/.test-installed

.PHONY: install run test browser validate export bench clean fuzz soak audit

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is needed")'
	$(PYTHON) -m venv $(VENV)

$(APP_STAMP): $(PY) pyproject.toml requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check -c requirements.lock -e .
	@touch $@

$(TEST_STAMP): $(APP_STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[test]'
	@touch $@

install: $(APP_STAMP)

run: install
	$(VENV)/bin/streamlit run app.py --server.port $(PORT)

browser: $(TEST_STAMP)
	@PY=$(PY) sh scripts/ensure-chromium.sh

test: $(TEST_STAMP) browser
	$(PY) -m pytest

validate: install
	$(PY) -m components validate

export: install
	$(PY) -m components export $(or $(OUT),export)

bench: install
	$(PY) scripts/benchmark.py

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
