# Two commands for a new user: `make run` and `make test`. Everything else is optional.
PRESET ?= release
BUILD_DIR := build/$(PRESET)
BIN := $(BUILD_DIR)/src/app/reelgen
DATA_DIR ?= ./var

.PHONY: run test build deps configure bench asan tsan fuzz ci clean format web web-check web-screenshots

deps:
	@scripts/install-deps

configure: deps
	@test -f $(BUILD_DIR)/build.ninja || cmake --preset $(PRESET)

build: configure
	cmake --build --preset $(PRESET)

run: configure
	cmake --build --preset $(PRESET) --target reelgen
	$(BIN) serve --data-dir $(DATA_DIR)

test: build web/node_modules/.package-lock.json
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j2

# The web studio (web/): its npm packages from the lockfile, for its build and its tests. The
# built assets in web/dist are committed and compiled into the binary, so `make run` needs none.
web/node_modules/.package-lock.json: web/package-lock.json
	cd web && npm ci --no-audit --no-fund --prefer-offline

web: web/node_modules/.package-lock.json
	cd web && npm run build

# CI: web/dist must be what its sources build.
web-check: web
	git diff --exit-code -- web/dist
	@test -z "$$(git status --porcelain -- web/dist)" || { git status --short -- web/dist; exit 1; }

# The studio's browser tests, keeping their screenshots in bench/results/web/.
web-screenshots: build web/node_modules/.package-lock.json
	cd web && REELGEN_BIN=$(CURDIR)/$(BIN) SCREENSHOT_DIR=$(CURDIR)/bench/results/web node --test e2e/

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
