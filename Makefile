# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PUERTO ?= 8000

.PHONY: run test install chromium lint bench carga falla falla-trabajador escala

# The web server and one task worker per queue (Procfile), in one terminal; Ctrl-C stops them all.
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py cargar_demo
	PUERTO=$(PUERTO) $(BIN)/honcho start -f Procfile

test: install chromium
	$(BIN)/python -m pytest $(PYTEST_ARGS)

install: $(VENV)/.instalado

$(VENV)/.instalado: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	bash scripts/instalar_sistema.sh
	touch $@

chromium:
	bash scripts/instalar_sistema.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run

bench: install
	$(BIN)/python bench/importar.py
	$(BIN)/python bench/reportes.py
	$(BIN)/python bench/archivos.py

# Load test: gunicorn + PostgreSQL (database "carga", created again) under locust, 50 users, 60 s.
carga: install
	$(BIN)/python bench/carga.py $(BENCH_ARGS)

# Fault test: restarts the local PostgreSQL (pg_ctlcluster) during a load run. Never on a server in use.
falla: install
	$(BIN)/python bench/falla.py $(BENCH_ARGS)

# Fault test of the report queue: kills a worker mid-render; another one must finish the job.
falla-trabajador: install
	$(BIN)/python bench/falla_trabajador.py $(BENCH_ARGS)

# Scale bench: a large municipality (PostgreSQL databases "escala_5000" and "escala_50000", created again)
# and each page's time as a ratio to a trivial page at both sizes, in one interleaved run.
escala: install
	$(BIN)/python bench/escala.py $(BENCH_ARGS)
