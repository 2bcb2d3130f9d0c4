# Thin wrapper over scripts/install-deps.sh and CMake. The two README commands:
#   make demo   installs, builds and runs the main job (smoke conformance run against the built-in mock)
#   make test   installs, builds and passes the test suite (unit + integration; benchmarks excluded)
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo
CTEST_FLAGS ?= --output-on-failure --timeout 600
BIN = $(BUILD)/harness/cli/teeharness
VECTORS = tests/vectors/phala-2024-stream

.PHONY: deps configure build demo test bench format format-check asan tsan clean fuzz

deps:
	@bash scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD) $(CMAKE_FLAGS) >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

# The main job: a conformance run against the built-in mock, then the offline verification of the
# real signed completion shipped in tests/vectors.
demo: build
	$(BIN) run scenarios/smoke.json --report-json $(BUILD)/smoke-report.json \
	    --report-html $(BUILD)/smoke-report.html --junit $(BUILD)/smoke-junit.xml
	$(BIN) verify --request $(VECTORS)/request.json --response $(VECTORS)/response.sse \
	    --signature-json $(VECTORS)/signature.json

test: build
	cd $(BUILD) && ctest -LE bench -j $(JOBS) $(CTEST_FLAGS)

bench: build
	cd $(BUILD) && ctest -L bench $(CTEST_FLAGS)
	$(BUILD)/tests/bench/crypto_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true

format: configure
	cmake --build $(BUILD) --target format

format-check: configure
	cmake --build $(BUILD) --target format-check

# Sanitizer builds of the whole suite, each in its own build directory.
asan:
	$(MAKE) test BUILD=build-asan CMAKE_FLAGS="-DCMAKE_BUILD_TYPE=Debug -DTEEHARNESS_SANITIZE=address -DTEEHARNESS_BENCHMARKS=OFF"

tsan:
	$(MAKE) test BUILD=build-tsan CMAKE_FLAGS="-DCMAKE_BUILD_TYPE=Debug -DTEEHARNESS_SANITIZE=thread -DTEEHARNESS_BENCHMARKS=OFF"

clean:
	rm -rf build build-asan build-tsan

# libFuzzer targets (clang): builds into build-fuzz and runs each briefly on its seed corpus.
# Longer runs (new inputs go to the first, scratch, directory; the seeds stay untouched):
#   build-fuzz/tests/fuzz/NAME_fuzz -max_total_time=600 build-fuzz/tests/fuzz/corpus/NAME_fuzz tests/fuzz/corpus/NAME_fuzz
fuzz:
	@bash scripts/install-deps.sh
	cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	    -DTEEHARNESS_FUZZERS=ON -DTEEHARNESS_TESTS=OFF -DTEEHARNESS_BENCHMARKS=OFF \
	    -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize=pointer-overflow -fno-sanitize-recover=all" >/dev/null
	cmake --build build-fuzz -j $(JOBS) --target $(notdir $(basename $(wildcard tests/fuzz/*_fuzz.cc)))
	cd build-fuzz && ctest -L fuzz $(CTEST_FLAGS)
