# The mesh suite (busybox sh), run by /init when tests/vm/mesh-run.sh
# boots the VM: a whole AMPRNet in one guest.  An "Internet" bridge;
# amprgw with an ipip tunnel to every site and a feed that multicasts the
# table through all of them; MESH_SITES sites (kernel command line,
# default 24), each a namespace with vrf44 (table 44), its 44 subnets on
# a dummy LAN in the VRF, the hand-made gif0 (catch-all) and gif1 (to
# amprgw) and 44meshd started with the man page's Linux flags.  Output as
# guest-suite.sh's: "ok"/"not ok"/"skip" lines, "# " diagnostics, a
# "bench" line, and a last line "N passed, M failed".

. /vm/guest-lib.sh

SITES=${MESH_SITES:-24}
FEED_PERIOD=3
EXPIRY=15
GW_PUB=192.0.2.1		# amprgw's public address
HOSTILE_ALT=203.0.113.66	# a second public address of the hostile site
MOVED_PUB=203.0.113.100		# scenario 4's new public address

# Roles (fixed so that MESH_SITES=6 keeps them all): site 2 serves
# 44.60.0.0/16, inside which site 3 serves 44.60.5.0/24; site 4's public
# address is inside 44/8 (BGP-style); every fifth site has three subnets;
# site 1 changes its public address, site 2's daemon is killed, the one
# before last leaves and returns, the last is hostile.
MOVER=1
VICTIM=2
PINGER=3
BGP=4
LEAVER=$((SITES - 1))
HOSTILE=$SITES

pub_of() {
	if [ "$1" -eq "$BGP" ]; then
		echo "44.142.$1.2"
	else
		echo "198.51.100.$((10 + $1))"
	fi
}

# The address every other site pings.
addr_of() {
	echo "44.10.$1.1"
}

# A site's subnets as "ADDRESS/LEN" of its LAN (the subnet is implied).
lan_of() {
	echo "44.10.$1.1/24"
	[ "$1" -eq 2 ] && echo "44.60.0.1/16"
	[ "$1" -eq 3 ] && echo "44.60.5.1/24"
	if [ $(($1 % 5)) -eq 0 ]; then
		echo "44.20.$1.1/24"
		echo "44.21.$1.129/25"
	fi
}

# table_lines SITE PUBLIC: the site's entries of amprgw's table.
table_lines() {
	for a in $(lan_of "$1"); do
		echo "$a $2"
	done | awk '{
	    split($1, p, "/"); split(p[1], o, ".")
	    n = ((o[1] * 256 + o[2]) * 256 + o[3]) * 256 + o[4]
	    for (s = 1, l = p[2]; l < 32; l++) s *= 2
	    n -= n % s
	    printf "%d.%d.%d.%d/%d %s\n", int(n / 16777216),
		int(n / 65536) % 256, int(n / 256) % 256, n % 256, p[2], $2 }'
}

sites() {
	i=1
	while [ "$i" -le "$SITES" ]; do
		echo "$i"
		i=$((i + 1))
	done
}

# mktable FILE [SITE-TO-LEAVE-OUT [SITE-TO-MOVE NEWPUB]]
mktable() {
	for i in $(sites); do
		[ "$i" = "${2:-}" ] && continue
		if [ "$i" = "${3:-}" ]; then
			table_lines "$i" "$4"
		else
			table_lines "$i" "$(pub_of "$i")"
		fi
	done >"$1"
}

# --- topology -------------------------------------------------------------
# Built with one "ip -batch" a namespace: the emulated CPU makes each
# process start costly.

# site_batch SITE: the ip commands that make a site inside its namespace.
site_batch() {
	pub=$(pub_of "$1")
	a=$(addr_of "$1")
	cat <<EOF
link set lo up
addr add $pub/32 dev eth0
link set eth0 up
route add default dev eth0
link add vrf44 type vrf table 44
link set vrf44 up
link add lan0 type dummy
link set lan0 master vrf44
EOF
	for l in $(lan_of "$1"); do
		echo "addr add $l dev lan0"
	done
	cat <<EOF
link set lan0 up
link add gif0 type ipip local $pub remote any
link set gif0 master vrf44
addr add $a/32 dev gif0
link set gif0 up
link add gif1 type ipip local $pub remote $GW_PUB
link set gif1 master vrf44
addr add $a/32 dev gif1
link set gif1 up
route add default dev gif1 table 44
EOF
}

