# The two commands: `make demo` and `make test`. Each installs what is missing first.
BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc)
GATEHOUSE  := $(BUILD)/src/app/gatehouse

.PHONY: all deps build build-asan test unit-test check-format format demo bench clean

all: build

deps:
	@scripts/install-deps.sh

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo

$(ASAN_BUILD)/build.ninja:
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DGATEHOUSE_SANITIZE=ON

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

build-asan: deps $(ASAN_BUILD)/build.ninja
	cmake --build $(ASAN_BUILD) -j $(JOBS)

check-format: deps
	@scripts/check-format.sh

format:
	@scripts/check-format.sh --fix

test: check-format build build-asan
	ctest --test-dir $(ASAN_BUILD) --output-on-failure -j $(JOBS)
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)
	@fuzz/smoke.sh 15

demo: build
	@scripts/demo.sh $(GATEHOUSE)

bench: build
	@bench/proxy_vs_nginx.sh $(GATEHOUSE)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
