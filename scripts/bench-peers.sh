#!/usr/bin/env bash
# bench-peers.sh: nssbench's user paths beside their peers, on this machine, in the same minutes.
#
#   1. one TCP connection flat out into the same counting sink (scripts/testdata/benchtool):
#      `nssbench run -target` with firewall default-allow lines against loggen with lines of the same
#      size, then the default mix against loggen at the mix's average size (bytes/s);
#   2. the same corpus file (the default mix) fed by socat over CONNS connections to `nssbench collect`
#      and to syslog-ng doing the same job (scripts/testdata/syslog-ng-cef.conf), each timed from the
#      first byte sent to the last record processed;
#   3. for reference, the wire itself: a trivial writer's 64 KiB writes into the sink, of 600 B lines
#      and of lines the size of the firewall run's and of the mix's (the most any sender, or any
#      collector reading one connection, can reach there on these cores);
#      and `run -target` over 2 connections against 1 (how the total scales);
#   4. with BASELINE=path/to/an/older/nssbench: `gen -feed firewall` and the embedded `run` flat out,
#      against that build.
# Every measurement runs RUNS times (default 3), the contestants interleaved; the table gives medians
# and ratios, and for the senders the CPU time (user + sys) they spent per line, which travels between
# machines better than a rate. Loopback only; it stops only the processes it started. Needs loggen, syslog-ng and
# syslog-ng-ctl (Debian: apt-get install -y syslog-ng-core), socat and jq (apt-get install -y socat jq),
# /usr/bin/time (package time); it installs nothing. Knobs (environment): RUNS, FW_COUNT, MIX_COUNT, CORPUS, REPEAT, CONNS, BASELINE, GO.
set -euo pipefail
export LC_ALL=C

root=$(cd "$(dirname "$0")/.." && pwd)
GO=${GO:-go}
RUNS=${RUNS:-3}
FW_COUNT=${FW_COUNT:-1500000}  # lines per firewall run
MIX_COUNT=${MIX_COUNT:-600000} # lines per default-mix run
CORPUS=${CORPUS:-40000}        # lines of the collect corpus
REPEAT=${REPEAT:-10}           # collect gets the corpus this many times per connection (syslog-ng once)
CONNS=${CONNS:-2}              # connections for the collect comparison
BASELINE=${BASELINE:-}

missing=()
for t in loggen syslog-ng syslog-ng-ctl; do
	command -v "$t" > /dev/null || missing+=("$t (Debian package syslog-ng-core)")
