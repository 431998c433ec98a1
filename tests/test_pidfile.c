/*
 * One instance only: a second taker of the pidfile is refused and told
 * who holds it; a file left behind by a dead holder is no obstacle.
 */
#include <sys/types.h>

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "pidfile.h"

static void
make_path(char *path, size_t len)
{
	char	dir[] = "/tmp/test_pidfile.XXXXXX";

	assert_non_null(mkdtemp(dir));
	snprintf(path, len, "%s/44meshd.pid", dir);
}

static void
remove_path(const char *path)
{
	char	dir[256];

	unlink(path);
	snprintf(dir, sizeof(dir), "%s", path);
	*strrchr(dir, '/') = '\0';
	rmdir(dir);
}

static void
test_second_taker_refused(void **state)
{
	char	path[256], text[32];
	pid_t	holder = -1;
	FILE	*fp;
	int	fd, fd2;

	make_path(path, sizeof(path));
	assert_true((fd = pidfile_take(path, &holder)) >= 0);
	assert_int_equal(holder, 0);
	fp = fopen(path, "r");
	assert_non_null(fp);
	assert_non_null(fgets(text, sizeof(text), fp));
	fclose(fp);
	assert_int_equal(strtol(text, NULL, 10), getpid());

	/* flock locks conflict between open files, even in one process. */
	errno = 0;
	assert_int_equal(pidfile_take(path, &holder), -1);
	assert_int_equal(errno, EWOULDBLOCK);
	assert_int_equal(holder, getpid());
	/* The refused taker did not wipe the holder's pid. */
	fp = fopen(path, "r");
	assert_non_null(fp);
	assert_non_null(fgets(text, sizeof(text), fp));
	fclose(fp);
	assert_int_equal(strtol(text, NULL, 10), getpid());

	/* Released (the holder died): the next one takes it. */
	close(fd);
	assert_true((fd2 = pidfile_take(path, &holder)) >= 0);
	close(fd2);
	remove_path(path);
}

static void
test_stale_file_taken(void **state)
{
	char	path[256], text[64], want[32];
	pid_t	holder;
	FILE	*fp;
	size_t	n;
	int	fd;

	make_path(path, sizeof(path));
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("999999999 and a long stale tail\n", fp);
	fclose(fp);
	assert_true((fd = pidfile_take(path, &holder)) >= 0);
	/* Our pid alone: the stale tail is gone. */
	fp = fopen(path, "r");
	assert_non_null(fp);
	n = fread(text, 1, sizeof(text) - 1, fp);
	text[n] = '\0';
	fclose(fp);
	snprintf(want, sizeof(want), "%ld\n", (long)getpid());
	assert_string_equal(text, want);
	close(fd);
	remove_path(path);
}

static void
test_unwritable_path(void **state)
{
	pid_t	holder;

	errno = 0;
	assert_int_equal(pidfile_take("/nonexistent-dir/44meshd.pid",
	    &holder), -1);
	assert_int_equal(errno, ENOENT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_second_taker_refused),
		cmocka_unit_test(test_stale_file_taken),
		cmocka_unit_test(test_unwritable_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
