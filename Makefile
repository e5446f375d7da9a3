# Two commands a fresh machine needs: `make demo` and `make test` (see README's quick start). `make demo`
# leaves out/demo-county/, a county folder (gongkai.toml) as `gongkai init` makes them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: venv demo test check lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(BIN)/gongkai demo

lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

test: lint
	$(BIN)/pytest -q

# The quick part: everything but the tests that start processes, servers or a browser (marked slow).
check: lint
	$(BIN)/pytest -q -m "not slow"

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) out build bench-data
