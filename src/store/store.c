/*
 * store.c - finding, creating and opening a store, and who acts on it.
 * The port the use cases write through is port.c's, on top of this file
 * and the rest of the store.
 */
#define _GNU_SOURCE
#include "store.h"
#include "codec.h"
#include "export.h"
#include "io.h"
#include "lock.h"
#include "../domain/domain.h"
#include "../util/path.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_LOCK_TIMEOUT_MS 10000

void jr_store_opts_init(jerry_open_opts *opts)
{
	memset(opts, 0, sizeof(*opts));
	opts->lock_timeout_ms = -1;
	opts->sync = 1;
}

const char *jr_store_dir(const jerry_store *st) { return st->dir; }
static void identify(jerry_store *st);

/*
 * Who acts is worked out on first use: a read command never needs it, and
 * looking up the user can cost more than the rest of `jerry show`.
 */
const char *jr_store_instance(const jerry_store *st)
{
	identify((jerry_store *)st);
	return st->instance;
}

int jr_store_named(const jerry_store *st)
{
	identify((jerry_store *)st);
	return st->named;
}

const char *jr_store_claimer(const jerry_store *st)
{
	identify((jerry_store *)st);
	return st->claimer;
}

static void default_session(char *buf, size_t size);

const char *jr_store_session(jerry_store *st)
{
	if (!st->session[0])
		default_session(st->session, sizeof(st->session));
	return st->session;
}

/* ---- finding the store -------------------------------------------------- */

