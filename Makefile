# kxassess — the two quick-start commands are `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test check lint typecheck bench sample codes clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/kxassess score sample_data/2024.xlsx --out out/ --registry out/kxassess.db --date 2024-12-16
	@echo
	@echo "下一步：source .venv/bin/activate 之后运行 kxassess tiers --registry out/kxassess.db"
	@echo "（更多示例见 README.md 的「演示之后」一节；kxassess --help 列出全部命令）"

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check kxassess tests scripts sample_data
	$(BIN)/ruff format --check kxassess tests scripts sample_data

typecheck: $(STAMP)
	$(BIN)/mypy

check: lint typecheck test

sample: $(STAMP)
	$(BIN)/python sample_data/make_sample.py
	$(BIN)/python sample_data/make_other_samples.py

codes: $(STAMP)
	$(BIN)/python scripts/catalogue_doc.py

# make bench ARGS=--quick (300 units only); ARGS="--sizes 300,3000 --runs 1" and so on.
$(VENV)/.bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $@

bench: $(VENV)/.bench
	$(BIN)/python scripts/bench.py $(ARGS)

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
