/*
 * Capturing what the code under test logs to standard error (the log in
 * the foreground), for the tests that check log lines.  Header only:
 * each test is one file.
 */
#ifndef TESTS_CAPTURE_H
#define TESTS_CAPTURE_H

#include <stdio.h>
#include <unistd.h>

struct capture {
	FILE	*file;
	int	 saved;		/* the real stderr */
};

static void
capture_begin(struct capture *c)
{
	c->file = tmpfile();
	assert_non_null(c->file);
	fflush(stderr);
	c->saved = dup(2);
	dup2(fileno(c->file), 2);
}

/* Restores stderr and leaves what was written in buf. */
static void
capture_end(struct capture *c, char *buf, size_t len)
{
	size_t	got;

	fflush(stderr);
	dup2(c->saved, 2);
	close(c->saved);
	rewind(c->file);
	got = fread(buf, 1, len - 1, c->file);
	buf[got] = '\0';
	fclose(c->file);
}

#endif /* TESTS_CAPTURE_H */
