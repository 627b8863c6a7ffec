# Two commands for a new user: `make run` and `make test`. Everything else is optional.
PRESET ?= release
BUILD_DIR := build/$(PRESET)
BIN := $(BUILD_DIR)/src/app/reelgen
DATA_DIR ?= ./var

.PHONY: run test build deps configure bench asan tsan fuzz ci clean format

deps:
	@scripts/install-deps

configure: deps
	@test -f $(BUILD_DIR)/build.ninja || cmake --preset $(PRESET)

build: configure
	cmake --build --preset $(PRESET)

run: configure
	cmake --build --preset $(PRESET) --target reelgen
	$(BIN) serve --data-dir $(DATA_DIR)

test: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j2

bench: deps
	bench/load/run.sh

asan:
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/sanitizers/lsan.supp $(MAKE) test PRESET=asan

tsan:
	TSAN_OPTIONS="suppressions=$(CURDIR)/tests/sanitizers/tsan.supp halt_on_error=1" $(MAKE) test PRESET=tsan

# libFuzzer targets (clang-16, libc++), each run FUZZ_SECONDS (60) from its seed corpus.
fuzz: deps
	@test -f build/fuzz/build.ninja || cmake --preset fuzz
	cmake --build --preset fuzz
	scripts/run-fuzz

format:
	clang-format -i $$(git ls-files 'src/*.cpp' 'src/*.hpp' 'tests/*.cpp' 'bench/*.cpp')

clean:
	rm -rf build
