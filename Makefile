# Two commands do everything on a fresh machine with Python 3.11 and make:
#   make run   - SQLite database with demo data, served on http://127.0.0.1:8000/
#   make test  - the whole suite (on $DATABASE_URL when set, SQLite otherwise)
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
# make run PORT=8100 serves on another port.
PORT ?= 8000

.PHONY: run test test-fast lint install install-dev messages bench clean

$(VENV)/.installed: requirements.txt
	@command -v $(PYTHON) >/dev/null || { echo "需要 Python 3.11 ($(PYTHON))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# The reminder schedule runs beside the server, a pass every ten minutes, and stops with it
# (in production a systemd timer runs `send_reminders`: docs/deployment.md).
run: install
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py setup_demo --city || echo "(未导入演示数据:见上方原因)"
	DEBUG=1 $(PY) manage.py send_reminders
	DEBUG=1 $(PY) manage.py refresh_progress
	DEBUG=1 $(PY) manage.py send_reminders --every 600 >/dev/null & reminders=$$!; \
	DEBUG=1 $(PY) manage.py db_worker --no-reload --interval 2 >/dev/null 2>&1 & worker=$$!; \
	trap 'kill $$reminders $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

# One worker per core (pytest-xdist); PYTEST_ARGS="-n 0" runs in one process.
test: install-dev
	JIEFANG_TESTING=1 $(VENV)/bin/pytest -n auto $(PYTEST_ARGS)

# The suite without the tests marked slow (@pytest.mark.slow, 5 s or more each: LibreOffice
# prints, db_worker processes, two app servers, every-page crawls, large imports), for a quick
# run while working; CI and `make test` run everything.
test-fast: install-dev
	JIEFANG_TESTING=1 $(VENV)/bin/pytest -n auto -m "not slow" $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	JIEFANG_TESTING=1 $(VENV)/bin/mypy

messages: install-dev
	DEBUG=1 $(PY) manage.py makemessages -l zh_Hans --no-obsolete --no-location --ignore=.venv --ignore=templates/simple_history
	DEBUG=1 $(PY) manage.py compilemessages -l zh_Hans --ignore=.venv

bench: install
	DEBUG=0 JIEFANG_TESTING=1 $(PY) manage.py bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3
