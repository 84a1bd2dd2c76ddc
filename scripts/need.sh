#!/usr/bin/env bash
# need.sh PACKAGE:COMMAND...: installs, from Debian's packages, each PACKAGE whose COMMAND is not on this
# machine (what CI and `make bench-peers` need beyond Go), and nothing else.
set -euo pipefail
missing=()
for pair in "$@"; do
	pkg=${pair%%:*} cmd=${pair#*:}
	command -v "$cmd" > /dev/null 2>&1 || missing+=("$pkg")
done
((${#missing[@]})) || exit 0
echo "need.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
