# nssbench — see README.md. `make run` is the main job, `make test` runs every test.
GO        ?= go
BIN       := bin/nssbench
PKGS      := ./...
# Short fuzz runs in `make test`, longer ones in `make fuzz`: package:target pairs.
FUZZ      := ./harness/cef:FuzzParse ./harness/cef:FuzzRoundTrip ./harness/framing:FuzzReader \
             ./harness/pipeline:FuzzDecide ./harness/pipeline:FuzzDecideJSON \
             ./harness/pipeline:FuzzParseRules ./harness/pipeline:FuzzParseMappings \
             ./harness/collector:FuzzSplitBatch ./generator/nssfmt:FuzzCompile \
             ./scenarios:FuzzParse ./reports/threshold:FuzzParse \
             ./corpus:FuzzExpectedLine ./corpus:FuzzManifest \
             ./harness/sink:FuzzExtract ./harness/sweep:FuzzDecode ./generator:FuzzAppend \
             ./reports:FuzzDecode ./reports/html:FuzzRender \
             ./harness/probe:FuzzParseStat ./harness/probe:FuzzParseSelector
FUZZTIME  ?= 3s
LONGFUZZ  ?= 2m
BENCHTIME ?= 1s
BENCHCOUNT ?= 1

# The tests with time windows (drain, reconnect, pacing, deadlines, timeouts), run again by `make test`
# under a CPU-bound competitor per core (scripts/loaded.sh).
LOADED    := 'Reconnect|Drain|Deaf|Interrupt|StartAt|DurationBound|NeverAnswers|ForeignConnection|CloudNSS|Cost|Deadline|Timeout|SlowBody|Idle'

.PHONY: all build run test vet fmt-check unit timing matrix fuzz-short test-loaded fuzz bench bench-peers golden screenshot clean

all: build

build:
	$(GO) build -o $(BIN) ./cmd/nssbench

## run: the default scenario end to end on the embedded collector, with a report.
run: build
	./$(BIN) run

## test: vet, gofmt check, every test with the race detector, the fault matrix without it, short fuzz
## runs, the time-sensitive tests again with every core busy. `make vet` runs every vet check once, so
## the test runs skip go test's own vet pass (-vet=off).
test: vet fmt-check unit timing fuzz-short test-loaded

vet:
	$(GO) vet $(PKGS)

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi

## Most of cmd/nssbench's tests wait on sockets, timers and subprocesses more than they compute: four
## of its parallel tests at a time keep two cores busy. Packages run two at a time (-p, one per core),
## so that the timing tests of harness/run share the machine with one other package only.
unit:
	$(GO) test -race -count=1 -vet=off -parallel 4 -timeout 8m $(PKGS)

## timing: the tests whose figures need a build without the race detector: the fault matrix and the
## latency A/B of replicates (report compare of a slowed collector).
timing: matrix
	$(GO) test -count=1 -vet=off -timeout 3m -run '^TestReplicatesCLI$$' ./cmd/nssbench

## matrix: the fault matrix of docs/RELIABILITY.md (its figures need a build without the race detector);
## MATRIX_OUT=file.md also writes its table.
matrix:
	$(GO) test -count=1 -vet=off -timeout 5m -run '^TestFaultMatrix$$' ./cmd/nssbench $(if $(MATRIX_OUT),-args -matrix-out $(abspath $(MATRIX_OUT)))

fuzz-short:
	FUZZTIME=$(FUZZTIME) scripts/fuzz.sh $(FUZZ)

## test-loaded: the tests with time windows, with the race detector, while every core runs a busy loop.
## Only the packages that hold such tests are built (a test binary per package, linked under load, is
## most of the time otherwise).
test-loaded:
	scripts/loaded.sh $(GO) test -race -count=1 -vet=off -timeout 5m -run $(LOADED) \
		$$(grep -rlE '^func Test[A-Za-z0-9_]*('$(LOADED)')' --include='*_test.go' harness | xargs -n1 dirname | sort -u | sed 's|^|./|')

## fuzz: longer fuzzing of every parser and framer (LONGFUZZ=10m make fuzz for more).
fuzz:
	$(MAKE) fuzz-short FUZZTIME=$(LONGFUZZ)

## golden: regenerate every derived file (golden files, corpora verdicts, the Kubernetes config) after a
## rule, mapping, format or renderer change; review `git diff` afterwards.
golden:
	GO=$(GO) scripts/golden.sh

## bench: every benchmark (BENCHCOUNT=6 for benchstat).
bench:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) -count $(BENCHCOUNT) $(PKGS)

## bench-peers: nssbench's user paths beside loggen and syslog-ng, interleaved, medians and ratios (< 5 min).
## Installs what it needs and the machine lacks (loggen and syslog-ng from syslog-ng-core, socat, jq, time);
## BASELINE=/path/to/an/older/nssbench also compares gen and the embedded run with that build.
bench-peers:
	scripts/need.sh syslog-ng-core:loggen syslog-ng-core:syslog-ng-ctl socat:socat jq:jq time:/usr/bin/time
	GO=$(GO) scripts/bench-peers.sh

## screenshot: run the smoke scenario, write its HTML report and a PNG screenshot of it (needs chromium).
screenshot: build
	./$(BIN) run -scenario smoke -quiet -html bin/report.html > /dev/null
	scripts/screenshot-report.sh bin/report.html bin/report.png
	@echo "wrote bin/report.html and bin/report.png"

clean:
	rm -rf bin
