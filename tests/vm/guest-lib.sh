# Guest helpers for the VM test (busybox sh): result lines, the topology,
# the RIP feed and the daemon.  Sourced by guest-suite.sh.
#
# busybox sh runs its own applets before PATH, and its ip lacks netns and
# vrf: the real iproute2 is always called by full path.

IP=/sbin/ip
BIN=/vm/bin
WORK=/tmp/vm

# Addresses of the topology.
AMPRGW_PUB=169.228.34.84
AMPRGW_44=44.0.0.1
HOSTILE_44=44.0.0.2
ROUTER_PUB=23.30.150.141
ROUTER_44=44.44.107.1
LAN_NET=44.44.107.0/24
LAN_HOST=44.44.107.2
PEER1_PUB=198.51.100.20
PEER2_PUB=203.0.113.7
PEER3_PUB=192.0.2.33
EXPIRY=20

tests_run=0
tests_passed=0
tests_failed=0
tests_skipped=0

# ok WORDS...: the words make one line.
ok() {
	tests_run=$((tests_run + 1))
	tests_passed=$((tests_passed + 1))
	echo "ok $tests_run - $*"
}

not_ok() {
	tests_run=$((tests_run + 1))
	tests_failed=$((tests_failed + 1))
	echo "not ok $tests_run - $1: $2"
}

# A check that could not be made, with why: neither passed nor failed.
skip() {
	tests_skipped=$((tests_skipped + 1))
	echo "skip - $1: $2"
}

# Indented diagnostics, prefixed so the host can tell them from results.
diag() {
	echo "# $*"
}

diag_file() {
	sed 's/^/#   /' "$1"
}

finish() {
	[ "$tests_skipped" -eq 0 ] || diag "$tests_skipped skipped"
	echo "$tests_passed passed, $tests_failed failed"
}

# Seconds since boot, with hundredths.
now() {
	cut -d ' ' -f 1 /proc/uptime
}

# Elapsed seconds (with hundredths) since a now() value.
since() {
	awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'
}

# inns NS CMD...: run a command inside a namespace.  A shell function:
# a background job started through it has the subshell as $!, so those
# call "$IP" netns exec (which execs the command in the same process).
inns() {
	ns=$1
	shift
	"$IP" netns exec "$ns" "$@"
}

# --- topology -------------------------------------------------------------

mkns() {
	"$IP" netns add "$1" &&
	"$IP" -n "$1" link set lo up
}

# Joins namespace $1 to the "internet" bridge with public address $2/32;
# everything else on the bridge is reached by ARP (default dev eth0).
attach() {
	"$IP" link add eth0 netns "$1" type veth peer name "v-$1" &&
	"$IP" link set "v-$1" master br0 up &&
	"$IP" -n "$1" addr add "$2/32" dev eth0 &&
	"$IP" -n "$1" link set eth0 up &&
	"$IP" -n "$1" route add default dev eth0
}

# mkpeer NS PUBLIC ADDR/LEN...: a gateway site with its 44 subnets on a
# dummy and a hand-made tunnel back to the router that carries replies.
mkpeer() {
	ns=$1
	pub=$2
	shift 2
	mkns "$ns" && attach "$ns" "$pub" &&
	"$IP" -n "$ns" link add dummy0 type dummy &&
	"$IP" -n "$ns" link set dummy0 up || return 1
	for a in "$@"; do
		"$IP" -n "$ns" addr add "$a" dev dummy0 || return 1
	done
	"$IP" -n "$ns" link add tun0 type ipip local "$pub" \
	    remote "$ROUTER_PUB" &&
	"$IP" -n "$ns" link set tun0 up &&
	"$IP" -n "$ns" route add "$LAN_NET" dev tun0
}

