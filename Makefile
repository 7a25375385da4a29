# The two set-up commands: `make run` and `make test`. Both install what is missing first.
.PHONY: all deps build build-asan run test test-default test-asan bench fuzz fmt fmt-check clean

JOBS ?= 2
BUILD := build/default
ASAN := build/asan
FUZZ := build/fuzz
LISTEN ?= 127.0.0.1:8080
DB ?= sqlite:var/synthgate.db
FUZZ_SECONDS ?= 10

all: build

deps:
	@scripts/install-deps.sh

$(BUILD)/build.ninja:
	cmake --preset default >/dev/null

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

build-asan: deps
	@test -f $(ASAN)/build.ninja || cmake --preset asan >/dev/null
	cmake --build $(ASAN) -j $(JOBS)

# Starts the gateway on an embedded SQLite database under ./var/ until Ctrl-C.
run: build
	@mkdir -p var
	exec $(BUILD)/synthgate serve --listen $(LISTEN) --db $(DB)

# Every test: the RelWithDebInfo build, then the unit tests again under ASan and UBSan,
# then a short run of every fuzz target.
test: test-default test-asan fuzz

test-default: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

# System libraries' own exit-time caches are suppressed (tests/lsan.supp); our leaks are not.
test-asan: build-asan
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
	  ctest --test-dir $(ASAN) --output-on-failure -j $(JOBS) -L unit

fuzz: deps
	@test -f $(FUZZ)/build.ninja || cmake --preset fuzz >/dev/null
	cmake --build $(FUZZ) -j $(JOBS)
	scripts/run-fuzzers.sh $(FUZZ) $(FUZZ_SECONDS)

bench: build
	scripts/run-benchmarks.sh $(BUILD)

fmt:
	find src tests bench -name '*.cpp' -o -name '*.hpp' | xargs clang-format -i

fmt-check: deps
	find src tests bench -name '*.cpp' -o -name '*.hpp' | xargs clang-format --dry-run -Werror

clean:
	rm -rf build