mesh_topology() {
	{
		echo "link add br0 type bridge"
		echo "link set br0 up"
		for ns in amprgw $(sites | sed 's/^/s/'); do
			echo "netns add $ns"
			echo "link add eth0 netns $ns type veth peer name v-$ns"
			echo "link set v-$ns master br0 up"
		done
	} | "$IP" -batch - || return 1
	# amprgw does not forward: every site-to-site packet must take a
	# tunnel the daemons made.
	{
		cat <<EOF
link set lo up
addr add $GW_PUB/32 dev eth0
link set eth0 up
route add default dev eth0
link add dummy0 type dummy
addr add $AMPRGW_44/32 dev dummy0
link set dummy0 up
EOF
		for i in $(sites); do
			echo "link add t$i type ipip local $GW_PUB" \
			    "remote $(pub_of "$i")"
			echo "link set t$i up"
		done
	} | "$IP" -n amprgw -batch - || return 1
	for i in $(sites); do
		site_batch "$i" | "$IP" -n "s$i" -batch - &&
		inns "s$i" sysctl -qw net.ipv4.ip_forward=1 ||
		    { echo "site $i"; return 1; }
	done
}

# --- daemons --------------------------------------------------------------

# The flags of the man page's Linux example, with -d for the foreground,
# -v for the kernel changes in the log, and a short -x for the test.
daemon_flags="-d -v -s 0 -s 1 -D 44 -T 0 -x $EXPIRY"

site_start() {
	# One instance a site: each its own pidfile (-P) and control socket
	# (-c), as the namespaces share one file system.  Site 2's LAN is the /16 that holds site 3's
	# /24: both operators allow routes nested with their own subnet with
	# -S, as the manual says, or 44meshd refuses them as possible hijacks.
	extra=
	[ "$1" -eq 2 ] || [ "$1" -eq 3 ] && extra=-S
	"$IP" netns exec "s$1" "$BIN/44meshd" $daemon_flags $extra \
	    -P "$WORK/44meshd.$1.pid" -c "$WORK/44meshd.$1.sock" \
	    2>>"$WORK/log.$1" &
	echo $! >"$WORK/pid.$1"
}

site_alive() {
	p=$(cat "$WORK/pid.$1")
	[ -r "/proc/$p/status" ] && ! grep -q "^State:.*zombie" \
	    "/proc/$p/status"
}

# "SITE N" lines: the kernel changes each site's daemon has logged.
all_ops() {
	awk 'FNR == 1 { n[FILENAME] += 0 }
	    /^44meshd: (tunnel|route) (add|change|delete) / { n[FILENAME]++ }
	    END { for (f in n) { s = f; sub(/.*\./, "", s); print s, n[f] } }' \
	    "$WORK"/log.* | sort -n
}

# ops_changed BEFORE AFTER: "sN: A -> B" for each site whose daemon logged
# kernel changes in between; fails if none did.
ops_changed() {
	awk 'FNR == NR { a[$1] = $2; next }
	    $2 != a[$1] { printf "s%s: %d -> %d ", $1, a[$1], $2; n++ }
	    END { exit !n }' "$1" "$2"
}

# snapshot NAME: every site's state and logged kernel changes, to compare.
snapshot() {
	mesh_state >"$WORK/state.$1"
	all_ops >"$WORK/ops.$1"
}

# changes: what differs between the snapshots "before" and "after", one
# line, empty if nothing; the differing dump lines as diagnostics.
changes() {
	c=
	if ops_changed "$WORK/ops.before" "$WORK/ops.after" >"$WORK/changed"
	then
		c="kernel changes logged: $(cat "$WORK/changed")"
	fi
	if ! cmp -s "$WORK/state.before" "$WORK/state.after"; then
		c="${c:+$c; }links or table 44 differ"
		diff "$WORK/state.before" "$WORK/state.after" |
		    grep -E '^([-+][^-+]|@@)' | head -n 12 | cut -c 1-150 |
		    sed 's/^/#   /' >&2
	fi
	echo "$c"
}