topology() {
	"$IP" link add br0 type bridge &&
	"$IP" link set br0 up || return 1

	# amprgw: the route server, sending into its tunnel to the router.
	mkns amprgw && attach amprgw "$AMPRGW_PUB" &&
	"$IP" -n amprgw link add dummy0 type dummy &&
	"$IP" -n amprgw addr add "$AMPRGW_44/32" dev dummy0 &&
	"$IP" -n amprgw addr add "$HOSTILE_44/32" dev dummy0 &&
	"$IP" -n amprgw link set dummy0 up &&
	"$IP" -n amprgw link add tun0 type ipip local "$AMPRGW_PUB" \
	    remote "$ROUTER_PUB" &&
	"$IP" -n amprgw link set tun0 up &&
	"$IP" -n amprgw route add "$LAN_NET" dev tun0 || return 1

	# router: public side in the main table, AMPRNet side in vrf44.
	mkns router && attach router "$ROUTER_PUB" &&
	inns router sysctl -qw net.ipv4.ip_forward=1 &&
	"$IP" -n router link add vrf44 type vrf table 44 &&
	"$IP" -n router link set vrf44 up &&
	"$IP" -n router link add gif0 type ipip local "$ROUTER_PUB" \
	    remote any &&
	"$IP" -n router link set gif0 master vrf44 &&
	"$IP" -n router link set gif0 up &&
	"$IP" -n router link add gif1 type ipip local "$ROUTER_PUB" \
	    remote "$AMPRGW_PUB" &&
	"$IP" -n router link set gif1 master vrf44 &&
	"$IP" -n router addr add "$ROUTER_44/32" dev gif1 &&
	"$IP" -n router link set gif1 up || return 1

	# The router's 44 subnet and a host on it.
	mkns lan &&
	"$IP" -n router link add lan0 type veth peer name eth0 netns lan &&
	"$IP" -n router link set lan0 master vrf44 &&
	"$IP" -n router addr add "$ROUTER_44/24" dev lan0 &&
	"$IP" -n router link set lan0 up &&
	"$IP" -n lan addr add "$LAN_HOST/24" dev eth0 &&
	"$IP" -n lan link set eth0 up &&
	"$IP" -n lan route add default via "$ROUTER_44" || return 1

	mkpeer peer1 "$PEER1_PUB" 44.2.2.1/24 44.2.9.1/28 &&
	mkpeer peer2 "$PEER2_PUB" 44.3.3.1/24 &&
	mkpeer peer3 "$PEER3_PUB" 44.3.3.1/24 44.4.4.1/24
}

# ping_ok NS DEST [COUNT]: at least one reply.
ping_ok() {
	inns "$1" ping -c "${3:-2}" -W 3 "$2" >/dev/null 2>&1
}

# Packets a peer's tunnel has received so far.
rx_packets() {
	"$IP" -n "$1" -s link show "$2" | awk 'f { print $2; exit }
	    /RX:/ { f = 1 }'
}

# --- router state ---------------------------------------------------------

# Daemon-made state: the gif links with their parameters and index (a
# link deleted and re-added gets a new index), addresses, table 44.
router_state() {
	"$IP" -n router -d -o link show | grep ' gif[0-9]*@' |
	    sed 's/ state [A-Z]*//; s/ qlen [0-9]*//'
	"$IP" -n router -o -4 addr show | grep ' gif[0-9]* ' |
	    awk '{ print $2, $4 }'
	"$IP" -n router route show table 44
}

# The namespace whose daemon state the checks below read, and its public
# address (the mesh suite points them at each site in turn).
STATE_NS=router
STATE_PUB=$ROUTER_PUB

# gif links as "NAME REMOTE" lines.
gifs() {
	"$IP" -n "$STATE_NS" -d -o link show type ipip | awk '{
	    name = $2; sub(/@.*/, "", name); sub(/:$/, "", name)
	    for (i = 1; i < NF; i++) if ($i == "remote") print name, $(i + 1)
	}' | grep '^gif'
}

# The gif whose remote is $1 (empty if none).
gif_to() {
	gifs | awk -v r="$1" '$2 == r { print $1 }'
}

# How many gifs tunnel to $1.
gif_count_to() {
	gifs | awk -v r="$1" '$2 == r { n++ } END { print n + 0 }'
}

# Routes of ours in table 44 as "PREFIX DEV" lines, sorted.
our_routes() {
	"$IP" -n "$STATE_NS" route show table 44 proto 44 | awk '{
	    p = $1; if (p !~ /\//) p = p "/32"
	    for (i = 1; i < NF; i++) if ($i == "dev") print p, $(i + 1)
	}' | sort
}

# Device of our route to prefix $1 (empty if none).
route_dev() {
	our_routes | awk -v p="$1" '$1 == p { print $2 }'
}

