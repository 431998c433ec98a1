# shellcheck shell=sh disable=SC2154
# Shell helpers shared by tests/netns/run.sh, tests/netns/control.sh and
# bench/live.sh (all run 44meshd in network namespaces); sourced, never
# run.

# wait_until SECONDS COMMAND...: polls COMMAND every 0.1 s.
wait_until() {
	_ticks=$(($1 * 10))
	shift
	while [ "$_ticks" -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		_ticks=$((_ticks - 1))
	done
	return 1
}

has() {		# file fixed-string
	grep -F -q -e "$2" "$1" 2>/dev/null
}

# in_ns NS COMMAND...: COMMAND inside NS, killed after 30 s.
in_ns() {
	_ns=$1
	shift
	timeout 30 ip netns exec "$_ns" "$@"
}

# netns_pair: makes the namespaces $rx and $tx joined by the veth pair
# $vrx (in $rx) and $vtx (in $tx), or skips the suite saying why (skip
# and $out are the caller's).
netns_pair() {
	ip netns add "$rx" 2>"$out/netns.err" ||
	    skip "cannot make a network namespace: $(cat "$out/netns.err")"
	netns_made=1
	ip netns add "$tx" || skip "cannot make a second network namespace"
	ip -n "$rx" link add "$vrx" type veth peer name "$vtx" netns "$tx" \
	    2>"$out/veth.err" || skip "no veth: $(cat "$out/veth.err")"
}

# netns_cleanup: ends the daemon ($dpid, run by $tpid) and deletes the
# namespaces $rx and $tx once made ($netns_made); the scripts' EXIT trap.
netns_cleanup() {
	if [ -n "$dpid" ] && kill -0 "$dpid" 2>/dev/null; then
		kill -TERM "$dpid" 2>/dev/null
		sleep 1
		kill -KILL "$dpid" 2>/dev/null
	fi
	if [ -n "$tpid" ]; then
		kill -KILL "$tpid" 2>/dev/null
		wait "$tpid" 2>/dev/null
	fi
	if [ -n "$netns_made" ]; then
		ip netns del "$rx" 2>/dev/null
		ip netns del "$tx" 2>/dev/null
	fi
}
