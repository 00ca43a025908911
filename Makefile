# Parley: `make run` to start it, `make test` to check it. See README.md.
SHELL := /bin/bash
BUILD_DIR ?= build
BUILD_TYPE ?= Release
DATA_DIR ?= var
LISTEN ?= 127.0.0.1:8080

.PHONY: all deps build configure run test bench fuzz fmt tidy clean

all: build

deps:
	@scripts/install-deps.sh

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

configure: $(BUILD_DIR)/build.ninja

build: deps configure
	@source scripts/env.sh && ninja -C $(BUILD_DIR)
	@if [ -f web/package.json ]; then source scripts/env.sh && scripts/build-web.sh; fi

run: build
	@mkdir -p $(DATA_DIR)
	$(BUILD_DIR)/bin/parleyd serve --listen $(LISTEN) --data-dir $(DATA_DIR)

test: build
	@BUILD_DIR=$(BUILD_DIR) scripts/run-tests.sh

bench: build
	@scripts/install-deps.sh --bench
	@BUILD_DIR=$(BUILD_DIR) scripts/run-bench.sh

fuzz:
	@scripts/install-deps.sh --fuzz
	@scripts/run-fuzz.sh

fmt:
	@git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

tidy: configure
	@git ls-files 'server/src/*.cpp' | xargs clang-tidy -p $(BUILD_DIR) --quiet

clean:
	rm -rf $(BUILD_DIR) build-fuzz
