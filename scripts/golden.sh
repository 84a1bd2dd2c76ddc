#!/usr/bin/env bash
# Regenerates every file derived from the code and its data: the golden files under testdata/, the
# shipped corpora's expected verdicts (and corpus/golden/generated from its provenance), and the
# Kubernetes configuration deploy/kubernetes/setup/10-config.yaml. Run it after changing a pipeline
# rule, a mapping, a feed format or a renderer, then review `git diff` like code.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
mod=$($GO list -m)
# The packages whose tests use reports/golden, the one owner of the -update flag.
pkgs=$($GO list -f '{{.ImportPath}} {{join .TestImports " "}} {{join .XTestImports " "}}' ./... |
	awk -v g="$mod/reports/golden" '{for (i = 2; i <= NF; i++) if ($i == g) {print $1; break}}')
$GO test -count=1 $pkgs -update