done
command -v socat > /dev/null || missing+=("socat (Debian package socat)")
command -v jq > /dev/null || missing+=("jq (Debian package jq)")
[[ -x /usr/bin/time ]] || missing+=("/usr/bin/time (Debian package time)")
command -v "$GO" > /dev/null || missing+=("$GO (Go 1.26)")
if ((${#missing[@]})); then
	printf 'bench-peers: missing: %s\n' "${missing[@]}" >&2
	echo "bench-peers: install them (apt-get install -y syslog-ng-core socat jq time) and run again" >&2
	exit 1
fi
if [[ -n $BASELINE && ! -x $BASELINE ]]; then
	echo "bench-peers: BASELINE=$BASELINE is not an executable" >&2
	exit 1
fi

work=$(mktemp -d /tmp/bench-peers.XXXXXX)
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do
		kill "$p" 2> /dev/null || true
	done
	wait 2> /dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
started=$SECONDS
budget=290 # seconds: the whole run stays under five minutes
check_budget() {
	if ((SECONDS - started > budget)); then
		echo "bench-peers: over the ${budget}s budget, stopping" >&2
		exit 1
	fi
}

nss=$work/nssbench
tool=$work/benchtool
(cd "$root" && "$GO" build -o "$nss" ./cmd/nssbench && "$GO" build -o "$tool" ./scripts/testdata/benchtool)
fw_scenario=$root/scripts/testdata/firewall-allow.json
sng_conf=$root/scripts/testdata/syslog-ng-cef.conf

# start_sink N: a counting sink for N senders; sets sink_pid and port.
start_sink() {
	rm -f "$work/port" "$work/sink.out"
	"$tool" sink -port-file "$work/port" -conns "$1" > "$work/sink.out" &
	sink_pid=$!
	pids+=("$sink_pid")
	for _ in $(seq 100); do
		[[ -s $work/port ]] && break
		sleep 0.05
	done
	port=$(cat "$work/port")
}

# sink_result: waits for the sink and sets r_lines and r_bytes to its lines/s and bytes/s.
sink_result() {
	wait "$sink_pid"
	read -r r_lines r_bytes < <(awk '{ for (i = 1; i < NF; i++) { if ($i == "lines/s") l = $(i + 1); if ($i == "bytes/s") b = $(i + 1) } } END { print l + 0, b + 0 }' "$work/sink.out")
}

# avg_size SCENARIO: the average line size (LF included) of a scenario's lines.
avg_size() {
	"$nss" gen -scenario "$1" -count 20000 | awk '{ n++; s += length($0) + 1 } END { printf "%d\n", s / n + 0.5 }'
}

# cpu_per LINES: the CPU time (user + sys) of the last timed sender (its /usr/bin/time output) per line,
# in nanoseconds; sets r_cpu.
cpu_per() {
	r_cpu=$(awk -v n="$1" '{ c = $1 + $2 } END { printf "%.0f\n", c * 1e9 / n }' "$work/time")
}

# nss_send SCENARIO COUNT [CONNS]: run -target flat out into the sink over CONNS connections (default
# 1); sets r_lines, r_bytes and r_cpu.
nss_send() {
	local conns=${3:-1}
	start_sink "$conns"
	timeout 120 /usr/bin/time -f '%U %S' -o "$work/time" "$nss" run -quiet -scenario "$1" -count "$2" \
		-rate 1000000000/s -drain 100s -connections "$conns" -target "tcp://127.0.0.1:$port" > /dev/null
	sink_result
	cpu_per "$2"
}

# loggen_send SIZE COUNT: loggen flat out into the sink; sets r_lines, r_bytes and r_cpu.
loggen_send() {
	start_sink 1
	timeout 120 /usr/bin/time -f '%U %S' -o "$work/time" \
		loggen -S -Q --size "$1" --rate 1000000000 --number "$2" 127.0.0.1 "$port" > /dev/null 2>&1
	sink_result
	cpu_per "$2"
}

# wire_send SIZE LINES: 64 KiB writes of SIZE-byte lines; sets r_lines and r_bytes.
wire_send() {
	start_sink 1
	timeout 60 "$tool" write -addr "127.0.0.1:$port" -size "$1" -lines "$2"
	sink_result
}

now() { date +%s.%N; }

# feed PORT TIMES: CONNS socat connections, each sending the corpus TIMES times.
feed() {
	local i fpids=()
	for ((i = 0; i < CONNS; i++)); do
		(for ((r = 0; r < $2; r++)); do cat "$work/corpus.log"; done |
			timeout 120 socat -u -b 262144 STDIN "TCP:127.0.0.1:$1") &
		fpids+=("$!")
		pids+=("$!")
	done
	wait "${fpids[@]}"
}

# collect_run: nssbench collect, verdicts to a file; sets r_rate to its records/s.
collect_run() {
	local want=$((CORPUS * REPEAT * CONNS)) t0 t1 n=0 cpid cport
	: > "$work/collect.err" # before the job opens it: the loop below reads it at once
	"$nss" collect -listen tcp://127.0.0.1:0 -out "$work/collect.jsonl" -stats-every 20ms 2> "$work/collect.err" &
	cpid=$!
	pids+=("$cpid")
	for _ in $(seq 100); do
		cport=$(sed -n 's/.*listening on tcp:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$work/collect.err")
		[[ -n $cport ]] && break
		sleep 0.05
	done
	t0=$(now)
	feed "$cport" "$REPEAT"
	for _ in $(seq 3000); do
		n=$(tail -n 1 "$work/collect.err" | sed -n 's/.*received \([0-9]*\):.*/\1/p')
		((${n:-0} >= want)) && break
		sleep 0.01
	done
	t1=$(now)
	kill -INT "$cpid"
	wait "$cpid" || true
	((${n:-0} >= want)) || { echo "bench-peers: collect received ${n:-0} of $want" >&2; exit 1; }
	r_rate=$(awk -v n="$want" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f\n", n / (b - a) }')
}

# sng_stat NAME: one counter of syslog-ng-ctl stats.
sng_stat() {
	syslog-ng-ctl stats -c "$work/sng/ctl" 2> /dev/null | awk -F';' -v k="$1" '$1 ";" $2 ";" $3 ";" $5 == k { print $6 }'
}

# syslogng_run: syslog-ng with the CEF pipeline, JSON to a file; sets r_rate to its records/s.
syslogng_run() {
	local want=$((CORPUS * CONNS)) t0 t1 spid sport src=0 queued dest
	rm -rf "$work/sng"
	mkdir "$work/sng"
	sport=$("$tool" port)
	NSSBENCH_PORT=$sport NSSBENCH_OUT=$work/sng/out.jsonl syslog-ng -F --no-caps -f "$sng_conf" \
		-R "$work/sng/persist" -p "$work/sng/pid" -c "$work/sng/ctl" > "$work/sng/log" 2>&1 &
	spid=$!
	pids+=("$spid")
	for _ in $(seq 200); do
		[[ -S $work/sng/ctl ]] && socat -u /dev/null "TCP:127.0.0.1:$sport" 2> /dev/null && break
		sleep 0.05
	done
	t0=$(now)
	feed "$sport" 1
	for _ in $(seq 6000); do
		src=$(sng_stat "source;s_nss;;processed")
		queued=$(sng_stat "center;;queued;processed")
		dest=$(sng_stat "destination;d_json;;processed")
		((${src:-0} >= want)) && [[ ${queued:-x} == "${dest:-y}" ]] && break
		sleep 0.02
	done
	t1=$(now)
	kill "$spid"
	wait "$spid" || true
	((${src:-0} >= want)) || { echo "bench-peers: syslog-ng processed ${src:-0} of $want" >&2; exit 1; }
	r_rate=$(awk -v n="$want" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f\n", n / (b - a) }')
}

# timed_rate LINES CMD...: runs CMD (stdout to /dev/null) and sets r_rate to LINES per second of its wall time.
timed_rate() {
	local n=$1 t0 t1
	shift
	t0=$(now)
	"$@" > /dev/null
	t1=$(now)
	r_rate=$(awk -v n="$n" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f\n", n / (b - a) }')
}

# embedded_rate BIN: the embedded run flat out, default mix; sets r_rate to its verdicts/s.
embedded_rate() {
	rm -f "$work/embedded.json"
	timeout 120 "$1" run -quiet -rate 3000000/s -count 1000000 -out "$work/embedded.json" > /dev/null || true
	r_rate=$(jq -r '.counts.verdicts / (.meta.duration / 1e9) | floor' "$work/embedded.json" 2> /dev/null || echo 0)
}

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

fw_size=$(avg_size "$fw_scenario")
mix_size=$(avg_size default)
"$nss" gen -count "$CORPUS" -o "$work/corpus.log"
corpus_bytes=$(wc -c < "$work/corpus.log")

declare -A res
add() { res[$1]+="$2"$'\n'; }
for ((run = 1; run <= RUNS; run++)); do
	check_budget
	loggen_send "$fw_size" "$FW_COUNT"
	add loggen_fw "$r_lines"
	add loggen_fw_cpu "$r_cpu"
	nss_send "$fw_scenario" "$FW_COUNT"
	add nss_fw "$r_lines"
	add nss_fw_cpu "$r_cpu"
	nss_send "$fw_scenario" "$FW_COUNT" 2
	add nss_fw2 "$r_lines"
	loggen_send "$mix_size" "$MIX_COUNT"
	add loggen_mix_l "$r_lines"
	add loggen_mix_b "$r_bytes"
	add loggen_mix_cpu "$r_cpu"
	nss_send default "$MIX_COUNT"
	add nss_mix_l "$r_lines"
	add nss_mix_b "$r_bytes"
	add nss_mix_cpu "$r_cpu"
	wire_send "$fw_size" 4000000
	add wire_fw "$r_lines"
	wire_send "$mix_size" 2000000
	add wire_mix "$r_lines"
	syslogng_run
	add sng "$r_rate"
	collect_run
	add collect "$r_rate"
	wire_send 600 4000000
	add wire_l "$r_lines"
	add wire_b "$r_bytes"
	if [[ -n $BASELINE ]]; then
		timed_rate 2000000 "$BASELINE" gen -feed firewall -count 2000000
		add gen_base "$r_rate"
		timed_rate 2000000 "$nss" gen -feed firewall -count 2000000
		add gen_new "$r_rate"
		embedded_rate "$BASELINE"
		add emb_base "$r_rate"
		embedded_rate "$nss"
		add emb_new "$r_rate"
	fi
done

med() { printf '%s' "${res[$1]}" | median; }
m() { awk -v v="$1" 'BEGIN { if (v >= 1e6) printf "%.2f M", v / 1e6; else printf "%.1f k", v / 1e3 }'; }
mb() { awk -v v="$1" 'BEGIN { printf "%.0f MB", v / 1e6 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f×", a / b; else print "-" }'; }
all() { printf '%s' "${res[$1]}" | awk '{ printf "%s%s", sep, ($1 >= 1e6 ? sprintf("%.2fM", $1 / 1e6) : sprintf("%.0fk", $1 / 1e3)); sep = " " }'; }

echo "bench-peers: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1), Linux $(uname -r), $("$GO" env GOVERSION)"
echo "medians of $RUNS interleaved runs (all runs in brackets); $(syslog-ng --version | head -1), loggen from the same package"
echo
printf '| %-62s | %-22s | %-30s | %-7s |\n' "path" "nssbench" "peer, same runs" "ratio"
printf '|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..64})" "$(printf -- '-%.0s' {1..24})" "$(printf -- '-%.0s' {1..32})" "$(printf -- '-%.0s' {1..9})"
printf '| %-62s | %-22s | %-30s | %-7s |\n' "run -target tcp, 1 conn, firewall allow lines (${fw_size} B), lines/s" \
	"$(m "$(med nss_fw)")" "loggen --size $fw_size: $(m "$(med loggen_fw)")" "$(ratio "$(med nss_fw)" "$(med loggen_fw)")"
printf '| %-62s | %-22s | %-30s | %-7s |\n' "  the same, CPU (user + sys) per line: loggen ÷ nssbench" \
	"$(med nss_fw_cpu) ns" "loggen: $(med loggen_fw_cpu) ns" "$(ratio "$(med loggen_fw_cpu)" "$(med nss_fw_cpu)")"
printf '| %-62s | %-22s | %-30s | %-7s |\n' "  the same over 2 connections: total ÷ 1 connection" \
	"$(m "$(med nss_fw2)")" "1 connection: $(m "$(med nss_fw)")" "$(ratio "$(med nss_fw2)" "$(med nss_fw)")"
printf '| %-62s | %-22s | %-30s | %-7s |\n' "  ceiling: the wire, 64 KiB writes of ${fw_size} B lines: ÷ loggen" \
	"$(m "$(med wire_fw)") lines/s" "loggen: $(m "$(med loggen_fw)")" "$(ratio "$(med wire_fw)" "$(med loggen_fw)")"
printf '| %-62s | %-22s | %-30s | %-7s |\n' "run -target tcp, 1 conn, default mix (${mix_size} B), bytes/s" \
	"$(mb "$(med nss_mix_b)")/s ($(m "$(med nss_mix_l)")/s)" "loggen --size $mix_size: $(mb "$(med loggen_mix_b)")/s" "$(ratio "$(med nss_mix_b)" "$(med loggen_mix_b)")"
printf '| %-62s | %-22s | %-30s | %-7s |\n' "  the same, CPU (user + sys) per byte: loggen ÷ nssbench" \
	"$(awk -v c="$(med nss_mix_cpu)" -v s="$mix_size" 'BEGIN { printf "%.3f ns", c / s }')" \
	"loggen: $(awk -v c="$(med loggen_mix_cpu)" -v s="$mix_size" 'BEGIN { printf "%.3f ns", c / s }')" \
	"$(ratio "$(med loggen_mix_cpu)" "$(med nss_mix_cpu)")"
printf '| %-62s | %-22s | %-30s | %-7s |\n' "collect, default mix, socat, $CONNS conns, records/s" \
	"$(m "$(med collect)")" "syslog-ng CEF: $(m "$(med sng)")" "$(ratio "$(med collect)" "$(med sng)")"
printf '| %-62s | %-22s | %-30s | %-7s |\n' "  ceiling: the wire, 64 KiB writes of ${mix_size} B lines: ÷ syslog-ng" \
	"$(m "$(med wire_mix)") lines/s" "syslog-ng CEF: $(m "$(med sng)")" "$(ratio "$(med wire_mix)" "$(med sng)")"
if [[ -n $BASELINE ]]; then
	printf '| %-62s | %-22s | %-30s | %-7s |\n' "gen -feed firewall > /dev/null, lines/s" \
		"$(m "$(med gen_new)")" "baseline: $(m "$(med gen_base)")" "$(ratio "$(med gen_new)" "$(med gen_base)")"
	printf '| %-62s | %-22s | %-30s | %-7s |\n' "run embedded flat out, default mix, verdicts/s" \
		"$(m "$(med emb_new)")" "baseline: $(m "$(med emb_base)")" "$(ratio "$(med emb_new)" "$(med emb_base)")"
fi
printf '| %-62s | %-22s | %-30s | %-7s |\n' "reference: the wire, 64 KiB writes of 600 B lines" \
	"$(m "$(med wire_l)") lines/s" "$(mb "$(med wire_b)")/s" ""
echo
echo "all runs: nssbench fw [$(all nss_fw)] loggen fw [$(all loggen_fw)]; nssbench fw 2 conns [$(all nss_fw2)]; wire fw [$(all wire_fw)] mix [$(all wire_mix)]"
echo "          nssbench mix [$(all nss_mix_l)] loggen mix [$(all loggen_mix_l)]; collect [$(all collect)] syslog-ng [$(all sng)]; wire [$(all wire_l)]"
if [[ -n $BASELINE ]]; then
	echo "          gen [$(all gen_new)] baseline gen [$(all gen_base)]; embedded [$(all emb_new)] baseline embedded [$(all emb_base)]"
fi
echo "corpus: $CORPUS lines of the default mix ($corpus_bytes bytes), $REPEAT times per connection to collect, once to syslog-ng; took $((SECONDS - started)) s"
