/*
 * The encap file (encap.txt form, one route a line):
 *	route addprivate 44.131.91.0/24 encap 62.31.206.176
 * Loaded at start-up so a rebooted router has its mesh at once, and
 * rewritten atomically after every change.
 */
#ifndef ENCAP_H
#define ENCAP_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "addr.h"

struct ingest;
struct mesh;

/*
 * Parses one line.  Returns 1 with the route in *p and *gateway, 0 for a
 * blank or comment line, -1 with *why naming the fault.
 */
int	encap_parse_line(const char *line, struct prefix *p,
	    uint32_t *gateway, const char **why);
/*
 * Loads every route through the same policy as broadcast ones; malformed
 * or refused lines (a NUL byte, too long, not the form, refused by the
 * policy) are skipped alone, the first few logged with file and line
 * number, then their count.
 * Returns the number of routes loaded, or -1 if the file cannot be read
 * (errno set; ENOENT is the caller's to forgive).
 */
int	encap_read(const char *path, struct ingest *, time_t now);
/*
 * Writes the wanted table to path through a temporary file, fsync and
 * rename, with a header saying when and by what; mode 0644.  0, or -1
 * with errno.
 */
int	encap_write(const char *path, const struct mesh *, time_t wall);

/*
 * The absolute form of path (a relative one under the current directory),
 * taken once at start-up: daemon(3) changes directory to /.  0, or -1
 * with errno (ENAMETOOLONG when it does not fit in size bytes).
 */
int	encap_resolve(const char *path, char *buf, size_t size);

#endif /* ENCAP_H */