static int is_dir(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static int rel_data_dir(char *buf, size_t size, const char *project)
{
	int n = project && *project ? snprintf(buf, size, "projects/%s/.jerry/data", project)
				    : snprintf(buf, size, ".jerry/data");
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

static int check_project(const char *project, jerry_error *err)
{
	if (!project || !*project)
		return 0;
	if (strchr(project, '/') || strcmp(project, ".") == 0 || strcmp(project, "..") == 0 ||
	    strlen(project) > 128 || !jr_check_utf8(project, strlen(project)))
		return jr_error(err, JERRY_EINVALID, "'%.64s' is not a valid project name (JERRY_PROJECT)",
				project);
	return 0;
}

static int find_dir(char *out, size_t size, const jerry_open_opts *o, jerry_error *err)
{
	char start[PATH_MAX], rel[PATH_MAX], cand[PATH_MAX * 2];
	int rc;
	if (o->data_dir && *o->data_dir) {
		if (!realpath(o->data_dir, out) || !is_dir(out)) {
			jr_error(err, JERRY_ENOTFOUND, "no jerry store at '%s'", o->data_dir);
			jr_error_hint(err, "run 'jerry init' to create one");
			return JERRY_ENOTFOUND;
		}
		(void)size;
		return 0;
	}
	if ((rc = check_project(o->project, err)))
		return rc;
	if (o->start_dir) {
		if (!realpath(o->start_dir, start))
			return jr_error_sys(err, JERRY_ENOTFOUND, errno, "cannot resolve '%s'", o->start_dir);
	} else if (!getcwd(start, sizeof(start))) {
		return jr_error_sys(err, JERRY_ESTORAGE, errno, "cannot find the current directory");
	}
	/* Every worktree of a git repository uses the main worktree's store. */
	if ((rc = jr_repo_map(start, sizeof(start), err)))
		return rc;
	if (rel_data_dir(rel, sizeof(rel), o->project))
		return jr_error(err, JERRY_EINVALID, "the project name is too long");
	for (;;) {
		snprintf(cand, sizeof(cand), "%s/%s", strcmp(start, "/") ? start : "", rel);
		if (is_dir(cand)) {
			if (!realpath(cand, out))
				return jr_error_sys(err, JERRY_ESTORAGE, errno, "cannot resolve '%s'", cand);
			return 0;
		}
		char *slash = strrchr(start, '/');
		if (!slash || strcmp(start, "/") == 0)
			break;
		if (slash == start)
			start[1] = '\0';
		else
			*slash = '\0';
	}
	if (o->project && *o->project)
		jr_error(err, JERRY_ENOTFOUND, "no jerry store for project '%s' (no %s here or above)",
			 o->project, rel);
	else
		jr_error(err, JERRY_ENOTFOUND, "no jerry store here or in any parent directory");
	jr_error_hint(err, "run 'jerry init' to create one, or point --data / JERRY_DATA at one");
	return JERRY_ENOTFOUND;
}

/* ---- identity ------------------------------------------------------------ */

static void default_instance(char *buf, size_t size)
{
	char host[256] = "localhost";
	const char *user = getenv("USER");
	struct passwd pw, *res = NULL;
	char pwbuf[1024];
	if (!user || !*user) {
		if (getpwuid_r(getuid(), &pw, pwbuf, sizeof(pwbuf), &res) == 0 && res)
			user = res->pw_name;
		else
			user = "unknown";
	}
	if (gethostname(host, sizeof(host)) < 0)
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	snprintf(buf, size, "%.60s@%.60s:%ld", user, host, (long)getpid());
}

/*
 * A session is one process tree: the kernel session (getsid) of this
 * process plus the boot it belongs to, so two terminals are two sessions
 * and a reboot never resurrects an old one.
 */
static void default_session(char *buf, size_t size)
{
	char boot[64] = "";
	FILE *f = fopen("/proc/sys/kernel/random/boot_id", "re");
	if (f) {
		if (!fgets(boot, sizeof(boot), f))
			boot[0] = '\0';
		fclose(f);
		boot[strcspn(boot, "\n")] = '\0';
	}
	snprintf(buf, size, "sid-%ld-%.8s", (long)getsid(0), boot);
}

/* ---- opening ------------------------------------------------------------- */

static int missing(int dirfd, const char *name)
{
	return jr_io_faccessat(dirfd, name, F_OK, AT_SYMLINK_NOFOLLOW) != 0;
}

/*
 * git keeps no empty directory: a checkout of a store without items has
 * only its ignore rules, and no locks/ (never committed).  Its items/ is
 * made again (1), if the store is writable.
 */
static int remake_items(jerry_store *st)
{
	return !missing(st->dirfd, ".gitignore") && missing(st->dirfd, "locks") &&
	       jr_io_mkdirat(st->dirfd, "items", 0755) == 0;
}

static int open_dirs(jerry_store *st, jerry_error *err)
{
	st->dirfd = jr_io_open(st->dir, O_RDONLY | O_DIRECTORY, 0);
	if (st->dirfd < 0)
		return jr_error_sys(err, errno == ENOENT ? JERRY_ENOTFOUND : JERRY_ESTORAGE, errno,
				    "cannot open the store '%s'", st->dir);
	st->itemsfd = jr_io_openat(st->dirfd, "items", O_RDONLY | O_DIRECTORY | O_NOFOLLOW, 0);
	if (st->itemsfd < 0 && errno == ENOENT && remake_items(st))
		st->itemsfd = jr_io_openat(st->dirfd, "items", O_RDONLY | O_DIRECTORY | O_NOFOLLOW, 0);
	if (st->itemsfd < 0) {
		int e = errno;
		if (e == ENOENT || e == ENOTDIR) {
			jr_error(err, JERRY_ENOTFOUND, "'%s' is not a jerry store (no items/ directory)",
				 st->dir);
			jr_error_hint(err, "run 'jerry init' to create one");
			return JERRY_ENOTFOUND;
		}
		return jr_error_sys(err, JERRY_ESTORAGE, e, "cannot open '%s/items'", st->dir);
	}
	return 0;
}

/*
 * Claude Code runs each command in a fresh shell but gives all of them
 * CLAUDE_CODE_SESSION_ID: "claude-" and its first 8 characters (letters,
 * digits, '-' and '_' only) name that session's agent.  0: none usable.
 */
static int claude_instance(char *buf, size_t size)
{
	const char *sid = getenv("CLAUDE_CODE_SESSION_ID");
	char part[9];
	size_t n = 0;
	if (!sid)
		return 0;
	for (const char *p = sid; *p && n < 8; p++)
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_')
			part[n++] = *p;
	if (n == 0)
		return 0;
	part[n] = '\0';
	snprintf(buf, size, "claude-%s", part);
	return 1;
}

/*
 * Who acts, in order: the name given (--as, JERRY_INSTANCE: opts), the
 * one derived from CLAUDE_CODE_SESSION_ID, then user@host:pid.  A name is
 * its own claimer from any shell; user@host is qualified by the session.
 */
static void identify(jerry_store *st)
{
	if (st->instance[0])
		return;
	if (claude_instance(st->instance, sizeof(st->instance))) {
		snprintf(st->claimer, sizeof(st->claimer), "%s", st->instance);
		st->named = 1;
		return;
	}
	default_instance(st->instance, sizeof(st->instance));
	/* One agent's successive commands are one claimer: drop ":pid". */
	snprintf(st->claimer, sizeof(st->claimer), "%s", st->instance);
	char *colon = strrchr(st->claimer, ':');
	if (colon)
		*colon = '\0';
}

static jerry_store *store_new(const jerry_open_opts *o, jerry_error *err)
{
	jerry_store *st = calloc(1, sizeof(*st));
	if (!st) {
		jr_error(err, JERRY_ENOMEM, "out of memory");
		return NULL;
	}
	st->dirfd = st->itemsfd = st->tmpfd = -1;
	st->lock_items = st->lock_seq = st->lock_index = st->lock_deps = -1;
	st->wait.timeout_ms = o->lock_timeout_ms >= 0 ? o->lock_timeout_ms : DEFAULT_LOCK_TIMEOUT_MS;
	st->wait.interruptible = o->lock_wait_interruptible;
	st->wait.turns = -1;
	st->sync = o->sync;
	if (o->instance && *o->instance) {
		snprintf(st->instance, sizeof(st->instance), "%s", o->instance);
		snprintf(st->claimer, sizeof(st->claimer), "%s", o->instance);
		st->named = 1;
	}
	if (o->claim_token && *o->claim_token)
		snprintf(st->proof, sizeof(st->proof), "%s", o->claim_token);
	if (o->session && *o->session)
		snprintf(st->session, sizeof(st->session), "%s", o->session);
	return st;
}

static int prepare_local(jerry_store *st, int *created, jerry_error *err);

/*
 * A store checked out by git has its record and nothing else (no locks/:
 * never committed).  Its first open makes the rest, so that a fresh clone
 * works at once and 'jerry check' finds it clean.  A read-only checkout
 * is read as it is.
 */
static int prepare_checkout(jerry_store *st, jerry_error *err)
{
	int created = 0;
	if (!missing(st->dirfd, "locks"))
		return 0;
	if (jr_io_mkdirat(st->dirfd, "locks", 0755) < 0 && errno != EEXIST) {
		if (errno == EROFS || errno == EACCES || errno == EPERM)
			return 0;
		return jr_error_sys(err, JERRY_ESTORAGE, errno, "cannot create '%s/locks'", st->dir);
	}
	int rc = prepare_local(st, &created, err);
	return rc == JERRY_EDURABLE ? 0 : rc; /* local files only: nothing to lose */
}

int jr_store_open(jerry_store **out, const jerry_open_opts *opts, jerry_error *err)
{
	jerry_open_opts defaults;
	int rc;
	*out = NULL;
	if (!opts) {
		jr_store_opts_init(&defaults);
		opts = &defaults;
	}
	if (opts->instance && (rc = jr_validate_name("instance name", opts->instance, 1, err)))
		return rc;
	jerry_store *st = store_new(opts, err);
	if (!st)
		return JERRY_ENOMEM;
	if ((rc = find_dir(st->dir, sizeof(st->dir), opts, err)) || (rc = open_dirs(st, err)) ||
	    (rc = prepare_checkout(st, err))) {
		jr_store_free(st);
		return rc;
	}
	/* Before anything is read: a dead importer's items, all or none (import_stage.c). */
	jr_stage_settle_all(st);
	*out = st;
	return 0;
}

void jr_store_free(jerry_store *st)
{
	if (!st)
		return;
	jr_io_close(st->dirfd);
	jr_io_close(st->itemsfd);
	jr_io_close(st->tmpfd);
	jr_io_close(st->lock_items);
	jr_io_close(st->lock_seq);
	jr_io_close(st->lock_index);
	jr_io_close(st->lock_deps);
	jr_io_close(st->wait.turns);
	free(st);
}

static int mkdir_p(const char *path, jerry_error *err)
{
	char buf[PATH_MAX];
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (jr_io_mkdir(buf, 0755) < 0 && errno != EEXIST)
			return jr_error_sys(err, JERRY_ESTORAGE, errno, "cannot create '%s'", buf);
		*p = '/';
	}
	if (jr_io_mkdir(buf, 0755) < 0 && errno != EEXIST)
		return jr_error_sys(err, JERRY_ESTORAGE, errno, "cannot create '%s'", buf);
	if (!is_dir(buf))
		return jr_error(err, JERRY_ESTORAGE, "'%s' exists and is not a directory", buf);
	return 0;
}

/*
 * What a store keeps besides its record (doc/FORMAT.md): it stays out of
 * git, and a clone rebuilds it (prepare_local).  Written once; a user's
 * own edits to it are kept.
 */
static const char ignore_rules[] =
	"# Written by 'jerry init'.  The record is items/ and history/: commit\n"
	"# them.  The rest is local to this copy of the store, and the first\n"
	"# jerry command in a fresh clone rebuilds it (doc/FORMAT.md).\n"
	"/index.json\n"
	"/index.log\n"
	"/sequences.json\n"
	"/locks/\n"
	"/tmp/\n"
	"*.tmp-*\n";

/*
 * Everything of an opened store that is not its record: lock files and
 * tmp/, index.json made from the items, sequences.json from the highest
 * item, the ignore rules.  What exists is kept; *created is set when
 * anything was missing.  jerry init calls it, and so does the first open
 * of a store checked out by git, which brings the record only.
 */
static int prepare_local(jerry_store *st, int *created, jerry_error *err)
{
	char lockpath[PATH_MAX + 32];
	int rc, no_index, durable = 0; /* JERRY_EDURABLE once a step's sync failed */
	for (const char *const *d = (const char *const[]){"locks", "history", NULL}; *d; d++)
		if (missing(st->dirfd, *d)) {
			if (jr_io_mkdirat(st->dirfd, *d, 0755) < 0 && errno != EEXIST)
				return jr_error_sys(err, JERRY_ESTORAGE, errno, "cannot create '%s/%s'",
						    st->dir, *d);
			*created = 1;
		}
	if ((rc = jr_store_writable(st, err)))
		return rc;
	/* Under the index lock, so two concurrent inits write the rules once. */
	jr_store_path(lockpath, sizeof(lockpath), st, "locks/index.lock");
	if ((rc = jr_lock_take(st->lock_index, 0, 1, &st->wait, JR_LOCK_INDEX_WHAT,
			       lockpath, err)))
		return rc;
	no_index = missing(st->dirfd, "index.json");
	if (missing(st->dirfd, ".gitignore")) {
		*created = 1;
		rc = jr_store_replace(st, st->dirfd, ".gitignore", ignore_rules,
				      sizeof(ignore_rules) - 1, err);
	}
	jr_lock_drop(st->lock_index, 0, 1);
	if (rc == JERRY_EDURABLE)
		durable = rc;
	else if (rc)
		return rc;
	/* Rebuilt from the items (under their locks): a clone has items and no index. */
	if (no_index) {
		*created = 1;
		if ((rc = jr_index_ensure(st, err)) == JERRY_EDURABLE)
			durable = rc;
		else if (rc)
			return rc;
	}
	jr_store_path(lockpath, sizeof(lockpath), st, "locks/sequence.lock");
	if ((rc = jr_lock_take(st->lock_seq, 0, 1, &st->wait, JR_LOCK_SEQ_WHAT, lockpath,
			       err)))
		return rc;
	if (missing(st->dirfd, "sequences.json")) {
		jr_seq seq;
		*created = 1;
		if (!(rc = jr_seq_from_items(&seq, st, err)))
			rc = jr_seq_write(st, &seq, err);
	}
	jr_lock_drop(st->lock_seq, 0, 1);
	if (rc && rc != JERRY_EDURABLE)
		return rc;
	if (rc)
		durable = rc;
	rc = jr_store_sync_dir(st, st->dirfd, ".", err);
	return rc ? rc : durable;
}

int jr_store_init(char *out_dir, size_t out_size, int *out_created,
		     const jerry_open_opts *opts, jerry_error *err)
{
	jerry_open_opts defaults;
	char base[PATH_MAX], rel[PATH_MAX], dir[PATH_MAX * 2];
	int rc, created = 0;
	if (!opts) {
		jr_store_opts_init(&defaults);
		opts = &defaults;
	}
	if (opts->data_dir && *opts->data_dir) {
		snprintf(dir, sizeof(dir), "%s", opts->data_dir);
	} else {
		if ((rc = check_project(opts->project, err)))
			return rc;
		if (opts->start_dir && !realpath(opts->start_dir, base))
			snprintf(base, sizeof(base), "%s", opts->start_dir);
		else if (!opts->start_dir && !getcwd(base, sizeof(base)))
			return jr_error_sys(err, JERRY_ESTORAGE, errno, "cannot find the current directory");
		/* In a linked worktree: the same place in the main worktree (find_dir). */
		if ((rc = jr_repo_map(base, sizeof(base), err)))
			return rc;
		rel_data_dir(rel, sizeof(rel), opts->project);
		snprintf(dir, sizeof(dir), "%s/%s", base, rel);
	}
	if (strlen(dir) >= PATH_MAX - 64)
		return jr_error(err, JERRY_EINVALID, "the store path is too long");
	char sub[PATH_MAX + 16];
	if (!is_dir(dir))
		created = 1;
	if ((rc = mkdir_p(dir, err)))
		return rc;
	snprintf(sub, sizeof(sub), "%s/items", dir);
	if (!is_dir(sub))
		created = 1;
	if ((rc = mkdir_p(sub, err)))
		return rc;
	snprintf(sub, sizeof(sub), "%s/locks", dir);
	if ((rc = mkdir_p(sub, err)))
		return rc;
	snprintf(sub, sizeof(sub), "%s/history", dir);
	if ((rc = mkdir_p(sub, err)))
		return rc;
	snprintf(sub, sizeof(sub), "%s/tmp", dir);
	if ((rc = mkdir_p(sub, err)))
		return rc;

	jerry_open_opts o = *opts;
	o.data_dir = dir;
	jerry_store *st;
	if ((rc = jr_store_open(&st, &o, err)))
		return rc;
	if (!(rc = prepare_local(st, &created, err)) && out_dir)
		snprintf(out_dir, out_size, "%s", st->dir);
	if (!rc && out_created)
		*out_created = created;
	jr_store_free(st);
	return rc;
}


/*
 * A file jerry is to write for the user (export -o) must not land inside
 * the data directory: renamed over an item file, it would destroy it, and
 * anywhere else there it is a stray file of the store.  The directory it
 * goes to is compared by its real path, so a link or ../ does not slip by;
 * a directory that cannot be resolved is left to the open that follows to
 * report.
 */
int jr_store_refuse_inside(jerry_store *st, const char *path, jerry_error *err)
{
	char dir[PATH_MAX], real[PATH_MAX], home[PATH_MAX];
	jr_path_dir(dir, sizeof(dir), path);
	if (!realpath(dir, real) || !realpath(st->dir, home))
		return 0;
	size_t n = strlen(home);
	if (strncmp(real, home, n) || (real[n] != '\0' && real[n] != '/'))
		return 0;
	jr_error(err, JERRY_EINVALID,
		 "'%.200s' is inside jerry's data directory '%.200s': it would replace or add to the store's own files",
		 path, st->dir);
	jr_error_hint(err, "write the file somewhere outside the data directory");
	return JERRY_EINVALID;
}

/*
 * The stamp: the identity, size and change time of index.log and
 * index.json.  Every committed write appends to index.log; compaction and
 * reindex replace both files by rename, which gives them new inodes.  So
 * two equal stamps mean no write committed in between, and one stat per
 * file answers it, without reading anything.
 */
int jr_store_stamp(char *out, size_t size, jerry_store *st, jerry_error *err)
{
	static const char *const names[] = {"index.log", "index.json"};
	size_t used = 0;

	if (size)
		out[0] = '\0';
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct stat sb;
		memset(&sb, 0, sizeof(sb));
		if (jr_io_fstatat(st->dirfd, names[i], &sb, AT_SYMLINK_NOFOLLOW) && errno != ENOENT) {
			char path[4352];
			jr_store_path(path, sizeof(path), st, names[i]);
			return jr_error_sys(err, JERRY_ESTORAGE, errno, "cannot stat '%s'", path);
		}
		int n = snprintf(out + used, size - used, "%s%llx.%llx.%llx.%lld.%ld", i ? "-" : "",
				 (unsigned long long)sb.st_dev, (unsigned long long)sb.st_ino,
				 (unsigned long long)sb.st_size, (long long)sb.st_mtim.tv_sec,
				 (long)sb.st_mtim.tv_nsec);
		if (n < 0 || (size_t)n >= size - used)
			return jr_error(err, JERRY_EINTERNAL, "the store stamp does not fit %zu bytes", size);
		used += (size_t)n;
	}
	return 0;
}

