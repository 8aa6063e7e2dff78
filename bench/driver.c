/*
 * driver.c - the timing half of `make bench` (bench/run.sh builds it).
 *
 *   driver run N WARMUP OUT.json -- NAME CMD ARG... ::: NAME CMD ARG... ...
 *       Runs the commands round-robin, N timed rounds after WARMUP untimed
 *       ones, each a fresh fork+exec with stdin and stdout on /dev/null.
 *       The order inside a round rotates every round, so machine noise and
 *       position effects hit every command alike.  Writes, per command, the
 *       wall time of every run (ns, fork to reaped), its peak RSS (KiB, from
 *       wait4) and how many runs exited non-zero.  "{i}" in an argument is
 *       replaced by a number unique to the run.
 *
 *   driver conc P K OUT.json -- CMD ARG...
 *       P worker processes start together (released by closing one pipe);
 *       each runs CMD K times in a row.  "{w}" and "{i}" in an argument are
 *       the worker and the run number.  Writes the wall time from release to
 *       the last worker reaped, the count of non-zero exits, how many of
 *       them were exit 5 (jerry's lock timeout), and the longest single run
 *       of CMD (ns, fork to reaped).
 *
 *   driver replace DIR
 *       The baseline for a durable write: one process that writes a small
 *       file the way a careful program must - open a temp file, write,
 *       fsync, rename over the target, fsync the directory - and exits.
 *
 *   driver noop
 *       A process that does nothing: the cost of starting one.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void die(const char *what)
{
	perror(what);
	exit(2);
}

/* A copy of argv with {w} and {i} replaced. */
static char **subst(char **argv, int argc, long w, long i)
{
	char **out = calloc((size_t)argc + 1, sizeof(char *));
	if (!out)
		die("calloc");
	for (int a = 0; a < argc; a++) {
		const char *s = argv[a];
		size_t cap = strlen(s) + 64;
		char *d = malloc(cap), *p = d;
		if (!d)
			die("malloc");
		while (*s) {
			if (s[0] == '{' && (s[1] == 'w' || s[1] == 'i') && s[2] == '}') {
				p += sprintf(p, "%ld", s[1] == 'w' ? w : i);
				s += 3;
			} else {
				*p++ = *s++;
			}
		}
		*p = 0;
		out[a] = d;
	}
	return out;
}

static void free_argv(char **v)
{
	for (char **p = v; *p; p++)
		free(*p);
	free(v);
}

static int errfd = -1;

