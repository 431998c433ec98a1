# shellcheck shell=sh
# The check lines of the netns suites (run.sh, control.sh): "ok N -
# what" / "not ok N - what: why", then "N passed, M failed"; sourced,
# never run.

passed=0
failed=0
count=0

ok() {
	count=$((count + 1))
	passed=$((passed + 1))
	echo "ok $count - $1"
}

not_ok() {
	count=$((count + 1))
	failed=$((failed + 1))
	echo "not ok $count - $1: $2"
}

# finish: the totals; exits 1 on any failure.
finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ] || exit 1
	exit 0
}

# skip WHY: a missing prerequisite ends the suite (a failure in CI).
skip() {
	echo "SKIP: $*"
	if [ "${CI:-}" = true ]; then
		echo "CI=true: a missing prerequisite is a failure"
		not_ok "prerequisites" "$*"
	fi
	finish
}
