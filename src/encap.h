/*
 * The encap file (encap.txt form, one route a line):
 *	route addprivate 44.131.91.0/24 encap 62.31.206.176
 * Loaded at start-up so a rebooted router has its mesh at once, and
 * rewritten atomically after every change.
 */
#ifndef ENCAP_H
#define ENCAP_H

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
 * or refused lines are logged with file and line number and skipped.
 * Returns the number of routes loaded, or -1 if the file cannot be read
 * (errno set; ENOENT is the caller's to forgive).
 */
int	encap_read(const char *path, struct ingest *, time_t now);
/*
 * Writes the wanted table to path through a temporary file, fsync and
 * rename, with a header saying when and by what.  0, or -1 with errno.
 */
int	encap_write(const char *path, const struct mesh *, time_t wall);

#endif /* ENCAP_H */
