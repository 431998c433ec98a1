/*
 * Our own 44 addresses, as the platform sees them: every IPv4 address
 * inside 44/8 on an interface of the interface domain (-D), with its
 * prefix length, so that the policy can refuse routes over our own LAN.
 * Beside kern.h's start-up look-ups; asked again when addresses change.
 */
#ifndef KERN_ADDRS_H
#define KERN_ADDRS_H

#include "addr.h"
#include "kern.h"

/* Called once per address: host bits kept, len its prefix length. */
typedef void	(*kern_addr44_cb)(void *arg, const struct prefix *);

/* 0, or an errno value (logged) when the interfaces cannot be read. */
int	kern_sys_addrs44(const struct kern_config *, kern_addr44_cb, void *);

#endif /* KERN_ADDRS_H */
