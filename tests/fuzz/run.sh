#!/bin/sh
# Runs the fuzz target for the given number of seconds (default 30) from
# the committed seed corpus; new inputs go to a scratch folder so the tree
# is not changed.  A crash or sanitizer report fails the run.
set -u

seconds=${1:-30}
if [ ! -x ./tests/fuzz/fuzz_ingest ]; then
	echo "SKIP: no fuzz target (libFuzzer is not on $(uname -s))" >&2
	[ "${CI:-}" = true ] && exit 1
	exit 0
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/44meshd-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir "$work/corpus"
./tests/fuzz/fuzz_ingest -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$work/" \
    "$work/corpus" tests/fuzz/corpus 2>"$work/log"
rc=$?
grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units|==[0-9]+==ERROR|SUMMARY)' \
    "$work/log"
if [ $rc -ne 0 ]; then
	tail -n 60 "$work/log"
	for a in "$work"/crash-* "$work"/leak-* "$work"/timeout-*; do
		[ -e "$a" ] || continue
		mkdir -p tests/out
		cp "$a" tests/out/
		echo "fuzz: input kept as tests/out/$(basename "$a")"
	done
fi
exit $rc
