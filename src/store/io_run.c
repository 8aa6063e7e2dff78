/*
 * io_run.c - running programs (git, for jerry git setup and jerry sync)
 * through the system-call table: to their end with a deadline (jr_io_run),
 * or kept running to answer requests (jr_io_spawn).  The table and the
 * retry loop are io.c's (io_impl.h).
 */
#define _GNU_SOURCE
#include "io.h"
#include "io_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* environ, with each of add ("NAME=VALUE") replacing a variable of its name. */
static char **env_with(const char *const add[])
{
	size_t n = 0, k = 0;
	while (environ[n])
		n++;
	while (add && add[k])
		k++;
	char **env = malloc((n + k + 1) * sizeof(*env));
	size_t m = 0;
	if (!env)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		int replaced = 0;
		for (size_t j = 0; j < k && !replaced; j++) {
			const char *eq = strchr(add[j], '=');
			size_t len = eq ? (size_t)(eq - add[j]) + 1 : strlen(add[j]);
			replaced = strncmp(environ[i], add[j], len) == 0;
		}
		if (!replaced)
			env[m++] = environ[i];
	}
	for (size_t j = 0; j < k; j++)
		env[m++] = (char *)add[j];
	env[m] = NULL;
	return env;
}

struct sink {
	int fd;
	char *buf;
	size_t len, cap, max;
	int over;                  /* more came than max: the rest was read and dropped */
};

static int sink_read(struct sink *s)
{
	char chunk[4096];
	ssize_t n;
	RETRY("read", n, jr_io_sys.read(s->fd, chunk, sizeof(chunk)));
	if (n <= 0)
		return (int)n;
	size_t keep = s->len + (size_t)n > s->max ? s->max - s->len : (size_t)n;
	s->over |= keep < (size_t)n;
	if (keep && s->len + keep + 1 > s->cap) {
		size_t cap = s->cap ? s->cap : 4096;
		while (cap < s->len + keep + 1)
			cap *= 2;
		char *g = realloc(s->buf, cap);
		if (!g) {
			errno = ENOMEM;
			return -1;
		}
		s->buf = g;
		s->cap = cap;
	}
	if (keep) {
		memcpy(s->buf + s->len, chunk, keep);
		s->len += keep;
		s->buf[s->len] = '\0';
	}
	return 1;
}

/*
 * Start argv[0] (PATH searched, env on top of ours) with in, out and err as
 * its standard streams (err -1: /dev/null).  0, or -1 with errno.
 */
static int spawn_with(pid_t *pid, const char *const argv[], const char *const env[], int in,
		      int out, int err)
{
	posix_spawn_file_actions_t fa;
	char **envp = env_with(env);
	int e = 0;
	*pid = -1;
	if (!envp)
		return -1;
	if ((e = posix_spawn_file_actions_init(&fa))) {
		free(envp);
		errno = e;
		return -1;
	}
	if (!(e = posix_spawn_file_actions_adddup2(&fa, in, 0)) &&
	    !(e = posix_spawn_file_actions_adddup2(&fa, out, 1)) &&
	    !(e = err >= 0 ? posix_spawn_file_actions_adddup2(&fa, err, 2)
			   : posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0))) {
		if (jr_fault_hit("spawn"))
			e = errno;
		else if ((e = jr_io_sys.spawn(pid, argv[0], &fa, NULL, (char *const *)argv, envp)))
			*pid = -1;
	}
	posix_spawn_file_actions_destroy(&fa);
	free(envp);
	errno = e;
	return e ? -1 : 0;
}