# Every site's kernel state, one ip a site: "== SITE PUBLIC", then its
# ipip links with their index and parameters (a link deleted and made
# again gets a new index) and table 44.
mesh_state() {
	for i in $(sites); do
		echo "== $i $(pub_of "$i")"
		printf 'link show type ipip\nroute show table 44\n' |
		    "$IP" -n "s$i" -d -o -batch -
	done | sed 's/ state [A-Z]*//; s/ qlen [0-9]*//'
}

# mesh_is TABLE [LEAVER [MOVED NEWPUB]]: every site but LEAVER has the
# tunnels and routes TABLE asks for, by want_of's policy (guest-lib.sh):
# each wanted prefix whose gateway is not the site itself via a gif to
# that gateway, one gif per gateway, no other route or gif of ours.  The
# first difference goes to $WORK/why.
mesh_is() {
	STATE_PUB=0.0.0.0
	want_of "$1" >"$WORK/want.all"
	mesh_state >"$WORK/state.now"
	awk -v leaver="${2:-}" -v moved="${3:-}" -v newpub="${4:-}" '
	FILENAME == ARGV[1] { want[$1] = $2; gw[$2] = 1; next }
	/^== / {
		site = $2
		pub[site] = site == moved ? newpub : $3
		sites[++n] = site
		next
	}
	/link\/ipip/ {
		name = $2
		sub(/@.*/, "", name)
		if (name == "gif0" || name == "gif1")
			next
		for (i = 1; i < NF; i++)
			if ($i == "peer")
				remote[site, name] = $(i + 1)
		next
	}
	/ proto 44 / {
		p = $1 == "unicast" ? $2 : $1
		if (p !~ /\//)
			p = p "/32"
		for (i = 1; i < NF; i++)
			if ($i == "dev")
				route[site, p] = $(i + 1)
	}
	function fail(m) {
		print "s" s ": " m
		exit 1
	}
	END {
		for (k = 1; k <= n; k++) {
			s = sites[k]
			if (s == leaver)
				continue
			for (p in want) {
				if (want[p] == pub[s])
					continue
				if (!((s, p) in route))
					fail("no route to " p)
				d = route[s, p]
				if (remote[s, d] != want[p])
					fail(p " dev " d " tunnels to " \
					    remote[s, d] ", not " want[p])
			}
			delete nto
			for (key in remote) {
				split(key, f, SUBSEP)
				if (f[1] != s)
					continue
				r = remote[key]
				if (++nto[r] > 1)
					fail("two gifs to " r)
				if (!(r in gw) || r == pub[s])
					fail("unused " f[2] " to " r)
			}
			for (key in route) {
				split(key, f, SUBSEP)
				if (f[1] == s && (!(f[2] in want) ||
				    want[f[2]] == pub[s]))
					fail("unwanted route " f[2])
			}
		}
	}' "$WORK/want.all" "$WORK/state.now" >"$WORK/why"
}

# reach FILE SECONDS FROM-SITES: every site in FROM-SITES pings the 44
# address of every other site (or of $REACH_TO only, if set), all at
# once, until each pair has answered once or SECONDS have passed.  FILE
# gets "FROM DEST TIME" lines ("-" for no reply); fails unless all
# answered.
reach() {
	out=$1
	secs=$2
	shift 2
	pids=
	for i in "$@"; do
		dests=
		for j in ${REACH_TO:-$(sites)}; do
			[ "$j" = "$i" ] || dests="$dests $(addr_of "$j")"
		done
		"$IP" netns exec "s$i" "$BIN/meshping" -B vrf44 -i 250 \
		    -w $((secs * 1000)) $dests >"$WORK/reach.$i" 2>&1 &
		pids="$pids $!"
	done
	echo "$pids" >"$WORK/reach.pids"
	# shellcheck disable=SC2086
	wait $pids
	for i in "$@"; do
		sed "s/^/$i /" "$WORK/reach.$i"
	done >"$out"
	! grep -q -- ' -$' "$out" && ! grep -qv '^[0-9]* [0-9.]* [0-9.]*$' \
	    "$out"
}

# Latest answer in a reach file, in milliseconds after $1 (uptime).
latest_ms() {
	awk -v t0="$1" '$3 != "-" && $3 > m { m = $3 }
	    END { printf "%d", (m - t0) * 1000 }' "$2"
}

# sends_until T0 REACHFILE: how many of amprgw's sends completed between
# T0 and the latest answer in REACHFILE.  "Within one cycle" is at most
# two: the send under way at the switch may still carry the old table.
sends_until() {
	awk -v t0="$1" 'FILENAME == ARGV[1] {
		if ($3 != "-" && $3 > m) m = $3; next }
	    $2 > t0 && $2 <= m { n++ } END { print n + 0 }' \
	    "$2" "$WORK/feed/times"
}