# want_of TABLE: the "PREFIX GATEWAY" pairs the daemon should install for
# a ripsend table, by the documented policy: AMPRNet is 44.0.0.0/9 and
# 44.128.0.0/10; a gateway inside its own prefix, our own address, or not
# a usable unicast address is refused; host bits are masked; metric 16
# withdraws; 0 and 17+ are refused; a later entry for a prefix wins.
want_of() {
	awk -v ours="$STATE_PUB" -v ours44="$ROUTER_44" -v lan="$LAN_NET" \
	    -v source="$AMPRGW_44" '
	function num(a,    o) {
		if (split(a, o, ".") != 4)
			return -1
		return ((o[1] * 256 + o[2]) * 256 + o[3]) * 256 + o[4]
	}
	function dotted(n) {
		return sprintf("%d.%d.%d.%d", int(n / 16777216),
		    int(n / 65536) % 256, int(n / 256) % 256, n % 256)
	}
	function size(len,    s) {
		# busybox awk has no ^ without its math library.
		for (s = 1; len < 32; len++)
			s *= 2
		return s
	}
	function inside(a, net, len) {
		return a >= net && a < net + size(len)
	}
	/^[ \t]*(#|$)/ || $1 == "raw" { next }
	{
		split($1, p, "/")
		len = p[2] + 0
		a = num(p[1])
		gw = num($2)
		metric = NF >= 3 ? $3 + 0 : 1
		net = a - (a - int(a / size(len)) * size(len))
		key = dotted(net) "/" len
		if (metric < 1 || metric > 16)
			next
		if (!inside(net, num("44.0.0.0"), 9) &&
		    !inside(net, num("44.128.0.0"), 10))
			next
		if (metric == 16) {
			delete want[key]
			next
		}
		if (gw == num(ours) || inside(gw, net, len))
			next
		# What would hurt the router: short, over amprgw, over or
		# inside our LAN (no -S).
		split(lan, l, "/")
		if (len < 16 || inside(num(source), net, len) ||
		    inside(num(ours44), net, len) ||
		    (len <= l[2] + 0 && inside(num(l[1]), net, len)) ||
		    inside(net, num(l[1]), l[2] + 0))
			next
		if (gw < 16777216 || inside(gw, num("127.0.0.0"), 8) ||
		    gw >= num("224.0.0.0"))
			next
		if (inside(gw, num("10.0.0.0"), 8) ||
		    inside(gw, num("172.16.0.0"), 12) ||
		    inside(gw, num("192.168.0.0"), 16) ||
		    inside(gw, num("100.64.0.0"), 10) ||
		    inside(gw, num("169.254.0.0"), 16) ||
		    gw == num(ours44) || gw == num(source))
			next
		want[key] = $2
	}
	END {
		for (k in want)
			print k, want[k]
	}' "$1" | sort
}

# state_is WANTFILE: our routes in table 44 and the daemon's gifs are
# exactly what WANTFILE ("PREFIX GATEWAY" lines) asks for: each prefix
# via a gif to its gateway, one gif per gateway, no other route of ours,
# no unused gif.  Prints the first difference.
state_is() {
	our_routes >"$WORK/routes.now"
	gifs >"$WORK/gifs.now"
	awk -v want="$1" -v routes="$WORK/routes.now" \
	    -v tunnels="$WORK/gifs.now" '
	FILENAME == want { w[$1] = $2; wr[$2] = 1; next }
	FILENAME == tunnels {
		if ($1 == "gif0" || $1 == "gif1")
			next
		remote[$1] = $2
		nto[$2]++
		next
	}
	FILENAME == routes { have[$1] = $2 }
	END {
		for (p in w) {
			if (!(p in have)) {
				print "no route to " p
				exit 1
			}
			if (remote[have[p]] != w[p]) {
				print p " dev " have[p] " tunnels to " \
				    remote[have[p]] ", not " w[p]
				exit 1
			}
		}
		for (p in have)
			if (!(p in w)) {
				print "unwanted route " p " dev " have[p]
				exit 1
			}
		for (r in nto) {
			if (nto[r] > 1) {
				print nto[r] " gifs to " r
				exit 1
			}
			if (!(r in wr)) {
				print "unused gif to " r
				exit 1
			}
		}
	}' "$1" "$WORK/routes.now" "$WORK/gifs.now" >"$WORK/why"
}

# state_reached WANTFILE: state_is, quietly, for wait_for.
state_reached() {
	state_is "$1"
}

# Each daemon-made gif is as the daemon promises: unit not reserved,
# local -L, in vrf44, up, our 44 address as /32; each route of ours is
# scope link.  Prints the first fault.
gifs_well_made() {
	for g in $(gifs | awk '$1 != "gif0" && $1 != "gif1" { print $1 }')
	do
		l=$("$IP" -n router -d -o link show dev "$g")
		case $l in
		*"link/ipip $ROUTER_PUB peer "*) ;;
		*)	echo "$g: local is not $ROUTER_PUB"; return 1 ;;
		esac
		case $l in
		*" master vrf44 "*) ;;
		*)	echo "$g: not in vrf44"; return 1 ;;
		esac
		case $l in
		*"<"*UP*LOWER_UP*">"*) ;;
		*)	echo "$g: not up"; return 1 ;;
		esac
		case $l in
		*" alias 44meshd"*) ;;
		*)	echo "$g: without our mark (alias)"; return 1 ;;
		esac
		"$IP" -n router -o -4 addr show dev "$g" |
		    grep -q " inet $ROUTER_44/32 " ||
		    { echo "$g: no $ROUTER_44/32"; return 1; }
	done
	n=$("$IP" -n router route show table 44 proto 44 |
	    grep -vc ' scope link')
	[ "$n" -eq 0 ] || { echo "$n routes of ours not scope link"; return 1; }
}

