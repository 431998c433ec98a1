#!/bin/sh
# The model checker of the reconciler's promises (tests/check_reconcile.c)
# on both kernel models, with the operator's gif0 a catch-all and a tunnel
# to a gateway, at depth CHECK_DEPTH; then the sanitized build, shallower.
# Exits non-zero when any run finds a violation.
set -u

depth=${CHECK_DEPTH:-3}
rc=0
for rules in "" -o; do
	for reserved in "" -g; do
		./tests/check_reconcile $rules $reserved -d "$depth" || rc=1
	done
done
./tests/check_reconcile.san -d 2 || rc=1
./tests/check_reconcile.san -o -d 2 || rc=1
exit $rc