# switch_table FILE: amprgw sends FILE from its next send on.
switch_table() {
	cp "$1" "$WORK/feed/next"
	mv "$WORK/feed/next" "$WORK/feed/table.file"
}

fail_diag() {
	for i in "$@"; do
		diag "s$i: links and table 44:"
		"$IP" -n "s$i" -o link show type ipip | awk '{ print $2 }' |
		    tr '\n' ' ' | sed 's/^/#   /'
		echo
		"$IP" -n "s$i" route show table 44 | head -n 40 |
		    sed 's/^/#   /'
		diag "s$i: daemon log, last lines:"
		tail -n 10 "$WORK/log.$i" | sed 's/^/#   /'
		site_alive "$i" || diag "s$i: the daemon is not running"
	done
}

# --- the run ----------------------------------------------------------------

mkdir -p "$WORK"
diag "guest up at $(now)s, kernel $(uname -r), $SITES sites"

# 6 keeps every role; the addresses of the plan run out past 200.
if [ "$SITES" -lt 6 ] || [ "$SITES" -gt 200 ]; then
	not_ok "setup" "MESH_SITES=$SITES: 6 to 200 sites"
	finish
	exit 0
fi
missing=
for b in 44meshd ripsend meshping; do
	[ -x "$BIN/$b" ] || missing="$missing $b"
done
if [ -n "$missing" ]; then
	not_ok "setup" "not in the image:$missing (not built)"
	finish
	exit 0
fi

t=$(now)
if mesh_topology >"$WORK/topology.err" 2>&1; then
	ok "setup: amprgw and $SITES sites, each with vrf44, gif0, gif1 and" \
	    "a tunnel from amprgw ($(since "$t")s)"
else
	not_ok "setup: amprgw and $SITES sites" \
	    "$(tail -n 2 "$WORK/topology.err" | tr '\n' ' ')"
	finish
	exit 0
fi

# -G (amprgw's tunnel address; RIP only through the tunnel to it) is
# needed for the catch-all half of scenario 6.  An unknown flag makes the
# daemon print its usage line.
if "$BIN/44meshd" -n -G "$GW_PUB" -r /nonexistent.pcap 2>&1 |
    grep -q 'usage:'; then
	has_G=
	diag "44meshd has no -G: the catch-all half of scenario 6 is skipped"
else
	has_G=yes
	daemon_flags="$daemon_flags -G $GW_PUB"
fi

mktable "$WORK/full.table"
FEED_TUNNELS=$(for i in $(sites); do echo "t$i"; done)
for i in $(sites); do
	: >"$WORK/log.$i"
	site_start "$i"
done
sleep 3
dead=
for i in $(sites); do
	site_alive "$i" || dead="$dead s$i"
done
if [ -z "$dead" ]; then
	ok "setup: $SITES daemons running: 44meshd $daemon_flags"
else
	not_ok "setup: $SITES daemons running" "exited:$dead"
	for i in $dead; do
		diag_file "$WORK/log.${i#s}"
	done
fi

