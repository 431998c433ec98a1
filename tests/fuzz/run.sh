#!/bin/sh
# Runs each fuzz target for the given number of seconds (default 30) from
# its committed seed corpus: fuzz_ingest (tests/fuzz/corpus), the paths
# of untrusted input, and fuzz_records (tests/fuzz/corpus-records), the
# parent's reading of the network engine's records.  New inputs go to a
# scratch folder so the tree is not changed.  A crash or sanitizer report
# fails the run.
set -u

seconds=${1:-30}
if [ ! -x ./tests/fuzz/fuzz_ingest ] || [ ! -x ./tests/fuzz/fuzz_records ]
then
	echo "SKIP: no fuzz target (libFuzzer is not on $(uname -s))" >&2
	[ "${CI:-}" = true ] && exit 1
	exit 0
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/44meshd-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
status=0
for target in ingest:corpus records:corpus-records; do
	name=${target%%:*}
	seeds=tests/fuzz/${target#*:}
	mkdir "$work/$name"
	echo "fuzz_$name:"
	./tests/fuzz/fuzz_"$name" -max_total_time="$seconds" -timeout=10 \
	    -rss_limit_mb=2048 -print_final_stats=1 \
	    -artifact_prefix="$work/$name-" "$work/$name" "$seeds" \
	    2>"$work/$name.log"
	rc=$?
	grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units|==[0-9]+==ERROR|SUMMARY)' \
	    "$work/$name.log"
	[ $rc -eq 0 ] && continue
	status=$rc
	tail -n 60 "$work/$name.log"
	for a in "$work/$name"-crash-* "$work/$name"-leak-* \
	    "$work/$name"-timeout-*; do
		[ -e "$a" ] || continue
		mkdir -p tests/out
		cp "$a" tests/out/
		echo "fuzz: input kept as tests/out/$(basename "$a")"
	done
done
exit $status
