# The two set-up commands are `make run` and `make test` (see README.md).
.PHONY: all bootstrap configure build run test test-unit test-integration asan fuzz bench format clean

CONFIG ?= config/config.yml
JOBS ?= $(shell nproc)

all: build

bootstrap:
	@scripts/bootstrap

configure: bootstrap
	@[ -f build/build.ninja ] || cmake --preset release >/dev/null

build: configure
	@cmake --build build -j $(JOBS)

run: build
	@exec build/bin/switchboard run -c $(CONFIG)

test: bootstrap
	@scripts/run-tests

test-unit: build
	@cd build && ctest -L unit -j $(JOBS) --output-on-failure

test-integration: build
	@/usr/bin/python3 -m pytest -q tests/integration

asan: bootstrap
	@[ -f build-asan/build.ninja ] || cmake --preset asan >/dev/null
	@cmake --build build-asan -j $(JOBS)
	@cd build-asan && ctest -L unit -j $(JOBS) --output-on-failure

# Long fuzzing runs: FUZZ_SECONDS per target (default 600), corpora kept in build-fuzz/.
FUZZ_SECONDS ?= 600
fuzz: bootstrap
	@[ -f build-fuzz/build.ninja ] || cmake --preset fuzz >/dev/null
	@cmake -DSB_FUZZ_SECONDS=$(FUZZ_SECONDS) build-fuzz >/dev/null
	@cmake --build build-fuzz -j $(JOBS)
	@cd build-fuzz && ctest -L fuzz -j $(JOBS) --output-on-failure

bench: build
	@for b in build/bin/*_bench; do [ -x "$$b" ] && "$$b"; done

format:
	@git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

clean:
	rm -rf build build-debug build-asan build-fuzz