# --- 1 ---------------------------------------------------------------------
pairs=$((SITES * (SITES - 1)))
what="scenario 1: full mesh from the first broadcast: $pairs pings"
mkdir -p "$WORK/feed"
cp "$WORK/full.table" "$WORK/feed/table.file"
echo "$WORK/feed/table.file" >"$WORK/feed/table"
# The pingers start first; the clock starts with the feed.
REACH_TO=
reach "$WORK/reach1" 300 $(sites) &
reach1=$!
sleep 1
t0=$(now)
feed_start
wait "$reach1"
r=$?
got=$(grep -vc -- ' -$' "$WORK/reach1")
early=$(awk -v t0="$t0" '$3 != "-" && $3 < t0' "$WORK/reach1" | wc -l)
why=
if [ "$r" -ne 0 ]; then
	why="$got of $pairs answered"
	grep -- ' -$' "$WORK/reach1" | head -n 5 | sed 's/^/#   no reply: s/'
elif [ "$early" -ne 0 ]; then
	why="$early pairs answered before the first broadcast (not through"
	why="$why daemon-made tunnels)"
elif ! mesh_is "$WORK/full.table"; then
	why="$(cat "$WORK/why")"
fi
converged_ms=$(latest_ms "$t0" "$WORK/reach1")
if [ -z "$why" ]; then
	ok "$what, $got succeeded, full reachability ${converged_ms} ms" \
	    "after the first datagram; every site has one gif per peer and" \
	    "one route per subnet"
	echo "bench mesh_full_reachability_ms $converged_ms ($SITES sites," \
	    "$pairs pairs, feed every ${FEED_PERIOD}s, TCG)"
else
	not_ok "$what" "$why"
	fail_diag 1 "$BGP"
fi

# --- 2 ---------------------------------------------------------------------
what="scenario 2: three more broadcasts change nothing in any site's kernel"
snapshot before
feed_wait 3
snapshot after
why=$(changes)
if [ -z "$why" ]; then
	ok "$what ($(grep -c . "$WORK/state.after") lines of link and route" \
	    "dumps identical, no kernel change logged)"
else
	not_ok "$what" "$why"
fi

# --- 3 ---------------------------------------------------------------------
what="scenario 3: s$LEAVER leaves: gone from every other site after -x"
what="$what $EXPIRY"
mktable "$WORK/leave.table" "$LEAVER"
t=$(now)
switch_table "$WORK/leave.table"
why=
if ! wait_for $((EXPIRY * 4 + 60)) mesh_is "$WORK/leave.table" "$LEAVER"
then
	why="$(cat "$WORK/why")"
	fail_diag 1
else
	gone=$(since "$t")
	# Last heard at most one cycle (and a send) before the switch.
	if awk -v g="$gone" -v x="$EXPIRY" -v p="$FEED_PERIOD" \
	    'BEGIN { exit !(g < x - p - 2) }'; then
		why="gone after ${gone}s, before the expiry of ${EXPIRY}s"
	fi
fi
if [ -z "$why" ]; then
	ok "$what (all gone ${gone}s after the table left it out; the" \
	    "check polls every site)"
else
	not_ok "$what" "$why"
fi

what="scenario 3: s$LEAVER returns: every other site reaches it within one"
what="$what cycle"
others=$(sites | grep -vx "$LEAVER")
t0=$(now)
switch_table "$WORK/full.table"
REACH_TO=$LEAVER
reach "$WORK/reach3" 300 $others
r=$?
back_ms=$(latest_ms "$t0" "$WORK/reach3")
sends=$(sends_until "$t0" "$WORK/reach3")
why=
if [ "$r" -ne 0 ]; then
	why="$(grep -vc -- ' -$' "$WORK/reach3") of $((SITES - 1)) answered"
elif [ "$sends" -gt 2 ]; then
	why="$sends broadcasts were complete before the last answer"
elif ! wait_for 60 mesh_is "$WORK/full.table"; then
	why="$(cat "$WORK/why")"
fi
if [ -z "$why" ]; then
	ok "$what (all $((SITES - 1)) answered ${back_ms} ms after the" \
	    "switch, $sends broadcasts completed meanwhile)"
else
	not_ok "$what" "$why"
	fail_diag "$LEAVER"
fi

