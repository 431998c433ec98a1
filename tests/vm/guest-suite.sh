# The VM test suite proper (busybox sh), run by /init with its output on
# the serial console: one result line per check ("ok N - what" or "not ok
# N - what: reason"), diagnostics as "# " lines, machine-read blocks as
# "@" lines for the host, and a last line "N passed, M failed".

. /vm/guest-lib.sh

mkdir -p "$WORK"
: >"$DAEMON_LOG"
diag "guest up at $(now)s, kernel $(uname -r)"

# --- the harness itself -------------------------------------------------

if topology >"$WORK/topology.err" 2>&1; then
	ok "setup: namespaces, bridge, vrf44, hand-made gif0 and gif1"
else
	not_ok "setup: namespaces, bridge, vrf44, hand-made gif0 and gif1" \
	    "$(tail -n 1 "$WORK/topology.err")"
	finish
	exit 0
fi

bad=
for pub in $AMPRGW_PUB $PEER1_PUB $PEER2_PUB $PEER3_PUB; do
	ping_ok router "$pub" 1 || bad="$bad $pub"
done
if [ -z "$bad" ]; then
	ok "setup: the router reaches every public address"
else
	not_ok "setup: the router reaches every public address" \
	    "no reply from$bad"
fi

# A hand-made route through hand-made gif1; the daemon must leave it be.
"$IP" -n router route add "$AMPRGW_44/32" dev gif1 table 44
if ping_ok lan "$AMPRGW_44" 2; then
	ok "setup: the LAN host pings $AMPRGW_44 through gif1 in vrf44"
else
	not_ok "setup: the LAN host pings $AMPRGW_44 through gif1 in vrf44" \
	    "no reply"
fi

missing=
for b in 44meshd ripsend mkpcap; do
	[ -x "$BIN/$b" ] || missing="$missing $b"
done

# The tables.  T1: three peers, and entries the policy must refuse.
cat >"$WORK/t1.table" <<EOF
44.2.2.0/24 $PEER1_PUB
44.2.9.0/28 $PEER1_PUB
44.3.3.0/24 $PEER2_PUB
44.4.4.0/24 $PEER3_PUB
44.192.0.0/16 $PEER1_PUB
44.5.5.0/24 44.5.5.1
44.6.6.0/24 $ROUTER_PUB
44.7.7.0/24 127.0.0.1
EOF
# T3: 44.3.3.0/24 moves from peer2 to peer3.
sed "s|^44.3.3.0/24 .*|44.3.3.0/24 $PEER3_PUB|" "$WORK/t1.table" \
    >"$WORK/t3.table"
# T4: peer3 is no longer advertised.
grep -v " $PEER3_PUB\$" "$WORK/t3.table" >"$WORK/t4.table"

# RIP44 multicast from amprgw into the router's VRF, daemon-independent:
# a socket made like the daemon's listener must see every datagram.
what="setup: RIP44 multicast from amprgw reaches a vrf44 socket on gif1"
if [ -x "$BIN/ripsend" ]; then
	"$IP" netns exec router "$BIN/mcheck" vrf44 gif1 3 20 \
	    >"$WORK/mcheck.out" 2>&1 &
	mcheck_pid=$!
	wait_for 10 grep -q listening "$WORK/mcheck.out"
	inns amprgw "$BIN/ripsend" -I tun0 -s "$AMPRGW_44" -c 3 \
	    "$WORK/t1.table" >"$WORK/ripsend.out" 2>&1
	if wait "$mcheck_pid"; then
		ok "$what"
	else
		not_ok "$what" "$(tail -n 1 "$WORK/mcheck.out")"
		diag_file "$WORK/mcheck.out"
		diag_file "$WORK/ripsend.out"
	fi
else
	not_ok "$what" "tools/ripsend is not in the image (not built)"
fi

if [ -n "$missing" ]; then
	for s in 1 2 3 4 5 6 7 8; do
		not_ok "scenario $s" "not in the image:$missing (not built)"
	done
	finish
	exit 0
fi

. /vm/guest-scenarios.sh
finish
