# 44meshd.  Portable between GNU make and OpenBSD make: suffix rules and
# "!=" only, no pattern rules, no conditionals.  The kernel backend follows
# uname -s through the *_${OS} variables.

OS !=		uname -s

PREFIX ?=	/usr/local
SBINDIR =	${PREFIX}/sbin
MANDIR =	${PREFIX}/man/man8
RCDIR_OpenBSD =	/etc/rc.d

CC ?=		cc
SANCC ?=	clang
FUZZCC ?=	clang
FUZZ_SECONDS ?=	30

# WARN_SRC is what the sources must pass; tests (cmocka's void **state)
# and tools also build with -Wno-unused-parameter.
WARN_SRC =	-Wall -Wextra -Werror -Wshadow -Wmissing-prototypes \
		-Wstrict-prototypes -Wpointer-arith
WARN =		${WARN_SRC} -Wno-unused-parameter
CFLAGS_COMMON =	-std=c11 -D_DEFAULT_SOURCE -Ipatricia -Isrc -Ictl \
		-I/usr/local/include ${WARN}
CFLAGS ?=	-O2 -g
# OpenBSD has no AddressSanitizer and no libFuzzer in base: its test run
# uses UBSan's minimal runtime and skips the fuzz run.
SANITIZE_Linux =	-fsanitize=address,undefined -fno-sanitize-recover=all
SANITIZE_OpenBSD =	-fsanitize=undefined -fsanitize-minimal-runtime
SANFLAGS =	-O1 -g -fno-omit-frame-pointer ${SANITIZE_${OS}}
FUZZBIN_Linux =	tests/fuzz/fuzz_ingest tests/fuzz/fuzz_records
# The sandbox's libraries (sandbox_linux.c); OpenBSD's is in libc.
LIBS_Linux =	-lseccomp -lcap-ng
LIBS =		-L/usr/local/lib -levent -lpcap ${LIBS_${OS}}

PLATSRCS_Linux =	src/netlink.c src/kern_linux.c src/mcast_linux.c \
			src/sandbox_linux.c src/ctlpeer_linux.c
PLATSRCS_OpenBSD =	src/kern_openbsd.c src/mcast_openbsd.c \
			src/sandbox_openbsd.c src/ctlpeer_openbsd.c
PLATHDRS_Linux =	src/netlink.h
PLATTESTS_Linux =	test_netlink test_sandbox
# OpenBSD's own headers (amd64, arm64) for make obsdcheck.
OBSD_SYSROOTS ?=	../shared/obsd-sysroot ../shared/obsd-sysroot-arm64

LIBSRCS =	patricia/patricia.c src/addr.c src/reason.c src/rip.c \
		src/policy.c src/log.c src/pool.c src/unitmap.c \
		src/tunnels.c src/routestore.c src/mesh.c src/reconcile.c \
		src/adopt.c src/ingest.c src/kern_dry.c src/encap.c src/frame.c \
		src/replay.c src/options.c src/listen.c src/mcast.c \
		src/parent.c src/rtmsg.c src/feed.c src/pidfile.c \
		src/sandbox.c src/msg.c src/engine.c src/receive.c \
		src/control.c \
		${PLATSRCS_${OS}}
HDRS =		patricia/patricia.h src/addr.h src/parent.h src/encap.h \
		src/frame.h src/ingest.h src/kern.h src/kern_addrs.h \
		src/kern_dry.h src/listen.h src/log.h src/mcast.h \
		src/mcast_os.h src/mesh.h src/mesh_impl.h src/options.h \
		src/pidfile.h src/policy.h src/pool.h src/reason.h \
		src/replay.h src/rip.h src/rtmsg.h src/feed.h src/sandbox.h \
		src/tunnels.h src/unitmap.h src/wire.h src/msg.h src/engine.h \
		src/receive.h src/control.h src/ctl_proto.h \
		${PLATHDRS_${OS}}
LIBOBJS =	${LIBSRCS:.c=.o}
SANOBJS =	${LIBSRCS:.c=.sano}
# 44meshctl: its parts but main() in a library, for the tests too.
CTLSRCS =	ctl/parse.c ctl/reply.c ctl/output.c
CTLHDRS =	ctl/ctl.h src/ctl_proto.h src/addr.h
CTLOBJS =	${CTLSRCS:.c=.o}
CTLSANOBJS =	${CTLSRCS:.c=.sano}

TESTS =		test_patricia test_rip test_policy test_addr test_tables \
		test_mesh test_kern_dry test_ingest test_encap test_frame \
		test_options test_replay test_rtmsg test_pidfile \
		test_openbsd_rules test_tunnel_ends test_msg test_control \
		${PLATTESTS_${OS}}
