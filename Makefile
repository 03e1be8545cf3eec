# Two commands do everything on a fresh machine: `make serve` and `make test`.
# Set-up is a stamp file: it is redone only when pyproject.toml or the pinned
# versions change, so a second `make test` starts in seconds.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# torch's version is written once, in constraints.txt.
TORCH  := $(shell sed -n 's/^torch==//p' constraints.txt)

# MkDocs 1.6 prints a banner about MkDocs 2 on every run; it is noise here.
export NO_MKDOCS_2_WARNING := 1
# Builds of one commit are byte-identical: the sitemap's dates (and its .gz
# header) come from the last commit, not from the day of the build.
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null)

.PHONY: setup serve build test check lint bench clean

setup: $(STAMP)

# torch first, at the version constraints.txt pins: the machine has a local CPU
# wheel of it, and anything looser would download the newest release with several
# GB of CUDA packages. TORCH_INDEX takes it from another index: CI uses PyTorch's
# CPU-only wheels (make setup TORCH_INDEX=https://download.pytorch.org/whl/cpu).
TORCH_INDEX ?=
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet torch==$(TORCH) $(if $(TORCH_INDEX),--index-url $(TORCH_INDEX))
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[docs,test]'
	touch $@

# The browser tests drive Debian's Chromium (Playwright's own browser download
# is not used). Installed once, as root, when missing.
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	@if [ "$$(id -u)" != 0 ]; then echo "The browser tests need Debian's chromium: sudo apt-get install -y chromium" >&2; exit 1; fi
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null

serve: $(STAMP)
	$(BIN)/mkdocs serve

build: $(STAMP)
	$(BIN)/mkdocs build --strict

# zizmor checks the publishing workflow (offline: no GitHub token needed).
lint: $(STAMP)
	$(BIN)/ruff check src tests docs overrides
	$(BIN)/zizmor --offline --quiet .github/workflows
	$(BIN)/ruff format --check src tests overrides

# Line coverage of the build plugin (src/executed_pages) is shown, and must stay >= 90%.
COVERAGE := --cov=executed_pages --cov-report=term-missing:skip-covered --cov-fail-under=90

# On every core: a test file's tests run in one worker (the browser tests share
# one browser, the snippet tests one virtual environment).
test: $(STAMP) $(CHROMIUM) lint
	$(BIN)/pytest -n auto --dist loadfile $(COVERAGE)

# For a change to code: lint, the package's tests and the plugin's tests on the
# small fixture site (tests/fixture_site), without building the real site.
check: $(STAMP) lint
	$(BIN)/pytest -n auto --dist loadfile -m "not site" $(COVERAGE)

# Build and serve times as ratios to this machine's floor (see tests/benchmark.py).
# Then what each page costs a reader (transfer, and Lighthouse's scores where
# Lighthouse is installed: see tests/page_weight.py), then the reliability rounds.
bench: $(STAMP)
	$(BIN)/python tests/benchmark.py $(BENCH_ARGS)
	$(BIN)/python tests/page_weight.py
	$(MAKE) reliability

# Kills, corrupt cache entries, simultaneous builds, an endless block: what held,
# as counts (see tests/reliability.py; RELIABILITY_ARGS=--quick for a short run).
.PHONY: reliability
reliability: $(STAMP)
	$(BIN)/python tests/reliability.py $(RELIABILITY_ARGS)

clean:
	rm -rf site .cache
