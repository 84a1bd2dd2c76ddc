#!/usr/bin/env bash
# Regenerates every file derived from the code and its data: the golden files under testdata/, the
# shipped corpora's expected verdicts (and corpus/golden/generated from its provenance), and the
# Kubernetes configuration deploy/kubernetes/setup/10-config.yaml. Run it after changing a pipeline
# rule, a mapping, a feed format or a renderer, then review `git diff` like code.
#
# Only the tests that write derived files run (with -update): the test functions that call
# reports/golden (golden.Check, golden.File, golden.Update), or a helper of their file that does. The
# other tests of those packages (timing windows, subprocesses) are `make test`'s.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
mod=$($GO list -m)
status=0
for dir in $(git ls-files '*_test.go' | xargs grep -l "\"$mod/reports/golden\"" | xargs -n1 dirname | sort -u); do
	# Per file: the functions whose bodies call the golden package (imported as golden or another name),
	# then the tests that call such a helper.
	names=$(for f in "$dir"/*_test.go; do
		alias=$(sed -n "s|^[[:space:]]*\([A-Za-z_][A-Za-z0-9_]*\)[[:space:]]*\"$mod/reports/golden\"|\1|p" "$f")
		grep -q "\"$mod/reports/golden\"" "$f" || continue
		awk -v pkg="${alias:-golden}" '
			/^func / { fn = $2; sub(/\(.*/, "", fn); if (fn ~ /^\(/) fn = "" }
			fn != "" && index($0, pkg ".") && $0 !~ /^func / { print fn }
		' "$f"
	done | sort -u)
	tests=$(grep -x 'Test[A-Za-z0-9_]*' <<<"$names" || true)
	for helper in $(grep -vx 'Test[A-Za-z0-9_]*' <<<"$names" || true); do
		tests+=$'\n'$(awk -v h="$helper" '
			/^func Test/ { fn = $2; sub(/\(.*/, "", fn) }
			/^func / && !/^func Test/ { fn = "" }
			fn != "" && index($0, h "(") { print fn }
		' "$dir"/*_test.go)
	done
	tests=$(grep -v '^$' <<<"$tests" | sort -u | paste -sd'|' -)
	[ -n "$tests" ] || continue
	$GO test -count=1 -run "^($tests)\$" "./$dir" -update || status=1
done
exit $status