# --- 5 ---------------------------------------------------------------------
what="scenario 5: kill -9 and restart of s$VICTIM's daemon during a ping"
what="$what stream from s$PINGER"
feed_wait 1
snapshot before
"$IP" netns exec "s$PINGER" "$BIN/meshping" -B vrf44 -c 40 -i 250 \
    "$(addr_of "$VICTIM")" >"$WORK/stream" 2>&1 &
stream=$!
sleep 3
kill -9 "$(cat "$WORK/pid.$VICTIM")"
wait "$(cat "$WORK/pid.$VICTIM")" 2>/dev/null
sleep 1
line=$(($(wc -l <"$WORK/log.$VICTIM") + 1))
site_start "$VICTIM"
wait "$stream"
# The restarted daemon adopts, then hears a broadcast.
feed_wait 2
snapshot after
lost=$(sed -n 's/.* lost \([0-9]*\)$/\1/p' "$WORK/stream")
why=
if [ -z "$lost" ]; then
	why="no ping stream: $(cat "$WORK/stream")"
elif [ "$lost" -gt 1 ]; then
	why="$(cat "$WORK/stream")"
fi
if ! site_alive "$VICTIM"; then
	why="${why:+$why; }the restarted daemon is not running"
fi
c=$(changes)
why=$why${why:+${c:+; }}$c
if [ -z "$why" ]; then
	ok "$what: $(cat "$WORK/stream"), no link or route changed anywhere"
else
	not_ok "$what" "$why"
	tail -n +"$line" "$WORK/log.$VICTIM" | head -n 10 | sed 's/^/#   /'
fi

# --- 6 ---------------------------------------------------------------------
# What a forged table would do if it were believed: every subnet moved to
# the hostile site, a new prefix, withdrawals.
hpub=$(pub_of "$HOSTILE")
{
	for i in $(sites); do
		[ "$i" -eq "$HOSTILE" ] && continue
		table_lines "$i" "$hpub"
	done
	echo "44.99.0.0/16 $hpub"
	table_lines "$PINGER" "$(pub_of "$PINGER")" | sed 's/$/ 16/'
} >"$WORK/hostile.table"

