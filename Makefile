# The two commands of the README: `make sample` and `make test`. Both set the machine up first.
VENV := .venv
PY := $(VENV)/bin/python

$(VENV)/.installed: pyproject.toml scripts/bootstrap.sh
	bash scripts/bootstrap.sh

.PHONY: setup sample test
setup: $(VENV)/.installed

sample: $(VENV)/.installed
	$(VENV)/bin/govreport extract data/samples --out out/sample

test: $(VENV)/.installed
	$(PY) -m pytest -q