TOOLS =		tools/ripsend tools/mkpcap
# The model checker of the reconciler (tests/check_reconcile.c): depth of
# the run in `make test`, and of `make check-deep`.
CHECK_DEPTH ?=	3
CHECK_DEEP_DEPTH ?= 4
CHECK_BIG_DEPTH ?= 2

.SUFFIXES: .c .o .sano

all: 44meshd 44meshctl ${TOOLS}

.c.o:
	${CC} ${CFLAGS_COMMON} ${CFLAGS} -c -o $@ $<

.c.sano:
	${SANCC} ${CFLAGS_COMMON} ${SANFLAGS} -c -o $@ $<

${LIBOBJS} ${SANOBJS} src/main.o: ${HDRS}
${CTLOBJS} ${CTLSANOBJS} ctl/44meshctl.o: ${CTLHDRS}

lib44mesh.a: ${LIBOBJS}
	rm -f $@
	ar rcs $@ ${LIBOBJS}

lib44mesh-san.a: ${SANOBJS}
	rm -f $@
	ar rcs $@ ${SANOBJS}

44meshd: src/main.o lib44mesh.a
	${CC} ${CFLAGS} -o $@ src/main.o lib44mesh.a ${LIBS}

lib44meshctl.a: ${CTLOBJS}
	rm -f $@
	ar rcs $@ ${CTLOBJS}

lib44meshctl-san.a: ${CTLSANOBJS}
	rm -f $@
	ar rcs $@ ${CTLSANOBJS}

# Only addr.o comes from the daemon's library: no libevent, no libpcap.
44meshctl: ctl/44meshctl.o lib44meshctl.a lib44mesh.a
	${CC} ${CFLAGS} -o $@ ctl/44meshctl.o lib44meshctl.a lib44mesh.a

tools/ripsend: tools/ripsend.c lib44mesh.a ${HDRS}
	${CC} ${CFLAGS_COMMON} ${CFLAGS} -o $@ tools/ripsend.c lib44mesh.a ${LIBS}

tools/mkpcap: tools/mkpcap.c lib44mesh.a ${HDRS}
	${CC} ${CFLAGS_COMMON} ${CFLAGS} -o $@ tools/mkpcap.c lib44mesh.a ${LIBS}

tests/check_reconcile: tests/check_reconcile.c lib44mesh.a ${HDRS}
	${CC} ${CFLAGS_COMMON} ${CFLAGS} -o $@ tests/check_reconcile.c \
	    lib44mesh.a ${LIBS}

tests/check_reconcile.san: tests/check_reconcile.c lib44mesh-san.a ${HDRS}
	${SANCC} ${CFLAGS_COMMON} ${SANFLAGS} -o $@ tests/check_reconcile.c \
	    lib44mesh-san.a ${LIBS}

# Unit test binaries, plain (${CC}) and sanitized (${SANCC}).
tests-bin: lib44mesh.a lib44mesh-san.a lib44meshctl.a lib44meshctl-san.a \
    tests/check_reconcile tests/check_reconcile.san
	@for t in ${TESTS}; do \
		set -e; \
		if [ ! tests/$$t -nt tests/$$t.c ] || \
		    [ ! tests/$$t -nt lib44mesh.a ] || \
		    [ ! tests/$$t -nt lib44meshctl.a ]; then \
			echo "${CC} -o tests/$$t"; \
			${CC} ${CFLAGS_COMMON} ${CFLAGS} -o tests/$$t \
			    tests/$$t.c lib44meshctl.a lib44mesh.a ${LIBS} \
			    -lcmocka; \
		fi; \
		if [ ! tests/$$t.san -nt tests/$$t.c ] || \
		    [ ! tests/$$t.san -nt lib44mesh-san.a ] || \
		    [ ! tests/$$t.san -nt lib44meshctl-san.a ]; then \
			echo "${SANCC} -fsanitize -o tests/$$t.san"; \
			${SANCC} ${CFLAGS_COMMON} ${SANFLAGS} -o tests/$$t.san \
			    tests/$$t.c lib44meshctl-san.a lib44mesh-san.a \
			    ${LIBS} -lcmocka; \
		fi; \
	done

tests/fuzz/fuzz_ingest: tests/fuzz/fuzz_ingest.c ${LIBSRCS} ${HDRS}
	${FUZZCC} ${CFLAGS_COMMON} -O1 -g \
	    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	    -o $@ tests/fuzz/fuzz_ingest.c ${LIBSRCS} ${LIBS}

