# One entry per task. `make run` and `make test` work on a fresh Debian machine as root.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils chromium redis-server
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/postgres

.PHONY: run demo test lint fix system venv venv-test browser-tools bench fuzz clean

system:  ## Debian packages: WeasyPrint's libraries, fonts, pdftoppm, Chromium for browser tests, Redis for the queue tests
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q $$missing; \
	fi

$(VENV)/bin/activate:
	python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip

venv: $(VENV)/bin/activate  ## the app's dependencies
	$(PIP) install -q -e .

venv-test: $(VENV)/bin/activate  ## the app's and the tests' dependencies
	$(PIP) install -q -e '.[test]'

browser-tools:  ## what the browser tests inject into pages (axe-core), pinned in tests/browser
	@command -v npm >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q npm; }
	cd tests/browser && npm ci --no-audit --no-fund

run: system venv  ## install, then start the app on the embedded SQLite store
	$(VENV)/bin/advisor serve

demo: system venv  ## the app with sample bodies and one account per role (passwords printed)
	$(VENV)/bin/advisor serve --demo

lint: venv-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

fix: venv-test
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: system venv-test browser-tools lint  ## install, lint, type-check, then run every test on SQLite and PostgreSQL
	$(VENV)/bin/advisor kb validate
	$(VENV)/bin/pytest -q -n 2
	ADVISOR_TEST_DATABASE_URL=$(PG_URL) $(VENV)/bin/pytest -q -m postgres

bench: venv-test  ## performance figures (see docs/benchmarks.md)
	$(PY) benchmarks/run_all.py

FUZZ_EXAMPLES ?= 100000
fuzz: venv-test  ## long fuzz of the readers: FUZZ_EXAMPLES cases per property (docs/security.md)
	@set -e; pids=""; for prop in profiles answers knowledge_base_entries; do \
	  ADVISOR_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(VENV)/bin/pytest -q -p no:cacheprovider \
	    --hypothesis-show-statistics tests/test_hostile_input.py -k "test_fuzz_$$prop" & \
	  pids="$$pids $$!"; done; \
	ADVISOR_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(VENV)/bin/pytest -q -p no:cacheprovider \
	  --hypothesis-show-statistics tests/awards/test_hostile_notices.py -k test_fuzz & \
	pids="$$pids $$!"; \
	status=0; for pid in $$pids; do wait $$pid || status=1; done; exit $$status

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache tests/browser/node_modules