# wait_for SECONDS CMD...: polls CMD every half second until it succeeds.
wait_for() {
	limit=$1
	shift
	start=$(now)
	while :; do
		"$@" && return 0
		if awk -v a="$start" -v b="$(now)" -v l="$limit" \
		    'BEGIN { exit !(b - a > l) }'; then
			return 1
		fi
		sleep 0.5
	done
}

# --- the RIP feed -----------------------------------------------------------

# amprgw sends the table named in $WORK/feed/table every FEED_PERIOD
# seconds through each of its tunnels FEED_TUNNELS, as the real one does
# every five minutes; the count file says how many complete sends there
# have been, the times file when each completed.
FEED_PERIOD=3
FEED_TUNNELS=tun0

feed_start() {
	mkdir -p "$WORK/feed"
	echo 0 >"$WORK/feed/count"
	[ -f "$WORK/feed/table" ] || : >"$WORK/feed/table"
	touch "$WORK/feed/run"
	(
		n=0
		while [ -f "$WORK/feed/run" ]; do
			t=$(cat "$WORK/feed/table")
			if [ -n "$t" ]; then
				# shellcheck disable=SC2046
				inns amprgw "$BIN/ripsend" $(for i in \
				    $FEED_TUNNELS; do echo "-I $i"; done) \
				    -s "$AMPRGW_44" "$t" \
				    >>"$WORK/feed/log" 2>&1
				n=$((n + 1))
				echo "$n" >"$WORK/feed/count"
				echo "$n $(now)" >>"$WORK/feed/times"
			fi
			sleep "$FEED_PERIOD"
		done
	) &
	feed_pid=$!
}

feed_stop() {
	rm -f "$WORK/feed/run"
	[ -n "${feed_pid:-}" ] && wait "$feed_pid" 2>/dev/null
	feed_pid=
}

feed_count() {
	cat "$WORK/feed/count"
}

# feed TABLEFILE: switch the feed to that table and return once it has
# been sent completely at least once (two sends begun after the switch).
feed() {
	cp "$1" "$WORK/feed/next"
	mv "$WORK/feed/next" "$WORK/feed/table.file"
	echo "$WORK/feed/table.file" >"$WORK/feed/table"
	feed_wait 2
}

# feed_wait N: wait until N more sends have completed.
feed_wait() {
	target=$(($(feed_count) + $1))
	wait_for $((FEED_PERIOD * $1 * 4 + 20)) feed_reached "$target"
}

feed_reached() {
	[ "$(feed_count)" -ge "$1" ]
}

# --- the daemon -------------------------------------------------------------

DAEMON_LOG=$WORK/44meshd.log

daemon_start() {
	"$IP" netns exec router "$BIN/44meshd" -d -v -D 44 -T 0 \
	    -L "$ROUTER_PUB" -l "$ROUTER_44" -s 0 -s 1 -x "$EXPIRY" "$@" \
	    2>>"$DAEMON_LOG" &
	daemon_pid=$!
}

# Running, and not a zombie waiting for the shell to reap it.
daemon_alive() {
	[ -n "${daemon_pid:-}" ] && [ -r "/proc/$daemon_pid/status" ] &&
	    ! grep -q "^State:.*zombie" "/proc/$daemon_pid/status"
}

# Kernel changes the daemon has logged so far.
daemon_ops_logged() {
	grep -cE '^44meshd: (tunnel|route) (add|change|delete) ' \
	    "$DAEMON_LOG"
}

# "N kernel operations" from a fresh status line (SIGUSR1).
daemon_status_ops() {
	before=$(grep -c '44meshd: status:' "$DAEMON_LOG")
	kill -USR1 "$daemon_pid" 2>/dev/null || return 1
	wait_for 5 status_lines_above "$before" || return 1
	grep '44meshd: status:' "$DAEMON_LOG" | tail -n 1 |
	    sed -n 's/.*[^0-9]\([0-9][0-9]*\) kernel operations.*/\1/p'
}

status_lines_above() {
	[ "$(grep -c '44meshd: status:' "$DAEMON_LOG")" -gt "$1" ]
}