tests/fuzz/fuzz_records: tests/fuzz/fuzz_records.c ${LIBSRCS} ${HDRS}
	${FUZZCC} ${CFLAGS_COMMON} -O1 -g \
	    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	    -o $@ tests/fuzz/fuzz_records.c ${LIBSRCS} ${LIBS}

# The daemon with the engine's test hook (SIGUSR2: a forbidden call), for
# tests/netns only; never installed.
tests/44meshd-hook: src/main.o src/engine.c lib44mesh.a ${HDRS}
	${CC} ${CFLAGS_COMMON} ${CFLAGS} -DENGINE_TEST_HOOK -o $@ \
	    src/main.o src/engine.c lib44mesh.a ${LIBS}

# Both entry points install what is missing first, so each works on a
# fresh machine with no step before it.
test: deps
	@${MAKE} all tests-bin tests/44meshd-hook ${FUZZBIN_${OS}}
	@${MAKE} OBSDCHECK_FLAGS=-p obsdcheck
	@TESTS="${TESTS}" FUZZ_SECONDS=30 CHECK_DEPTH=${CHECK_DEPTH} \
	    sh tests/run.sh

# The model checker deeper, and in a bigger world (4 prefixes, 3
# gateways: 625 datagrams a state), for a release.  Long: tens of minutes.
check-deep: tests/check_reconcile tests/check_reconcile.san
	CHECK_DEPTH=${CHECK_DEEP_DEPTH} sh tests/check.sh
	./tests/check_reconcile -p 4 -w 3 -d ${CHECK_BIG_DEPTH}
	./tests/check_reconcile -o -g -p 4 -w 3 -d ${CHECK_BIG_DEPTH}

# Every file the OpenBSD build compiles (this Makefile's own list, with
# the OpenBSD backend in place of the host's), against OpenBSD's headers.
obsdcheck:
	@for s in ${OBSD_SYSROOTS}; do \
		OBSD_WARN="${WARN_SRC}" OBSD_SKIP="${PLATSRCS_Linux}" \
		    sh tools/obsd-check.sh ${OBSDCHECK_FLAGS} $$s ${LIBSRCS} \
		    ${PLATSRCS_OpenBSD} src/main.c ${CTLSRCS} \
		    ctl/44meshctl.c || exit 1; \
	done

demo: deps
	@${MAKE} 44meshd
	./44meshd -n -s 0 -s 1 -D 44 -T 23 -r pcaps/full-table.pcap

fuzz: ${FUZZBIN_${OS}}
	sh tests/fuzz/run.sh ${FUZZ_SECONDS}

vmtest: all
	sh tests/vm/run.sh

meshtest: all
	sh tests/vm/mesh-run.sh

# The Debian package and the OpenBSD port (tests/pkg/run.sh); make test
# runs it too.
pkgtest: all
	sh tests/pkg/run.sh

bench: all
	${CC} ${CFLAGS_COMMON} -O2 -DNDEBUG -o bench/bench bench/*.c \
	    lib44mesh.a ${LIBS}
	./bench/bench
	sh bench/live.sh
	sh bench/vmfigures.sh

deps:
	@sh tools/deps.sh

install: 44meshd 44meshctl
	install -d ${DESTDIR}${SBINDIR} ${DESTDIR}${MANDIR}
	install -m 555 44meshd ${DESTDIR}${SBINDIR}/44meshd
	install -m 555 44meshctl ${DESTDIR}${SBINDIR}/44meshctl
	install -m 444 man/44meshd.8 ${DESTDIR}${MANDIR}/44meshd.8
	install -m 444 man/44meshctl.8 ${DESTDIR}${MANDIR}/44meshctl.8
	if [ -n "${RCDIR_${OS}}" ]; then \
		install -d ${DESTDIR}${RCDIR_${OS}}; \
		install -m 555 rc.d/meshd44 ${DESTDIR}${RCDIR_${OS}}/meshd44; \
	fi
	DESTDIR="${DESTDIR}" sh tools/engine-user.sh

clean:
	rm -f 44meshd 44meshctl ${TOOLS} src/*.o src/*.sano patricia/*.o \
	    patricia/*.sano lib44mesh.a lib44mesh-san.a bench/bench \
	    ctl/*.o ctl/*.sano lib44meshctl.a lib44meshctl-san.a \
	    tests/fuzz/fuzz_ingest tests/fuzz/fuzz_records \
	    tests/44meshd-hook tests/check_reconcile \
	    tests/check_reconcile.san
	for t in ${TESTS}; do rm -f tests/$$t tests/$$t.san; done
	rm -rf tests/out bench/out

.PHONY: all test demo fuzz vmtest meshtest bench deps install clean \
	tests-bin check-deep obsdcheck pkgtest
