/*
 * 44meshctl's side of the wire: every record from the daemon checked
 * before a field is read (size for its type, version, strings ending in
 * NUL), and a show reply's records gathered for printing.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"

/* The size of each reply type's record; 0 for an unknown type. */
static size_t
reply_size(uint32_t type)
{
	switch (type) {
	case CTL_REP_END:
	case CTL_REP_OK:
		return sizeof(struct ctl_hdr);
	case CTL_REP_ERROR:
		return sizeof(struct ctl_error);
	case CTL_REP_SUMMARY:
		return sizeof(struct ctl_summary);
	case CTL_REP_COUNTER:
		return sizeof(struct ctl_counter);
	case CTL_REP_ROUTE:
		return sizeof(struct ctl_route);
	case CTL_REP_TUNNEL:
		return sizeof(struct ctl_tunnel);
	case CTL_REP_REFUSAL:
		return sizeof(struct ctl_refusal);
	case CTL_REP_EVENT:
		return sizeof(struct ctl_event);
	}
	return 0;
}

/* Whether the string field at offset of a record ends within size. */
static int
terminated(const void *rec, size_t offset, size_t size)
{
	return memchr((const char *)rec + offset, '\0', size) != NULL;
}

int
ctl_check_reply(const void *buf, size_t len, char *why, size_t whylen)
{
	struct ctl_hdr	h;
	size_t		want;
	int		ok = 1;

	if (len < sizeof(h)) {
		snprintf(why, whylen, "reply of %zu bytes: too short", len);
		return -1;
	}
	memcpy(&h, buf, sizeof(h));
	if (h.version != CTL_VERSION) {
		snprintf(why, whylen, "daemon speaks protocol version %u, "
		    "not %u (another build?)", h.version, CTL_VERSION);
		return -1;
	}
	if ((want = reply_size(h.type)) == 0 || len != want) {
		snprintf(why, whylen, "reply type %u of %zu bytes: malformed",
		    h.type, len);
		return -1;
	}
	/* By offset: buf need not be aligned for the record. */
	switch (h.type) {
	case CTL_REP_ERROR:
		ok = terminated(buf, offsetof(struct ctl_error, text),
		    CTL_TEXT_MAX);
		break;
	case CTL_REP_SUMMARY:
		ok = terminated(buf, offsetof(struct ctl_summary, engine_exit),
		    CTL_NAME_MAX) && terminated(buf,
		    offsetof(struct ctl_summary, backend),
		    sizeof(((struct ctl_summary *)0)->backend));
		break;
	case CTL_REP_COUNTER:
		ok = terminated(buf, offsetof(struct ctl_counter, name),
		    CTL_NAME_MAX);
		break;
	case CTL_REP_REFUSAL:
		ok = terminated(buf, offsetof(struct ctl_refusal, reason),
		    CTL_NAME_MAX);
		break;
	case CTL_REP_EVENT:
		ok = terminated(buf, offsetof(struct ctl_event, reason),
		    CTL_NAME_MAX);
		break;
	}
	if (!ok) {
		snprintf(why, whylen, "reply type %u: string not terminated",
		    h.type);
		return -1;
	}
	return (int)h.type;
}

/* Room for one more of count records of size; NULL when memory is out. */
static void *
grow(void *array, size_t count, size_t size)
{
	return realloc(array, (count + 1) * size);
}

int
ctl_result_add(struct ctl_result *r, const void *buf, int type)
{
	void	*p;

	switch (type) {
	case CTL_REP_SUMMARY:
		memcpy(&r->summary, buf, sizeof(r->summary));
		r->have_summary = 1;
		return 0;
	case CTL_REP_COUNTER:
		if ((p = grow(r->counters, r->ncounters,
		    sizeof(*r->counters))) == NULL)
			return -1;
		r->counters = p;
		memcpy(&r->counters[r->ncounters++], buf,
		    sizeof(*r->counters));
		return 0;
	case CTL_REP_ROUTE:
		if ((p = grow(r->routes, r->nroutes,
		    sizeof(*r->routes))) == NULL)
			return -1;
		r->routes = p;
		memcpy(&r->routes[r->nroutes++], buf, sizeof(*r->routes));
		return 0;
	case CTL_REP_TUNNEL:
		if ((p = grow(r->tunnels, r->ntunnels,
		    sizeof(*r->tunnels))) == NULL)
			return -1;
		r->tunnels = p;
		memcpy(&r->tunnels[r->ntunnels++], buf, sizeof(*r->tunnels));
		return 0;
	case CTL_REP_REFUSAL:
		if ((p = grow(r->refusals, r->nrefusals,
		    sizeof(*r->refusals))) == NULL)
			return -1;
		r->refusals = p;
		memcpy(&r->refusals[r->nrefusals++], buf,
		    sizeof(*r->refusals));
		return 0;
	}
	return 0;
}

void
ctl_result_free(struct ctl_result *r)
{
	free(r->counters);
	free(r->routes);
	free(r->tunnels);
	free(r->refusals);
	memset(r, 0, sizeof(*r));
}
