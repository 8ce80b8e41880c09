# Entry points for people and CI. `make demo` sets everything up and runs the main job on the
# 5,000-paper sample; `make test` builds and runs the whole test suite.
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
DATA_DIR ?= ../shared/data
MODEL_DIR ?=

.PHONY: setup configure build test test-containers images demo asan fuzz bench-prepare bench-peers bench-predict bench-serve \
	bench-soak bench-profile docs docs-check docs-serve clean

setup:
	bash scripts/setup.sh

configure:
	cmake -S . -B $(BUILD) -G Ninja $(CMAKE_FLAGS)

build: configure
	cmake --build $(BUILD) -j $(JOBS)

# Every test but the container images' (they compile arxivc inside an image: minutes; `make test-containers`).
CTEST_EXCLUDE ?= containers
test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS) -LE '$(CTEST_EXCLUDE)'

# The images: arxivc-api:latest and arxivc-train:latest (podman, or docker; docs/containers.md).
# MODEL_DIR=models/demo bakes that model into the api image.
images:
	MODEL_DIR=$(MODEL_DIR) bash scripts/images.sh

# Builds both images, trains in one and serves from the other (CTest label `containers`; needs root for podman).
test-containers: build
	ctest --test-dir $(BUILD) --output-on-failure -L containers

# The main job on the 5k sample: prepare, train, evaluate; prints where the report is.
demo: setup build
	ARXIVC_DATA_DIR=$(DATA_DIR) $(BUILD)/arxivc prepare --output datasets/arxiv-5k
	ARXIVC_DATA_DIR=$(DATA_DIR) $(BUILD)/arxivc train --input datasets/arxiv-5k --output models/demo
	ARXIVC_DATA_DIR=$(DATA_DIR) $(BUILD)/arxivc evaluate --model models/demo --input datasets/arxiv-5k --split test
	@echo "model card: models/demo/model_card.md; evaluation report: reports/tfidf_linear/evaluation_test.md"

asan:
	$(MAKE) test BUILD=build-asan CTEST_EXCLUDE='containers|deploy' \
	  CMAKE_FLAGS="-DARXIVC_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo -DARXIVC_WERROR=ON"

# libFuzzer harnesses (Clang) in build-fuzz, each run for FUZZ_SECONDS; fails on any finding (docs/fuzzing.md)
FUZZ_SECONDS ?= 60
fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) BUILD=build-fuzz JOBS=$(JOBS) bash fuzz/run.sh

bench-prepare: build
	ARXIVC=$(BUILD)/arxivc bash bench/prepare_throughput.sh

# arxivc against fastText and scikit-learn on the 500k file (about 45 minutes; --max-samples N for a quick run)
bench-peers: build
	ARXIVC=$(BUILD)/arxivc bash bench/compare_peers.sh

# arxivc predict on 100k papers (1 thread vs all cores) and the latency of scoring one paper
bench-predict: build
	ARXIVC=$(BUILD)/arxivc bash bench/predict_throughput.sh

# arxivc serve against FastAPI + scikit-learn (docs/web-and-load-tests.md); MAX_SAMPLES=0 trains on all 500k.
MAX_SAMPLES ?= 100000
bench-serve: build
	ARXIVC_BIN=$(BUILD)/arxivc bash bench/serve_throughput.sh --max-samples $(MAX_SAMPLES)

# arxivc serve under mixed good and bad traffic with reloads every 3 s (no 5xx, no connection errors, RSS
# growth at most 5%); SOAK_DURATION=30 for a quick run.
SOAK_DURATION ?= 300
bench-soak: build
	ARXIVC_BIN=$(BUILD)/arxivc bash bench/soak.sh --duration $(SOAK_DURATION)

# The documentation site (mkdocs.yml) into build-docs/site/, with --strict: a broken link or a page missing
# from the nav fails. The reference pages are generated from $(BUILD)/arxivc, which is built first (only
# that target, not the tests). Debian's mkdocs and mkdocs-material (scripts/setup.sh); `/usr/bin/python3 -m
# mkdocs`, because the python3 first on PATH may not see Debian's Python packages.
MKDOCS ?= /usr/bin/python3 -m mkdocs
DOCS_PORT ?= 8001
docs: configure
	cmake --build $(BUILD) -j $(JOBS) --target arxivc
	ARXIVC_BIN=$(BUILD)/arxivc $(MKDOCS) build --strict

# The built site in headless Chromium (tests/docs/site_test.mjs): every page renders, nothing is fetched from
# outside the site, the references show every command and every API operation; needs web/node_modules.
docs-check: docs
	ARXIVC_BIN=$(BUILD)/arxivc node tests/docs/site_test.mjs build-docs/site

docs-serve: configure
	cmake --build $(BUILD) -j $(JOBS) --target arxivc
	ARXIVC_BIN=$(BUILD)/arxivc $(MKDOCS) serve --strict --dev-addr 127.0.0.1:$(DOCS_PORT)

# What --profile costs: prepare + train on 100k papers with and without it, interleaved (docs/profiling.md);
# PROFILE_ARGS="--serve" adds serve's requests/s with and without it.
PROFILE_ARGS ?=
bench-profile: build
	ARXIVC=$(BUILD)/arxivc bash bench/profile_overhead.sh $(PROFILE_ARGS)

clean:
	rm -rf $(BUILD) build-asan build-bench build-fuzz build-docs
