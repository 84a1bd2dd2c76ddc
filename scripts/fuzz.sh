#!/usr/bin/env bash
# Runs each fuzz target (package:Target) for FUZZTIME, FUZZJOBS targets at a time (default: two per
# core: a target's start — linking, spawning its worker, replaying its corpus — leaves a core idle
# often enough that `make fuzz-short` took 37 s instead of 54 s on 2 cores, 2026-12-03), each with one
# fuzzing worker, so a short run of every target takes about targets × FUZZTIME ÷ (2 × cores). A run that fails only with "context deadline exceeded" at the -fuzztime
# boundary, with no failing input written, is Go 1.26's fuzz-coordinator race (go.dev/issue/75804,
# fixed in Go 1.27), not a finding: it is run once more. A real finding always writes its input under
# testdata/fuzz/ and fails the run.
set -uo pipefail
fuzztime=${FUZZTIME:-3s}
jobs=${FUZZJOBS:-$((2 * $(nproc 2>/dev/null || echo 2)))}
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

# fuzz_one PKG FN LOG: fuzz one target, writing what it printed to LOG; exit status 0 when it passed.
fuzz_one() {
	local pkg=$1 fn=$2 log=$3 out rc
	for try in 1 2; do
		out=$(go test -run '^$' -fuzz "^${fn}\$" -fuzztime "$fuzztime" -parallel 1 "$pkg" 2>&1)
		rc=$?
		if [ $rc -eq 0 ]; then
			{ echo "fuzz $pkg $fn ($fuzztime)"; echo "$out" | tail -3; } >"$log"
			return 0
		fi
		if [ $try -eq 1 ] && grep -q 'context deadline exceeded' <<<"$out" && ! grep -q 'Failing input written' <<<"$out"; then
			echo "fuzz $pkg $fn: deadline race at the -fuzztime boundary (go.dev/issue/75804); running it again" >>"$log"
			continue
		fi
		{ echo "fuzz $pkg $fn ($fuzztime): FAILED"; echo "$out"; } >>"$log"
		return 1
	done
}

# Build every package's fuzzing test binary first, FUZZJOBS packages at a time, so that parallel
# targets of one package do not compile it twice (go test caches it).
declare -A built
for t in "$@"; do
	pkg=${t%%:*}
	[ -n "${built[$pkg]:-}" ] && continue
	built[$pkg]=1
	go test -run '^$' -fuzz '^$' -fuzztime 1x "$pkg" >/dev/null 2>&1 &
	while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
done
wait

status=0
i=0
pids=()
targets=("$@")
wait_one() { # waits for the oldest job, prints its log, records a failure
	local pid=${pids[0]} n=${names[0]}
	wait "$pid" || status=1
	cat "$logs/$n.log"
	pids=("${pids[@]:1}") names=("${names[@]:1}")
}
names=()
for t in "${targets[@]}"; do
	pkg=${t%%:*} fn=${t##*:}
	i=$((i + 1))
	fuzz_one "$pkg" "$fn" "$logs/$i.log" &
	pids+=($!) names+=("$i")
	[ ${#pids[@]} -ge "$jobs" ] && wait_one
done
while [ ${#pids[@]} -gt 0 ]; do wait_one; done
exit $status