/*
 * A rebuild holds every item lock (the whole byte range of items.lock) and
 * then the index lock, so no write is in flight while it reads the items:
 * the index it writes is exact, with nothing unconfirmed.  A sync that died
 * past its commit point left the index aside, in its stage: the stage is
 * rolled forward here, before anyone writes an item it holds - also by a
 * program that opened the store before that sync died, whose next write
 * finds the index gone and comes here (ADR 0020).  Here, above the index and the
 * stages, so that neither calls the other.
 */
static int rebuild(size_t *out_count, jerry_store *st, int if_missing, jerry_error *err)
{
	char path[PATH_MAX + 32];
	uint64_t gen;
	off_t size;
	jr_store_path(path, sizeof(path), st, "locks/items.lock");
	int rc = jr_lock_take(st->lock_items, 1, 0, &st->wait, "every item", path, err);
	if (rc)
		return rc;
	jr_stage_settle_syncs_held(st);
	/* A sync publishing had it aside (jr_index_aside), and has put it back. */
	if (!if_missing || jr_ix_snapshot_generation(st, &gen, &size, NULL) == JERRY_ECORRUPT) {
		/* An item file edited in place left items/ as it was: the export cache goes too. */
		jr_export_cache_drop(st);
		rc = jr_index_rebuild_held(out_count, st, err);
	}
	jr_lock_drop(st->lock_items, 1, 0);
	return rc;
}

int jr_index_rebuild(size_t *out_count, jerry_store *st, jerry_error *err)
{
	return rebuild(out_count, st, 0, err);
}

int jr_index_ensure(jerry_store *st, jerry_error *err)
{
	uint64_t gen;
	off_t size;
	int rc = jr_ix_snapshot_generation(st, &gen, &size, err);
	/* Only damage is rebuilt; an I/O error is reported as what it is. */
	return rc == JERRY_ECORRUPT ? rebuild(NULL, st, 1, err) : rc;
}