# rx_sum IFNAME-OF-SITE...: "SITE IFNAME" words; total packets received.
rx_sum() {
	n=0
	while [ $# -gt 1 ]; do
		n=$((n + $(rx_packets "s$1" "$2")))
		shift 2
	done
	echo "$n"
}

# forge WHAT IFNAMES RX-WORDS: the hostile site sends its table out of
# IFNAMES; RX-WORDS name the victims' interfaces that must see it.
forge() {
	snapshot before
	rx0=$(rx_sum $3)
	# As amprgw, from 44.0.0.1, which must be local to bind it; only
	# for the send: the kernel drops packets from a local address, so
	# meanwhile the site misses amprgw's feed.
	"$IP" -n "s$HOSTILE" addr add "$AMPRGW_44/32" dev lo
	# shellcheck disable=SC2046
	inns "s$HOSTILE" "$BIN/ripsend" -s "$AMPRGW_44" \
	    $(for g in $2; do echo "-I $g"; done) -c 2 \
	    "$WORK/hostile.table" >"$WORK/forge.out" 2>&1
	r=$?
	"$IP" -n "s$HOSTILE" addr del "$AMPRGW_44/32" dev lo
	# Time for every daemon to act on it, were it believed.
	sleep 3
	rx1=$(rx_sum $3)
	snapshot after
	c=$(changes)
	why=
	if [ "$r" -ne 0 ]; then
		why="ripsend failed: $(tail -n 1 "$WORK/forge.out")"
	elif [ "$rx1" -le "$rx0" ]; then
		why="the forged datagrams did not reach the victims"
	fi
	why=$why${why:+${c:+; }}$c
	if [ -z "$why" ]; then
		ok "$1 ($((rx1 - rx0)) packets reached the victims; nothing" \
		    "changed anywhere)"
	else
		not_ok "$1" "$why"
	fi
}

# Through its own tunnels: the gifs its daemon made to every other site.
# From one dump: the hostile site's gifs (but 0 and 1), and for each
# other site "SITE GIF" of its gif to the hostile site.
mesh_state >"$WORK/state.now"
own=$(awk -v h="$HOSTILE" '/^== / { s = $2; next }
    s == h && $2 ~ /^gif[0-9]+@/ && $2 !~ /^gif[01]@/ {
	sub(/@.*/, "", $2); printf " %s", $2 }' "$WORK/state.now")
words=$(awk -v h="$HOSTILE" -v hp="$hpub" '/^== / { s = $2; next }
    s != h && / peer / { for (i = 1; i < NF; i++) if ($i == "peer" &&
	$(i + 1) == hp) { n = $2; sub(/@.*/, "", n); printf " %s %s", s, n } }' \
    "$WORK/state.now")
# The feed goes on: a forgery believed would show as logged kernel
# changes even if the next broadcast undid it.
what="scenario 6: s$HOSTILE forges amprgw's table through its own tunnels"
forge "$what to every other site" "$own" "$words"

# Through the catch-all: from another public address of its own, for
# which no site has a tunnel, so each site's gif0 takes it.
what="scenario 6: s$HOSTILE forges amprgw's table through every other site's"
what="$what catch-all gif0"
if [ -z "$has_G" ]; then
	skip "$what" "needs 44meshd -G (RIP only through the tunnel to\
 amprgw); without it RIP through gif0, a reserved unit, is accepted,\
 so the forgery is not tried"
else
	"$IP" -n "s$HOSTILE" addr add "$HOSTILE_ALT/32" dev eth0
	evil=
	words=
	for i in $(sites); do
		[ "$i" -eq "$HOSTILE" ] && continue
		"$IP" -n "s$HOSTILE" link add "evil$i" type ipip \
		    local "$HOSTILE_ALT" remote "$(pub_of "$i")"
		"$IP" -n "s$HOSTILE" link set "evil$i" up
		evil="$evil evil$i"
		words="$words $i gif0"
	done
	forge "$what" "$evil" "$words"
	for g in $evil; do
		"$IP" -n "s$HOSTILE" link del "$g"
	done
	"$IP" -n "s$HOSTILE" addr del "$HOSTILE_ALT/32" dev eth0
fi

# --- 4 ---------------------------------------------------------------------
# move_site SITE OLD NEW: the site's public address changes as a DHCP
# hook would do it (eth0, and the local end of the hand-made gif0 and
# gif1), amprgw's tunnel follows and the table names NEW.
move_site() {
	"$IP" -n "s$1" addr add "$3/32" dev eth0 &&
	"$IP" -n "s$1" addr del "$2/32" dev eth0 &&
	"$IP" -n "s$1" route replace default dev eth0 &&
	"$IP" -n "s$1" link set gif0 type ipip local "$3" remote any &&
	"$IP" -n "s$1" link set gif1 type ipip local "$3" remote "$GW_PUB" &&
	"$IP" -n amprgw link set "t$1" type ipip local "$GW_PUB" remote "$3"
}

# Daemon-made gifs of site $1 whose local end is $2, and all of them.
locals_are() {
	"$IP" -n "s$1" -d -o link show type ipip | awk -v l="$2" '
	    $2 ~ /^gif[0-9]+@/ && $2 !~ /^gif[01]@/ {
		n++; for (i = 1; i < NF; i++) if ($i == "link/ipip" &&
		    $(i + 1) == l) m++ }
	    END { print m + 0, n + 0 }'
}

# Site $1's daemon-made gifs as "INDEX NAME" lines.
gif_indexes() {
	"$IP" -n "s$1" -o link show type ipip | awk '$2 ~ /^gif[0-9]+@/ &&
	    $2 !~ /^gif[01]@/ { print $1, $2 }'
}

# Some of site $1's gifs have local end $2.
some_local() {
	set -- $(locals_are "$1" "$2")
	[ "$1" -gt 0 ]
}

what="scenario 4: s$MOVER's public address changes: the mesh follows"
old=$(pub_of "$MOVER")
mktable "$WORK/moved.table" "" "$MOVER" "$MOVED_PUB"
others=$(sites | grep -vx "$MOVER")
gif_indexes "$MOVER" >"$WORK/indexes.before"
move_site "$MOVER" "$old" "$MOVED_PUB"
t0=$(now)
switch_table "$WORK/moved.table"
REACH_TO=$MOVER
reach "$WORK/reach4" 300 $others 2>/dev/null &
reach4=$!
why=
if ! wait_for $((FEED_PERIOD * 4 + 30)) some_local "$MOVER" "$MOVED_PUB"
then
	# shellcheck disable=SC2046
	kill $(cat "$WORK/reach.pids") 2>/dev/null
	wait "$reach4"
	skip "$what" "needs issue 16 address following (none of its\
 $(gif_indexes "$MOVER" | wc -l) tunnels took the new local end\
 $MOVED_PUB)"
else
	wait "$reach4"
	r=$?
	set -- $(locals_are "$MOVER" "$MOVED_PUB")
	gif_indexes "$MOVER" >"$WORK/indexes.after"
	moved_ms=$(latest_ms "$t0" "$WORK/reach4")
	sends=$(sends_until "$t0" "$WORK/reach4")
	if [ "$1" -ne "$2" ]; then
		why="$1 of its $2 tunnels have the new local end"
	elif ! cmp -s "$WORK/indexes.before" "$WORK/indexes.after"; then
		why="its tunnels were not changed in place (links differ)"
	elif [ "$r" -ne 0 ]; then
		why="$(grep -vc -- ' -$' "$WORK/reach4") of $((SITES - 1))"
		why="$why answered"
	elif [ "$sends" -gt 2 ]; then
		why="$sends broadcasts were complete before the last answer"
	elif ! mesh_is "$WORK/moved.table" "" "$MOVER" "$MOVED_PUB"; then
		why="$(cat "$WORK/why")"
	fi
	if [ -z "$why" ]; then
		ok "$what: its $2 tunnels changed in place, every site reaches" \
		    "it again ${moved_ms} ms after the change ($sends" \
		    "broadcasts completed meanwhile)"
	else
		not_ok "$what" "$why"
		fail_diag "$MOVER"
	fi
fi
# Back to the old address, and the whole mesh as it was.
move_site "$MOVER" "$MOVED_PUB" "$old"
switch_table "$WORK/full.table"
if ! wait_for $((EXPIRY + FEED_PERIOD * 4 + 30)) mesh_is "$WORK/full.table"
then
	not_ok "scenario 4: the mesh returns to the old address" \
	    "$(cat "$WORK/why")"
	fail_diag "$MOVER"
fi

# --- 7 ---------------------------------------------------------------------
what="scenario 7: memory of $SITES daemons"
: >"$WORK/rss"
why=
for i in $(sites); do
	if site_alive "$i"; then
		awk -v s="$i" '/^VmRSS:/ { print s, $2 }' \
		    "/proc/$(cat "$WORK/pid.$i")/status" >>"$WORK/rss"
	else
		why="${why:+$why, }s$i not running"
	fi
done
summary=$(awk '{ s += $2; if (!n++ || $2 < lo) lo = $2; if ($2 > hi) hi = $2 }
    END { printf "RSS %d to %d KiB each, %d KiB together", lo, hi, s }' \
    "$WORK/rss")
vm=$(awk '/^MemTotal:/ { t = $2 } /^MemAvailable:/ { a = $2 }
    END { printf "%d of %d MiB", (t - a) / 1024, t / 1024 }' /proc/meminfo)
big=$(awk '$2 > 16384 { printf " s%s", $1 }' "$WORK/rss")
[ -n "$big" ] && why="${why:+$why; }more than 16 MiB:$big"
if [ -z "$why" ]; then
	ok "$what: $summary; the VM uses $vm"
else
	not_ok "$what" "$why ($summary)"
fi
feed_stop

for i in $(sites); do
	sed "s/^/@log s$i /" "$WORK/log.$i"
done
if grep -q . "$WORK/feed/log"; then
	diag "amprgw's feed said:"
	sort "$WORK/feed/log" | uniq -c | head -n 10 | sed 's/^/#   /'
fi
finish