int64_t jr_io_now_ms(void)
{
	struct timespec ts;
	/* CLOCK_MONOTONIC cannot fail on Linux; were it to, no deadline passes early. */
	if (clock_gettime(CLOCK_MONOTONIC, &ts) < 0)
		return 0;
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int jr_io_left_ms(int64_t deadline)
{
	if (!deadline)
		return -1;
	int64_t left = deadline - jr_io_now_ms();
	return left <= 0 ? 0 : left > INT_MAX ? INT_MAX : (int)left;
}

void jr_io_stop(pid_t pid, int *status)
{
	if (jr_io_sys.kill(pid, SIGTERM) == 0) {
		for (int i = 0; i < 100; i++) {
			pid_t w = jr_io_sys.waitpid(pid, status, WNOHANG);
			if (w == pid || (w < 0 && errno != EINTR))
				return;
			struct timespec ten_ms = {0, 10 * 1000 * 1000};
			(void)nanosleep(&ten_ms, NULL);
		}
		(void)jr_io_sys.kill(pid, SIGKILL);
	}
	while (jr_io_sys.waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
}

int jr_io_run(int *status, char **out, char **errout, const char *const argv[],
	      const char *const env[], const char *input, size_t max, int64_t deadline)
{
	int pin[2] = {-1, -1}, pout[2] = {-1, -1}, perr[2] = {-1, -1};
	struct sink so = {-1, NULL, 0, 0, max, 0}, se = {-1, NULL, 0, 0, max, 0};
	pid_t pid = -1;
	int rc = -1, e = 0;
	size_t in_len = input ? strlen(input) : 0, in_off = 0;
	if (out)
		*out = NULL;
	if (errout)
		*errout = NULL;
	*status = -1;
	if (jr_io_sys.pipe2(pin, O_CLOEXEC) < 0 || jr_io_sys.pipe2(pout, O_CLOEXEC) < 0 ||
	    jr_io_sys.pipe2(perr, O_CLOEXEC) < 0)
		goto fail;
	if (spawn_with(&pid, argv, env, pin[0], pout[1], perr[1]) < 0)
		goto fail;
	jr_io_sys.close(pin[0]);
	jr_io_sys.close(pout[1]);
	jr_io_sys.close(perr[1]);
	pin[0] = pout[1] = perr[1] = -1;
	if (!in_len) {
		jr_io_sys.close(pin[1]);
		pin[1] = -1;
	}
	so.fd = pout[0];
	se.fd = perr[0];
	while (so.fd >= 0 || se.fd >= 0 || pin[1] >= 0) {
		struct pollfd p[3] = {{so.fd, POLLIN, 0}, {se.fd, POLLIN, 0}, {pin[1], POLLOUT, 0}};
		int n, left = jr_io_left_ms(deadline);
		if (left == 0) {
			jr_io_stop(pid, status);
			pid = -1;
			errno = ETIMEDOUT;
			goto fail;
		}
		RETRY("poll", n, jr_io_sys.poll(p, 3, left));
		if (n < 0)
			goto fail;
		for (int i = 0; i < 2; i++) {
			struct sink *s = i ? &se : &so;
			if (s->fd >= 0 && (p[i].revents & (POLLIN | POLLHUP | POLLERR))) {
				int r = sink_read(s);
				if (r < 0)
					goto fail;
				if (r == 0) {
					jr_io_sys.close(s->fd);
					s->fd = -1;
					if (i)
						perr[0] = -1;
					else
						pout[0] = -1;
				}
			}
		}
		if (pin[1] >= 0 && (p[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
			ssize_t w;
			RETRY("write", w, jr_io_sys.write(pin[1], input + in_off, in_len - in_off));
			if (w < 0 && errno != EPIPE)
				goto fail;
			in_off = w < 0 ? in_len : in_off + (size_t)w;
			if (in_off == in_len) {
				jr_io_sys.close(pin[1]);
				pin[1] = -1;
			}
		}
	}
	pid_t w;
	RETRY("waitpid", w, jr_io_sys.waitpid(pid, status, 0));
	if (w < 0)
		goto fail;
	pid = -1;
	rc = 0;
	/* Output cut short is never taken for the whole of it (standard error may be). */
	if (out && so.over) {
		e = EFBIG;
		rc = -1;
		goto out;
	}
	if (out) {
		*out = so.buf ? so.buf : strdup("");
		so.buf = NULL;
		if (!*out) {
			errno = ENOMEM;
			rc = -1;
		}
	}
	if (errout && rc == 0) {
		*errout = se.buf ? se.buf : strdup("");
		se.buf = NULL;
		if (!*errout) {
			errno = ENOMEM;
			rc = -1;
		}
	}
	if (rc < 0 && out) {
		free(*out);
		*out = NULL;
	}
	goto out;
fail:
	e = errno;
out:
	for (int i = 0; i < 2; i++) {
		if (pin[i] >= 0)
			jr_io_sys.close(pin[i]);
		if (pout[i] >= 0)
			jr_io_sys.close(pout[i]);
		if (perr[i] >= 0)
			jr_io_sys.close(perr[i]);
	}
	if (pid > 0) {
		int st;
		while (jr_io_sys.waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
	}
	free(so.buf);
	free(se.buf);
	if (rc < 0 && e)
		errno = e;
	return rc;
}

int jr_io_spawn(pid_t *pid, int *to, int *from, const char *const argv[],
		const char *const env[])
{
	int pin[2] = {-1, -1}, pout[2] = {-1, -1}, e = 0;
	*pid = -1;
	*to = *from = -1;
	/* Not RETRY: a fault injected there would return with a descriptor open. */
	if (jr_fault_hit("socketpair") ||
	    jr_io_sys.socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pin) < 0 ||
	    jr_fault_hit("pipe2") || jr_io_sys.pipe2(pout, O_CLOEXEC) < 0 ||
	    spawn_with(pid, argv, env, pin[0], pout[1], -1) < 0)
		goto fail;
	jr_io_sys.close(pin[0]);
	jr_io_sys.close(pout[1]);
	*to = pin[1];
	*from = pout[0];
	return 0;
fail:
	e = errno;
	for (int i = 0; i < 2; i++) {
		if (pin[i] >= 0)
			jr_io_sys.close(pin[i]);
		if (pout[i] >= 0)
			jr_io_sys.close(pout[i]);
	}
	errno = e;
	return -1;
}

int jr_io_send_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len > 0) {
		ssize_t n;
		RETRY("send", n, jr_io_sys.send(fd, p, len, MSG_NOSIGNAL));
		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

ssize_t jr_io_read(int fd, void *buf, size_t len)
{
	ssize_t n;
	RETRY("read", n, jr_io_sys.read(fd, buf, len));
	return n;
}

int jr_io_wait_in(int fd, int64_t deadline)
{
	for (;;) {
		struct pollfd p = {fd, POLLIN, 0};
		int n, left = jr_io_left_ms(deadline);
		if (left == 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		RETRY("poll", n, jr_io_sys.poll(&p, 1, left));
		if (n < 0)
			return -1;
		if (n > 0)
			return 0;
	}
}

int jr_io_reap(pid_t pid, int *status)
{
	/* An injected failure still waits: no child is ever left a zombie. */
	int injected = jr_fault_hit("waitpid") && errno != EINTR, e = errno;
	pid_t w;
	while ((w = jr_io_sys.waitpid(pid, status, 0)) < 0 && errno == EINTR)
		;
	if (injected) {
		errno = e;
		return -1;
	}
	return w < 0 ? -1 : 0;
}
