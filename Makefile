# Loa: `make run` (install, migrate, load the seed plan and demo data, serve) and `make test`.
VENV := .venv
PY := $(VENV)/bin/python
LOA := $(VENV)/bin/loa
export LOA_DATA_DIR ?= $(CURDIR)/var

.PHONY: run test bench bench-load install lint model

$(VENV)/.installed: pyproject.toml scripts/install-debian.sh
	bash scripts/install-debian.sh
	test -x $(PY) || python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

run: install
	$(LOA) setup
	@echo "Mở các địa chỉ cổng thông tin ở trên (phường đầu tiên: http://127.0.0.1:8000/) để dùng Loa."
	$(LOA) serve --port 8000

test: install
	bash scripts/test.sh

bench: install
	$(PY) bench/bench_restore.py
	$(PY) bench/bench_import.py
	$(PY) bench/bench_import_lock.py
	$(PY) bench/bench_retrieval.py --no-speed
	$(PY) bench/bench_assistant.py
	$(PY) bench/bench_answering.py --split test
	$(PY) bench/bench_learning.py
	$(PY) bench/bench_portal.py
	$(PY) bench/bench_reports.py

# The assistant's answerability and hostility models, trained on bench/data/assistant-train
# and shipped as JSON.
model: install
	$(PY) bench/train_answerability.py
	$(PY) bench/train_hostility.py

# Two web processes and two workers on PostgreSQL + Redis: load, then faults (bench/load).
# Quick run: make bench-load LOAD_ARGS="--seconds 20"
bench-load: install
	$(PY) bench/load/run.py $(LOAD_ARGS)

lint: install
	$(VENV)/bin/ruff check loa bench
