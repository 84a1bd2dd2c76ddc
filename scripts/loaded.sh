#!/bin/sh
# loaded.sh CMD...: run CMD with every core kept busy by as many CPU-bound competitors (busy loops) as
# the machine has cores, so that tests with time windows prove they hold on a loaded machine. The
# competitors are killed, by their own process ids, when CMD ends or the script is stopped.
set -u
n=$(nproc 2>/dev/null || echo 2)
pids=""
i=0
while [ "$i" -lt "$n" ]; do
	sh -c 'while :; do :; done' &
	pids="$pids $!"
	i=$((i + 1))
done
trap 'kill $pids 2>/dev/null' EXIT INT TERM
echo "loaded.sh: $n busy competitor(s):$pids"
"$@"