/* fork+exec argv, wait; returns exit status (or 128+signal), rss in KiB. */
static int spawn_wait(char **argv, int64_t *ns, long *rss_kb)
{
	int64_t t0 = now_ns();
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		int dn = open("/dev/null", O_RDWR);
		dup2(dn, 0);
		dup2(dn, 1);
		dup2(errfd >= 0 ? errfd : dn, 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	int st;
	struct rusage ru;
	while (wait4(pid, &st, 0, &ru) < 0)
		if (errno != EINTR)
			die("wait4");
	int64_t t1 = now_ns();
	if (ns)
		*ns = t1 - t0;
	if (rss_kb)
		*rss_kb = ru.ru_maxrss;
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	return 128 + WTERMSIG(st);
}

struct cmd {
	const char *name;
	char **argv;
	int argc;
	int64_t *ns;
	long *rss;
	int fails;
};

static int cmd_run(int argc, char **argv)
{
	if (argc < 6 || strcmp(argv[4], "--") != 0) {
		fprintf(stderr, "usage: driver run N WARMUP OUT -- NAME CMD... ::: NAME CMD...\n");
		return 2;
	}
	int n = atoi(argv[1]), warm = atoi(argv[2]);
	const char *out = argv[3];
	struct cmd cmds[64];
	int nc = 0;
	for (int a = 5; a < argc && nc < 64;) {
		int b = a;
		while (b < argc && strcmp(argv[b], ":::") != 0)
			b++;
		if (b - a < 2) {
			fprintf(stderr, "driver: a command needs a name and a program\n");
			return 2;
		}
		cmds[nc].name = argv[a];
		cmds[nc].argv = argv + a + 1;
		cmds[nc].argc = b - a - 1;
		cmds[nc].ns = calloc((size_t)n + 1, sizeof(int64_t));
		cmds[nc].rss = calloc((size_t)n + 1, sizeof(long));
		cmds[nc].fails = 0;
		nc++;
		a = b + 1;
	}
	long seq = 0;
	for (int r = -warm; r < n; r++) {
		for (int k = 0; k < nc; k++) {
			int rot = r < 0 ? 0 : r;
			struct cmd *c = &cmds[(k + rot) % nc];
			char **av = subst(c->argv, c->argc, 0, seq++);
			int64_t ns;
			long rss;
			int rc = spawn_wait(av, &ns, &rss);
			free_argv(av);
			if (r >= 0) {
				c->ns[r] = ns;
				c->rss[r] = rss;
				if (rc)
					c->fails++;
			}
		}
	}
	FILE *f = fopen(out, "w");
	if (!f)
		die(out);
	fprintf(f, "{");
	for (int k = 0; k < nc; k++) {
		fprintf(f, "%s\n\"%s\": {\"fails\": %d, \"ns\": [", k ? "," : "", cmds[k].name,
			cmds[k].fails);
		for (int r = 0; r < n; r++)
			fprintf(f, "%s%lld", r ? "," : "", (long long)cmds[k].ns[r]);
		fprintf(f, "], \"rss_kb\": [");
		for (int r = 0; r < n; r++)
			fprintf(f, "%s%ld", r ? "," : "", cmds[k].rss[r]);
		fprintf(f, "]}");
	}
	fprintf(f, "\n}\n");
	return fclose(f) == 0 ? 0 : 2;
}

static int cmd_conc(int argc, char **argv)
{
	if (argc < 6 || strcmp(argv[4], "--") != 0) {
		fprintf(stderr, "usage: driver conc P K OUT -- CMD...\n");
		return 2;
	}
	int p = atoi(argv[1]), k = atoi(argv[2]);
	const char *out = argv[3];
	char **cmd = argv + 5;
	int cargc = argc - 5;
	int go[2], res[2];
	if (pipe(go) < 0 || pipe2(res, O_CLOEXEC) < 0)
		die("pipe");
	pid_t *pids = calloc((size_t)p, sizeof(pid_t));
	for (int w = 0; w < p; w++) {
		pid_t pid = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0) {
			char c;
			close(go[1]);
			while (read(go[0], &c, 1) < 0 && errno == EINTR)
				;
			close(go[0]);
			close(res[0]);
			int fails = 0;
			/* {longest ns, exit-5 count}: one write, under PIPE_BUF, atomic. */
			int64_t rec[2] = {0, 0};
			for (int i = 0; i < k; i++) {
				char **av = subst(cmd, cargc, w, (long)w * k + i);
				int64_t ns;
				int rc = spawn_wait(av, &ns, NULL);
				if (rc)
					fails++;
				if (rc == 5)
					rec[1]++;
				if (ns > rec[0])
					rec[0] = ns;
				free_argv(av);
			}
			if (write(res[1], rec, sizeof(rec)) != (ssize_t)sizeof(rec))
				_exit(255);
			_exit(fails > 255 ? 255 : fails);
		}
		pids[w] = pid;
	}
	close(go[0]);
	close(res[1]);
	usleep(200000); /* let every worker reach its read() */
	int64_t t0 = now_ns();
	close(go[1]);
	long fails = 0;
	for (int w = 0; w < p; w++) {
		int st;
		while (waitpid(pids[w], &st, 0) < 0)
			if (errno != EINTR)
				die("waitpid");
		fails += WIFEXITED(st) ? WEXITSTATUS(st) : k;
	}
	int64_t t1 = now_ns();
	int64_t rec[2], max_ns = 0, exit5 = 0;
	ssize_t n;
	while ((n = read(res[0], rec, sizeof(rec))) == (ssize_t)sizeof(rec) ||
	       (n < 0 && errno == EINTR)) {
		if (n < 0)
			continue;
		if (rec[0] > max_ns)
			max_ns = rec[0];
		exit5 += rec[1];
	}
	close(res[0]);
	FILE *f = fopen(out, "w");
	if (!f)
		die(out);
	fprintf(f, "{\"procs\": %d, \"per_proc\": %d, \"wall_ns\": %lld, \"fails\": %ld, "
		"\"exit5\": %lld, \"max_ns\": %lld}\n", p, k, (long long)(t1 - t0), fails,
		(long long)exit5, (long long)max_ns);
	return fclose(f) == 0 ? 0 : 2;
}

static int cmd_replace(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: driver replace DIR\n");
		return 2;
	}
	static const char body[] =
		"{\n  \"id\": \"WORK-001\",\n  \"version\": 2,\n  \"title\": \"a durable atomic "
		"replace of a small file, the size of one item\",\n  \"description\": null,\n"
		"  \"type\": \"task\",\n  \"status\": \"pending\",\n  \"priority\": \"medium\",\n"
		"  \"labels\": [],\n  \"assignee\": null,\n  \"parent\": null,\n  \"depends_on\": [],\n"
		"  \"claim\": null,\n  \"notes\": [],\n  \"created_at\": \"2026-01-01T00:00:00.000Z\",\n"
		"  \"created_by\": \"bench@host:1\",\n  \"updated_at\": \"2026-01-01T00:00:00.000Z\",\n"
		"  \"updated_by\": \"bench@host:1\",\n  \"completed_at\": null\n}\n";
	int dfd = open(argv[1], O_RDONLY | O_DIRECTORY);
	if (dfd < 0)
		die(argv[1]);
	char tmp[64];
	snprintf(tmp, sizeof(tmp), ".replace.json.%ld.tmp", (long)getpid());
	int fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd < 0)
		die("openat");
	if (write(fd, body, sizeof(body) - 1) != (ssize_t)(sizeof(body) - 1))
		die("write");
	if (fsync(fd) < 0)
		die("fsync");
	if (close(fd) < 0)
		die("close");
	if (renameat(dfd, tmp, dfd, "replace.json") < 0)
		die("renameat");
	if (fsync(dfd) < 0)
		die("fsync dir");
	close(dfd);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: driver run|conc|replace|noop ...\n");
		return 2;
	}
	const char *e = getenv("BENCH_STDERR");
	if (e && *e) {
		errfd = open(e, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		if (errfd < 0)
			die(e);
	}
	signal(SIGPIPE, SIG_IGN);
	if (strcmp(argv[1], "run") == 0)
		return cmd_run(argc - 1, argv + 1);
	if (strcmp(argv[1], "conc") == 0)
		return cmd_conc(argc - 1, argv + 1);
	if (strcmp(argv[1], "replace") == 0)
		return cmd_replace(argc - 1, argv + 1);
	if (strcmp(argv[1], "noop") == 0)
		return 0;
	fprintf(stderr, "driver: unknown mode %s\n", argv[1]);
	return 2;
}
