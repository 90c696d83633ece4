# Two commands on a fresh machine: `make demo` plans the demo fortnight and shows it; `make test` runs the tests.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml
	@command -v $(PY) >/dev/null 2>&1 || { echo "tengnuo needs $(PY) on PATH"; exit 1; }
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# caldav pulls in niquests -> urllib3-future, whose wheel replaces the real urllib3 for the whole
	# venv; building it from source with URLLIB3_NO_OVERRIDE=1 keeps it beside urllib3 (DEPENDENCIES.md)
	URLLIB3_NO_OVERRIDE=1 $(BIN)/pip install --quiet --no-binary urllib3-future -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/tengnuo demo

test: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV)
