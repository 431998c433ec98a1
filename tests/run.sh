#!/bin/sh
# Runs every test of 44meshd: the cmocka suites plain and sanitized, the
# model checker of the reconciler, the replay regressions, the daemon in
# network namespaces, the packages, a bounded fuzz run, the real-kernel
# VM suite and the whole mesh in one VM.  One line per suite, then "N
# passed, M failed"; exits non-zero on any failure.
#
# Environment: TESTS (suite names, from the Makefile), FUZZ_SECONDS,
# CHECK_DEPTH (the model checker's).
set -u

passed=0
failed=0
failures=""
out=tests/out
mkdir -p "$out"

record() {	# name status
	if [ "$2" -eq 0 ]; then
		passed=$((passed + 1))
		echo "ok - $1"
	else
		failed=$((failed + 1))
		failures="$failures $1"
		echo "not ok - $1 (exit $2)"
	fi
}

for t in $TESTS; do
	for variant in "" .san; do
		echo "=== $t$variant"
		./tests/$t$variant
		record "$t$variant" $?
	done
done

echo "=== manual page"
# -W warning: OpenBSD pages cross-referenced (gif(4) ...) are not on Linux.
out_lint=$(mandoc -Tlint -W warning man/44meshd.8 man/44meshctl.8 2>&1)
lint=$?
[ -n "$out_lint" ] && { echo "$out_lint"; lint=1; }
record mandoc-lint $lint

echo "=== model checker (depth ${CHECK_DEPTH:-3})"
sh tests/check.sh
record model-checker $?

echo "=== replay regressions"
sh tests/replay.sh
record replay $?

echo "=== daemon in network namespaces"
sh tests/netns/run.sh
record netns $?

echo "=== packages (Debian, OpenBSD port)"
sh tests/pkg/run.sh
record packages $?

echo "=== fuzz (${FUZZ_SECONDS:-30} s)"
sh tests/fuzz/run.sh "${FUZZ_SECONDS:-30}"
record fuzz $?

echo "=== real kernel (QEMU)"
sh tests/vm/run.sh
record vm $?

echo "=== a whole AMPRNet in one VM (QEMU)"
sh tests/vm/mesh-run.sh
record mesh $?

[ -n "$failures" ] && echo "failed:$failures"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
