#include <errno.h>
#include <fcntl.h>
#include <limits.h>
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

int
encap_read(const char *path, struct ingest *in, time_t now)
{
	char line[ENCAP_LINE_MAX], pfx[PREFIX_STRLEN];
	struct prefix p;
	const char *why;
	uint32_t gateway;
	enum reason refused;
	FILE *f;
	int lineno = 0, loaded = 0, r;

	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		if (strchr(line, '\n') == NULL && !feof(f)) {
			int c;

			log_warnx("%s:%d: line too long, skipped", path, lineno);
			while ((c = fgetc(f)) != EOF && c != '\n')
				;
			continue;
		}
		r = encap_parse_line(line, &p, &gateway, &why);
		if (r == 0)
			continue;
		if (r == -1) {
			log_warnx("%s:%d: %s, skipped", path, lineno, why);
			continue;
		}
		refused = ingest_route(in, p.addr, p.len, gateway, now);
		if (refused != R_NONE && refused != R_OURS)
			log_warnx("%s:%d: %s refused: %s", path, lineno,
			    fmt_prefix(p.addr, p.len, pfx),
			    reason_name(refused));
		else if (refused == R_NONE)
			loaded++;
	}
	if (ferror(f)) {
		int saved = errno;

		fclose(f);
		errno = saved;
		return -1;
	}
	fclose(f);
	return loaded;
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
	if ((w.f = fdopen(fd, "w")) == NULL) {
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
