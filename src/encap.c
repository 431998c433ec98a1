#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "encap.h"
#include "ingest.h"
#include "log.h"
#include "mesh.h"

#define ENCAP_LINE_MAX	512

int
encap_parse_line(const char *line, struct prefix *p, uint32_t *gateway,
    const char **why)
{
	char copy[ENCAP_LINE_MAX], *word[6], *s, *last;
	int n = 0, hostbits = 0;

	if ((size_t)snprintf(copy, sizeof(copy), "%s", line) >= sizeof(copy)) {
		*why = "line too long";
		return -1;
	}
	/* A comment may end any line. */
	if ((s = strchr(copy, '#')) != NULL)
		*s = '\0';
	for (s = strtok_r(copy, " \t\r\n", &last); s != NULL && n < 6;
	    s = strtok_r(NULL, " \t\r\n", &last))
		word[n++] = s;
	if (n == 0)
		return 0;
	if (n != 5 || strcmp(word[0], "route") != 0 ||
	    strcmp(word[1], "addprivate") != 0 ||
	    strcmp(word[3], "encap") != 0) {
		*why = "not \"route addprivate PREFIX encap GATEWAY\"";
		return -1;
	}
	/* Old writers drop trailing zero octets (44.182.20/24). */
	if (parse_prefix(word[2], 1, p, &hostbits) == -1) {
		*why = "bad prefix";
		return -1;
	}
	if (hostbits) {
		*why = "host bits set in prefix";
		return -1;
	}
	if (parse_addr(word[4], gateway) == -1) {
		*why = "bad gateway address";
		return -1;
	}
	*why = NULL;
	return 1;
}

/* Lines whose fault is logged in full; the rest are only counted. */
#define ENCAP_REPORT_LINES	3

struct bad_lines {
	const char	*path;
	int		 count;
};

static void
bad_line(struct bad_lines *bad, int lineno, const char *fmt, ...)
    __attribute__((__format__(__printf__, 3, 4)));

static void
bad_line(struct bad_lines *bad, int lineno, const char *fmt, ...)
{
	char	what[256];
	va_list	ap;

	if (bad->count++ >= ENCAP_REPORT_LINES)
		return;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	log_warnx("%s:%d: %s", bad->path, lineno, what);
}

/*
 * One line into buf (without its newline, NUL-terminated): 1, or 0 at the
 * end of the file.  Never more than buf holds: a longer line is read to
 * its end and *toolong set.  *nul is set when the line holds a NUL byte,
 * which no text line has and which would cut the line short.
 */
static int
read_line(FILE *f, char *buf, size_t size, int *toolong, int *nul)
{
	size_t	n = 0;
	int	c, any = 0;

	*toolong = *nul = 0;
	while ((c = getc(f)) != EOF) {
		any = 1;
		if (c == '\n')
			break;
		if (c == '\0')
			*nul = 1;
		if (n + 1 < size)
			buf[n++] = (char)c;
		else
			*toolong = 1;
	}
	buf[n] = '\0';
	return any;
}

int
encap_read(const char *path, struct ingest *in, time_t now)
{
	char line[ENCAP_LINE_MAX], pfx[PREFIX_STRLEN];
	struct bad_lines bad = { path, 0 };
	struct prefix p;
	const char *why;
	uint32_t gateway;
	enum reason refused;
	FILE *f;
	int lineno = 0, loaded = 0, r, toolong, nul;

	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (read_line(f, line, sizeof(line), &toolong, &nul)) {
		lineno++;
		/* Refused alone: the line after it is read as any other. */
		if (nul) {
			bad_line(&bad, lineno, "NUL byte, skipped");
			continue;
		}
		if (toolong) {
			bad_line(&bad, lineno, "line too long, skipped");
			continue;
		}
		r = encap_parse_line(line, &p, &gateway, &why);
		if (r == 0)
			continue;
		if (r == -1) {
			bad_line(&bad, lineno, "%s, skipped", why);
			continue;
		}
		refused = ingest_route(in, p.addr, p.len, gateway, now);
		if (refused != R_NONE && refused != R_OURS)
			bad_line(&bad, lineno, "%s refused: %s",
			    fmt_prefix(p.addr, p.len, pfx),
			    reason_name(refused));
		else if (refused == R_NONE)
			loaded++;
	}
	if (bad.count > ENCAP_REPORT_LINES)
		log_warnx("%s: %d lines skipped or refused, the first %d "
		    "shown", path, bad.count, ENCAP_REPORT_LINES);
	if (ferror(f)) {
		int saved = errno;

		fclose(f);
		errno = saved;
		return -1;
	}
	fclose(f);
	return loaded;
}

int
encap_resolve(const char *path, char *buf, size_t size)
{
	char	cwd[PATH_MAX];
	int	n;

	if (path[0] == '/')
		n = snprintf(buf, size, "%s", path);
	else if (getcwd(cwd, sizeof(cwd)) == NULL)
		return -1;
	else
		n = snprintf(buf, size, "%s/%s", cwd, path);
	if (n < 0 || (size_t)n >= size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

struct writer {
	FILE	*f;
	int	 failed;
};

static void
write_route(void *arg, const struct mesh_route_view *v)
{
	struct writer *w = arg;
	char prefix[PREFIX_STRLEN], gw[ADDR_STRLEN];

	if (fprintf(w->f, "route addprivate %s encap %s\n",
	    fmt_prefix(v->addr, v->len, prefix), fmt_addr(v->gateway, gw)) < 0)
		w->failed = 1;
}

int
encap_write(const char *path, const struct mesh *m, time_t wall)
{
	char tmp[PATH_MAX], stamp[64];
	struct writer w = { NULL, 0 };
	struct mesh_stats st;
	struct tm tm;
	int fd, saved;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.XXXXXXXXXX", path) >=
	    sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if ((fd = mkstemp(tmp)) == -1)
		return -1;
	/* Public routing data, for other tools to read (mkstemp: 0600). */
	if (fchmod(fd, 0644) == -1 || (w.f = fdopen(fd, "w")) == NULL) {
		saved = errno;
		close(fd);
		unlink(tmp);
		errno = saved;
		return -1;
	}
	mesh_get_stats(m, &st);
	gmtime_r(&wall, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S UTC", &tm);
	if (fprintf(w.f, "# AMPRNet routes written by 44meshd at %s\n"
	    "# %zu routes; rewritten after every change: edits are lost\n",
	    stamp, st.routes) < 0)
		w.failed = 1;
	mesh_foreach(m, write_route, &w);
	/* Durable before it replaces the old file. */
	if (w.failed || fflush(w.f) == EOF || fsync(fileno(w.f)) == -1) {
		saved = w.failed ? EIO : errno;
		fclose(w.f);
		unlink(tmp);
		errno = saved;
		return -1;
	}
	if (fclose(w.f) == EOF || rename(tmp, path) == -1) {
		saved = errno;
		unlink(tmp);
		errno = saved;
		return -1;
	}
	return 0;
}
