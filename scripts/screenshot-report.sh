#!/usr/bin/env bash
# screenshot-report.sh REPORT.html OUT.png — take a full-page screenshot of an nssbench HTML report with
# headless Chromium (offline flags, a throwaway profile), for docs or a quick look in CI artefacts.
#
#   go test ./reports/html -run TestWriteSample -html.out /tmp/report.html
#   scripts/screenshot-report.sh /tmp/report.html /tmp/report.png
#
# Environment: CHROMIUM (default: chromium, else chromium-browser, on PATH), WINDOW (default 1400,2200),
# TIMEOUT seconds (default 60).
set -euo pipefail

if [[ $# -ne 2 ]]; then
	echo "usage: $0 REPORT.html OUT.png" >&2
	exit 2
fi
report=$1
out=$2
if [[ ! -f $report ]]; then
	echo "$0: $report: no such file" >&2
	exit 2
fi

browser=${CHROMIUM:-}
if [[ -z $browser ]]; then
	browser=$(command -v chromium || command -v chromium-browser || true)
fi
if [[ -z $browser ]]; then
	echo "$0: chromium not found (apt-get install chromium, or set CHROMIUM)" >&2
	exit 2
fi

abs() { (cd "$(dirname "$1")" && printf '%s/%s\n' "$(pwd)" "$(basename "$1")"); }
report=$(abs "$report")
out=$(abs "$out")

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT

rm -f "$out"
timeout --kill-after=5 "${TIMEOUT:-60}" "$browser" \
	--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
	--disable-component-update --disable-sync --user-data-dir="$profile" --virtual-time-budget=5000 \
	--hide-scrollbars --window-size="${WINDOW:-1400,2200}" --screenshot="$out" "file://$report" \
	>/dev/null 2>"$profile/stderr" || {
	status=$?
	echo "$0: chromium failed (exit $status):" >&2
	tail -n 20 "$profile/stderr" >&2
	exit 1
}
if [[ ! -s $out ]]; then
	echo "$0: chromium wrote no screenshot to $out:" >&2
	tail -n 20 "$profile/stderr" >&2
	exit 1
fi
echo "$out"
