# 카카오톡 채널 실무 아카데미
#   make lab     설치 + 학습용 사본 + JupyterLab(한국어)   install, build the student copy, open JupyterLab
#   make test    설치 + 전체 테스트                         install if needed, run the whole test suite
#   make bench   채점·데이터 생성 속도, 메모리 측정          grading (nbgrader vs engine) and generator figures
#   make data    기본 데이터(datasets/) 다시 만들기           regenerate the committed default cohort

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
STAMP := $(VENV)/.installed
WORKSPACE ?= $(CURDIR)/workspace
SEED ?= 2026
# nbgrader calls `alembic` as a command: the venv's bin goes first on PATH for every recipe.
export PATH := $(BIN):$(PATH)

.PHONY: install student lab test bench demo data clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] >= (3, 11) else "Python 3.11 이상이 필요해요 (Python 3.11 or newer is required).")'
	@echo "[설치] $(VENV)에 패키지를 설치해요. 처음 한 번만, 인터넷 속도에 따라 몇 분 걸려요 (installing once)."
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@echo "[설치] 끝났어요."
	@touch $@

student: install
	$(BIN)/python -m grader student --workspace "$(WORKSPACE)"

lab: install
	$(BIN)/python -m grader lab --workspace "$(WORKSPACE)"

test: install
	$(BIN)/python -m pytest -n 2 --durations=30

bench: install
	$(BIN)/python tests/bench.py

demo: install
	$(BIN)/python -m grader demo --learners 30

data: install
	$(BIN)/python -m course.datagen --seed $(SEED) --out datasets --force

clean:
	rm -rf grader/release grader/submitted grader/autograded grader/feedback grader/gradebook.db
