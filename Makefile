# Two commands on a fresh machine:  make demo  (try the product)  ·  make test  (every test)
# Both install what they need; a second run only redoes what changed.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# flask-htmx 0.4 matches htmx 2.x; plain `htmx.org` on the registry is now 4.x.
HTMX_VERSION := 2.0.11
HTMX := sandbox/static/vendor/htmx.min.js
PORT ?= 5000

.PHONY: demo test install browser lint benchmarks clean

demo: install
	$(BIN)/sandbox demo
	$(BIN)/sandbox serve --host 127.0.0.1 --port $(PORT)

test: install browser
	$(BIN)/python -m pytest

install: $(VENV)/.installed $(HTMX)

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Community Sandbox needs Python 3.11 or newer (found: $$($(PYTHON) --version))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

$(HTMX):
	@mkdir -p .make/npm $(dir $(HTMX))
	npm install --silent --no-audit --no-fund --prefix .make/npm htmx.org@$(HTMX_VERSION)
	cp .make/npm/node_modules/htmx.org/dist/htmx.min.js $@

# A Chromium for the browser tests: Debian's package where we have apt and root, else Playwright's.
browser: $(VENV)/.installed
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		echo "Installing Debian's chromium for the browser tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		$(BIN)/playwright install chromium; \
	fi

lint: install
	$(BIN)/ruff check sandbox tests benchmarks migrations

benchmarks: install
	@for script in benchmarks/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) .make $(dir $(HTMX)) .pytest_cache
