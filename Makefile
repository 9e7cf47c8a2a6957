# Two commands, each working on a fresh machine with Python 3.11 and make:
#   make demo   set up .venv, validate the shipped graph, write the seminar HTML and
#               the ontology's documentation beside it
#   make test   set up .venv with the test extras and run the whole suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Stamps: reinstall only when the package metadata changes.
$(VENV)/.runtime: setup.cfg pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.test: setup.cfg pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@ $(VENV)/.runtime

# A short summary: counts, warnings on one line (`kgraph validate` lists each one).
demo: $(VENV)/.runtime
	$(BIN)/kgraph validate --format summary
	$(BIN)/kgraph stats --format summary
	$(BIN)/kgraph docs -o build/docs
	$(BIN)/kgraph render

test: $(VENV)/.test
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) build test-output
