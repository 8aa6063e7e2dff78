/*
 * store.h - the filesystem store, internal interface.
 *
 * Layout of a data directory (the contract is doc/FORMAT.md):
 *
 *   items/WORK-NNN.json   the truth: one item per file
 *   index.json            snapshot of every item's summary (a checked cache)
 *   index.log             summaries written since the snapshot
 *   sequences.json        the last WORK number and uid handed out
 *   locks/items.lock      byte N locks item N
 *   locks/sequence.lock   byte 0 locks sequences.json
 *   locks/index.lock      byte 0 locks index.json + index.log
 *   locks/deps.lock       byte 0 serialises dependency changes
 *   locks/turns.lock      fair, progress-aware lock waits (lock.c)
 *   history/WORK-NNN.jsonl  the append-only log of every change to item N
 *   tmp/NAME.tmp-PID-RAND   temp files of writes in flight (and of dead writers)
 *
 * The storage protocol guarantees:
 *  (1) A reader never sees a partial file: every file is replaced by
 *      temp + fsync + rename + directory fsync.
 *  (2) Every read-modify-write of an item happens under that item's lock,
 *      so no update is lost; the version check of --if-version is inside it.
 *  (3) A WORK number is handed out once, under the sequence lock, and an
 *      item file is created with no-replace semantics; after a power cut
 *      the (unsynced) sequence may lag, and numbers whose files exist
 *      are skipped.
 *  (4) Before an item file is renamed into place, its new summary is
 *      appended to index.log and made durable ("put"), together with a
 *      copy of its history entry; after the rename an "ok" line confirms
 *      it.  A put without its ok is settled by reading
 *      the item file, so a crash between the two can never leave the index
 *      disagreeing with the items.
 *  (5) Locks are kernel OFD locks: a killed holder releases them.
 *
 * Lock order: dependencies -> item locks (ascending number) -> sequence ->
 * index.  The sequence and index locks are only ever held for a few system
 * calls and never while waiting for an item lock, so no cycle can form.
 */
#ifndef JR_STORE_H
#define JR_STORE_H

#include "jerry/jerry.h"
#include "../port/port.h"
#include "../domain/domain.h"
#include "lock.h"

#include <limits.h>
#include <sys/types.h>

#define JR_LOCK_SEQ_WHAT "the ID sequence"
#define JR_LOCK_INDEX_WHAT "the index"

struct jerry_store {
	char dir[PATH_MAX];        /* the data directory, absolute        */
	int dirfd;                 /* O_DIRECTORY of dir                  */
	int itemsfd;               /* O_DIRECTORY of dir/items            */
	int tmpfd;                 /* O_DIRECTORY of dir/tmp, -1 until first write */
	int lock_items, lock_seq, lock_index, lock_deps; /* -1 until first write */
	jr_lock_wait wait;         /* lock timeout and how to wait */
	int sync;
	char instance[JR_INSTANCE_MAX];
	char claimer[JR_INSTANCE_MAX];    /* instance without the pid      */
	char session[JR_INSTANCE_MAX];
	int named;                        /* the claimer is a name, not user@host */
	char proof[JR_INSTANCE_MAX];      /* the claim token given, or "" */
	/* The last index rebuild: item files it could not read and left out. */
	size_t rebuild_skipped;
	jerry_error rebuild_first_bad;    /* why the first of them could not be read */
	jr_port port;
};

/* A file written and synced under a temp name, waiting to be renamed in. */
typedef struct jr_tmpfile {
	int fd;
	int tmpfd;                 /* where it is written: the store's tmp/ */
	int dirfd;                 /* where it goes: items/ or the data directory */
	char tmp[96];
	char name[64];
} jr_tmpfile;

/*
 * The store's implementation of the port (port/port.h, port.c), which the
 * library's root (lib/jerry.c) hands to the use cases.
 */
const jr_port *jr_store_port(jerry_store *st);
/* Opening, making and freeing a store: see jerry_store_open and the rest. */
void jr_store_opts_init(jerry_open_opts *opts);
int jr_store_init(char *out_dir, size_t out_size, int *out_created, const jerry_open_opts *opts,
		  jerry_error *err);
int jr_store_open(jerry_store **out, const jerry_open_opts *opts, jerry_error *err);
void jr_store_free(jerry_store *st);
const char *jr_store_dir(const jerry_store *st);
const char *jr_store_instance(const jerry_store *st);
const char *jr_store_claimer(const jerry_store *st);
int jr_store_named(const jerry_store *st);
/* JERRY_EINVALID when path (a file to write for the user) is inside the data directory. */
int jr_store_refuse_inside(jerry_store *st, const char *path, jerry_error *err);
/* jerry_store_stamp: from a stat of the index files. */
int jr_store_stamp(char *out, size_t size, jerry_store *st, jerry_error *err);
/* The claim session: given (opts), else this process tree's (worked out on first use). */
const char *jr_store_session(jerry_store *st);
/* check.c: the port's check - see jerry_check; and jerry_reindex. */
int jr_store_check(jerry_report **out, jerry_store *st, int repair, jerry_error *err);
int jr_store_reindex(size_t *out_count, jerry_store *st, jerry_error *err);

/* Paths for messages: "<store>/items/WORK-007.json" into buf. */
void jr_store_path(char *buf, size_t size, const jerry_store *st, const char *rel);
void jr_store_item_rel(char *buf, size_t size, int64_t num);

int jr_store_sync_fd(const jerry_store *st, int fd, const char *what, jerry_error *err);
/* fsync a directory; a failure is JERRY_EDURABLE (the rename happened). */
int jr_store_sync_dir(const jerry_store *st, int dirfd, const char *what, jerry_error *err);
/* Open the lock files and tmp/ for writing (first write only). */
int jr_store_writable(jerry_store *st, jerry_error *err);
/*
 * Open tmp/ (making it in a store from before it existed) and, the first
 * time, sweep it: remove every temp file whose writer is dead.
 */
int jr_store_tmpdir(jerry_store *st, jerry_error *err);
/*
 * Whether dirfd/name is a temp file of a dead writer: nobody holds its
 * flock and the name still names the file we locked.  With remove, unlink
 * it while we hold the lock; *removed says whether that worked.
 */
int jr_tmp_dead(int dirfd, const char *name, int remove, int *removed);

/*
 * import_stage.c: a bulk create all or nothing under a crash.  The new
 * items are written into tmp/import-PID-RAND/ (flocked while the importer
 * lives), made durable by one syncfs and committed by a "commit" file in
 * it; then published into items/.  jr_stage_close removes the directory,
 * unless a failure came after the commit (failed): then the next process
 * to open the store publishes the rest (jr_stage_settle_all).
 */
typedef struct jr_stage {
	int fd;                    /* the stage directory, flocked; -1: none */
	int committed;
	char name[64];             /* under tmp/ */
} jr_stage;

int jr_stage_open(jr_stage *sg, jerry_store *st, jerry_error *err);
/* The same, under tmp/PREFIX-PID-RAND/ (JR_SYNC_STAGE_PREFIX: a sync's). */
int jr_stage_open_as(jr_stage *sg, jerry_store *st, const char *prefix, jerry_error *err);
int jr_stage_write(jr_stage *sg, jerry_store *st, const jerry_item *it, jerry_error *err);
int jr_stage_commit(jr_stage *sg, jerry_store *st, jerry_error *err);
/*
 * Move items[0..n) (ascending numbers) from stagefd into items/, as
 * store.h's (4); held: the caller holds their item locks (else taken here).
 */
int jr_stage_publish(jerry_store *st, int stagefd, jerry_item *const *items, size_t n,
		     int held, jerry_error *err);
/* The item locks of nums[0..n) (ascending), in runs; *locked: how many are held. */
int jr_items_lock_nums(jerry_store *st, const int64_t *nums, size_t n, size_t *locked,
		       jerry_error *err);
void jr_items_unlock_nums(jerry_store *st, const int64_t *nums, size_t n);
void jr_stage_close(jr_stage *sg, jerry_store *st, int failed);
/* At open: settle the stage directories of dead importers and syncs (best effort, silent). */
void jr_stage_settle_all(jerry_store *st);

/*
 * sync_stage.c: a sync's merge all or nothing under a crash.  Every file
 * the merge writes is staged whole in a jr_stage opened with this prefix,
 * "items.NAME" for items/NAME and "history.NAME" for history/NAME; after
 * jr_stage_commit, jr_sync_stage_publish renames them over their targets
 * (the caller holds every item lock and has logged the puts of the item
 * files, or dropped the index).  A dead sync's committed stage is rolled
 * forward at open by jr_sync_stage_roll.
 */
#define JR_SYNC_STAGE_PREFIX "sync-stage-"
/* index.json while the stage is published (jr_index_aside); put back if it is removed uncommitted. */
#define JR_SYNC_STAGE_INDEX "index.json"
int jr_sync_stage_write(jr_stage *sg, jerry_store *st, const char *rel, const char *text,
			size_t len, jerry_error *err);
int jr_sync_stage_publish(jerry_store *st, int stagefd, jerry_error *err);
/*
 * Every item lock (unless held), the index dropped, the files published,
 * the index rebuilt from them; JERRY_* on failure.
 */
int jr_sync_stage_roll(jerry_store *st, int stagefd, int held);
/*
 * Roll forward the dead syncs' committed stages, every item lock held: a
 * sync that opened the store before another one died must not merge over
 * half of that one's publish.
 */
void jr_stage_settle_syncs_held(jerry_store *st);

int jr_tmpfile_write(jr_tmpfile *tf, jerry_store *st, int dirfd, const char *name,
		     const char *buf, size_t len, jerry_error *err);
/* The same, not synced: for sequences.json, a hint (seq.c). */
int jr_tmpfile_write_nosync(jr_tmpfile *tf, jerry_store *st, int dirfd, const char *name,
			    const char *buf, size_t len, jerry_error *err);
/* Rename into place (noreplace: refuse an existing target). */
int jr_tmpfile_commit(jr_tmpfile *tf, jerry_store *st, int noreplace, jerry_error *err);
void jr_tmpfile_abort(jr_tmpfile *tf);
/* temp + fsync + rename + directory fsync, in one call. */
int jr_store_replace(jerry_store *st, int dirfd, const char *name, const char *buf,
		     size_t len, jerry_error *err);

/*
 * path (absolute, resolved) in a linked git worktree: the same place in
 * the repository's main worktree; else left as it is (repo.c).
 */
int jr_repo_map(char *path, size_t size, jerry_error *err);

/*
 * gitsetup.c: run git in the data directory (`git -C DIR args...`, env on
 * top of ours); its output into *out (may be NULL).  A status other than 0
 * is an error naming git's first line of stderr, except 1 from `git
 * config` (not set), which the caller reads in *status.
 */
int jr_git(int *status, char **out, jerry_store *st, const char *const args[],
	   const char *const env[], jerry_error *err);
/*
 * jr_git bounded by deadline (jr_io_now_ms's clock; 0: none): a git still
 * running then is stopped, and that is a storage error (jr_git_late's).
 */
int jr_git_until(int *status, char **out, jerry_store *st, const char *const args[],
		 const char *const env[], int64_t deadline, jerry_error *err);
/* jr_git_until with input (NUL-terminated, may be NULL) on git's standard input. */
int jr_git_feed(int *status, char **out, jerry_store *st, const char *const args[],
		const char *const env[], const char *input, int64_t deadline, jerry_error *err);
/* The error of a git stopped at its deadline: "'git WHAT' was stopped in DIR: ...". */
int jr_git_late(jerry_error *err, jerry_store *st, const char *what);
/* The command line jr_git runs: git -C DIR args... (at most JR_GIT_ARGV_MAX - 1 words). */
#define JR_GIT_ARGV_MAX 24
void jr_git_argv(const char *argv[JR_GIT_ARGV_MAX], jerry_store *st, const char *const args[]);

/*
 * gitbatch.c: objects read from one `git cat-file --batch` (jr_git's
 * command line and env), request by request, instead of a git process per
 * object.  Started by the first read; jr_git_batch_end closes its pipes
 * and reaps it.  A child that dies or answers out of protocol is a storage
 * error; the batch is ended then, and a later read starts another.
 */
typedef struct jr_git_batch {
	pid_t pid;
	int to, from;
	char *buf;                 /* what was read and not yet used: buf[off..len) */
	size_t off, len, cap;
	int64_t deadline;          /* as jr_git_until's: an answer later than this is an error */
} jr_git_batch;
#define JR_GIT_BATCH_INIT { -1, -1, -1, NULL, 0, 0, 0, 0 }
/*
 * The blob NAME names (an object id, or "TREEISH:PATH") into *out (malloc'd,
 * NUL-terminated) and *len; *out NULL when git has no such object.
 */
int jr_git_batch_blob(char **out, size_t *len, jr_git_batch *b, jerry_store *st,
		      const char *const env[], const char *name, jerry_error *err);
void jr_git_batch_end(jr_git_batch *b);
/* jerry_git_setup. */
int jr_git_setup(jerry_git_setup_result *res, jerry_store *st, jerry_error *err);
const char *jr_git_hook_name(unsigned i);
/* mergefile.c: jerry_merge_file. */
int jr_merge_file(jerry_merge_result *res, const char *base, const char *ours,
		  const char *theirs, const char *path, jerry_error *err);
/*
 * The same over texts (base, ours, theirs; an empty base: none), path the
 * file's path in the record ("items/WORK-007.json"): the merged text into
 * *out (malloc'd), res->changed when it is not ours.
 */
int jr_merge_text(char **out, size_t *out_len, jerry_merge_result *res,
		  const char *const text[3], const size_t len[3], const char *path,
		  int64_t now_ms, jerry_error *err);
int64_t jr_merge_now(void);
/* The number a record file's path names (".../WORK-012.json", ".jsonl"), or 0. */
int64_t jr_merge_path_num(const char *path);
/* sync.c: jerry_sync. */
int jr_sync(jerry_sync_result **out, jerry_store *st, const char *remote, int64_t timeout_ms,
	    jerry_error *err);

/* Before an append: cut a torn last line (no newline) off a log; *end gets its size. */
int jr_file_end_whole(int fd, off_t *out_end);

/* Read and decode one item file. */
int jr_store_read_item(jerry_item **out, jerry_store *st, int64_t num, jerry_error *err);
/* The same with the file's text read into buf, which a reader of many items reuses. */
struct jr_sb;
int jr_store_read_item_buf(jerry_item **out, jerry_store *st, int64_t num, struct jr_sb *buf,
			   jerry_error *err);
/* The same with the file's stat (of the file read, by fstat) into *sb. */
struct stat;
int jr_store_read_item_stat(jerry_item **out, jerry_store *st, int64_t num, struct jr_sb *buf,
			    struct stat *sb, jerry_error *err);
/* 7 for "WORK-007.json"; 0 for any other name (stray files). */
int64_t jr_store_item_file_num(const char *name);
/* Item numbers of every items/WORK-*.json, sorted. */
int jr_store_list_item_files(int64_t **out, size_t *out_n, jerry_store *st, jerry_error *err);

/* sequences.json (seq.c) */
typedef struct jr_seq {
	int64_t work;        /* last WORK number handed out */
	uint64_t last_uid;
} jr_seq;
int jr_seq_read(jr_seq *out, jerry_store *st, jerry_error *err);
int jr_seq_write(jerry_store *st, const jr_seq *seq, jerry_error *err);
/* The sequence the item files imply: the highest number and its uid. */
int jr_seq_from_items(jr_seq *out, jerry_store *st, jerry_error *err);
/*
 * The sequence lock.  Lock order: the sequence lock before any item lock.
 * A create holds it from taking its number until it holds the number's
 * item lock, and a sync or a repair takes it before every item lock: so
 * no number handed out is ever written by anyone but its taker (a sync
 * raises the sequence above every number it writes).
 */
int jr_seq_lock(jerry_store *st, jerry_error *err);
void jr_seq_unlock(jerry_store *st);
/* A uid for now: 41 bits of ms since 2026-01-01, 22 random bits (seq.c). */
uint64_t jr_seq_uid_candidate(void);
/* Holding the sequence lock: the next n free numbers and fresh uids, one hint written. */
int jr_seq_next_many_held(int64_t *out_nums, uint64_t *out_uids, size_t n, jerry_store *st,
			  jerry_error *err);
/* The same, taking and dropping the lock. */
int jr_seq_next_many(int64_t *out_nums, uint64_t *out_uids, size_t n, jerry_store *st,
		     jerry_error *err);
/* Holding the sequence lock: no number up to work is handed out after this. */
int jr_seq_raise_held(jerry_store *st, int64_t work, jerry_error *err);

/* index (index.c) */
typedef struct jr_ix_entry {
	jerry_item *item;        /* the summary                           */
	uint32_t ord;            /* order read in: of two alike, the later wins */
	unsigned char unconfirmed; /* a put whose ok is not in the log    */
} jr_ix_entry;

/*
 * The summaries sorted by item number, one per number: memory follows the
 * number of items, never the largest number (an item WORK-999999999 costs
 * what WORK-001 does).  jr_index_get() finds one by binary search.
 */
typedef struct jr_index {
	jr_ix_entry *e;          /* e[0..count) by ascending number       */
	size_t count;
	size_t cap;
	uint64_t generation;
} jr_index;

void jr_index_release(jr_index *ix);
/* The summary of item num, or NULL; jr_index_find: its slot, or NULL. */
jerry_item *jr_index_get(const jr_index *ix, int64_t num);
jr_ix_entry *jr_index_find(const jr_index *ix, int64_t num);
/*
 * Load the logical index: snapshot + log, with unconfirmed entries settled
 * from their item files.  JERRY_ECORRUPT when index.json or index.log
 * cannot be parsed.
 */
int jr_index_load(jr_index *ix, jerry_store *st, jerry_error *err);
/*
 * (4) above: append the put record of item - and, when entry != NULL, the
 * record of its history entry, in the same write - and make them durable.
 */
int jr_index_put(jerry_store *st, const jerry_item *item, const char *entry, size_t elen,
		 jerry_error *err);
/* The same for n items in one write and one sync (a bulk create). */
int jr_index_put_many(jerry_store *st, const jerry_item *const *items,
		      const char *const *entries, const size_t *elens, size_t n, jerry_error *err);
/* Append the ok record; compacts the log when it has grown large. */
int jr_index_confirm(jerry_store *st, const jerry_item *item, jerry_error *err);
/* The same for n items in one write. */
int jr_index_confirm_many(jerry_store *st, const jerry_item *const *items, size_t n,
			  jerry_error *err);
/* Rebuild index.json from the item files and start a fresh log. */
int jr_index_rebuild(size_t *out_count, jerry_store *st, jerry_error *err);
/* Before a write takes an item lock: rebuild a snapshot whose header is gone. */
int jr_index_ensure(jerry_store *st, jerry_error *err);
/* jr_index_rebuild for a caller that holds every item lock already (sync.c). */
int jr_index_rebuild_held(size_t *out_count, jerry_store *st, jerry_error *err);
/*
 * Also with every item lock held (sync.c): write the history entries
 * index.log holds into their files, leaving the index as it is.  Or, before
 * files are replaced behind the index: that, a fresh log (so no entry of
 * the old one is written back later into a replaced file), and no
 * index.json, which every reader rebuilds - so a kill before the caller's
 * jr_index_rebuild_held leaves no stale index.
 */
int jr_index_settle_history_held(jerry_store *st, jerry_error *err);
int jr_index_drop_held(jerry_store *st, jerry_error *err);
/*
 * jerry sync's publish (sync.c), under the index lock: index.json moved to
 * dirfd/name, or with `back` from there back - unless an index.json is
 * there again (a rebuild), or name is gone.  While it is away, a writer
 * rebuilds it under every item lock, so no write lands on a file a dead
 * sync's committed stage is about to replace (jr_index_rebuild); it is put
 * back by the sync once its files are in, or by whoever removes its stage
 * uncommitted.
 */
int jr_index_aside(jerry_store *st, int dirfd, const char *name, int back, jerry_error *err);
/*
 * With every item lock held (sync.c): a compaction - every history entry of
 * the log made durable in its file, snapshot G+1 from the logical index, a
 * fresh log G+1 - whatever the log's size, and without reading any item
 * file but an unconfirmed entry's.
 */
int jr_index_compact_held(jerry_store *st, jerry_error *err);

/*
 * Between index.c (reading) and index_write.c (writing).  jr_ix_set puts
 * (or replaces) the summary of it->num and takes it, even on failure.
 */
int jr_ix_set(jr_index *ix, jerry_item *it, int unconfirmed);
/* Snapshot + log into ix, unconfirmed entries flagged, nothing settled. */
int jr_ix_load(jr_index *ix, jerry_store *st, jerry_error *err);
/* Settle flagged entries from their item files (keep_locked: skip those being written). */
int jr_ix_settle(jr_index *ix, jerry_store *st, int keep_locked, jerry_error *err);
/*
 * The snapshot's generation and size, from its header.  JERRY_ESTORAGE on
 * an I/O error, JERRY_ECORRUPT when it is missing or damaged; err may be NULL.
 */
int jr_ix_snapshot_generation(jerry_store *st, uint64_t *gen, off_t *size, jerry_error *err);
/*
 * fn(arg, rec) for every whole record of index.log (ixlog.h) of the kinds
 * in want (JR_IXLOG_BIT; 0: all) when the log belongs to the current
 * snapshot (nothing otherwise), in the log's order; damaged lines are left
 * to jr_ix_load() and check.  fn returns nonzero on ENOMEM.
 */
struct jr_ixlog_rec;
int jr_index_log_each(jerry_store *st, unsigned want,
		      int (*fn)(void *arg, const struct jr_ixlog_rec *rec), void *arg,
		      jerry_error *err);

/*
 * history (history.c).  The entry for cur (old == NULL: created) as one
 * compact JSON line without newline; NULL when out of memory.
 */
char *jr_history_entry(const jerry_item *old, const jerry_item *cur, size_t *out_len);
/* The same with an op of the caller's ("renumber": sync.c); old is not NULL. */
char *jr_history_entry_op(const jerry_item *old, const jerry_item *cur, const char *op,
			  size_t *out_len);
/* An entry as JSON text for a face: see jerry_history_json. */
char *jr_history_entry_json(const jerry_history_entry *e, const char *id, int flags);
/* Append an entry to history/WORK-NNN.jsonl, not synced: index.log holds its durable copy. */
int jr_history_append(jerry_store *st, int64_t num, const char *entry, size_t len,
		      jerry_error *err);
/*
 * Under the index lock, before a new log generation starts: write back
 * every entry of the current log its history file lacks, and make them all
 * durable there.
 */
int jr_history_settle_log(jerry_store *st, jerry_error *err);
/*
 * Whether some history entry of the current log is not a line of the text
 * that is to replace its item's history file (text_of: that text, or NULL
 * when the file stays): jerry sync's merge, before it replaces files, so
 * that no entry of the log is ever written back, or read, into another
 * item's history (jr_index_compact_held starts a fresh log).
 */
int jr_history_log_lacking(int *lacks, jerry_store *st,
			   const char *(*text_of)(void *arg, int64_t num, size_t *len), void *arg,
			   jerry_error *err);
/*
 * Every item's history: the file, then the entries of the current log,
 * the last entry of each version winning.
 */
int jr_history_load(jerry_history_entry **out, size_t *out_n, jerry_store *st,
		    const jerry_item *item, jerry_error *err);
/*
 * The port's history_each: index.log's records read once, then each
 * item's history as jr_history_load gives it, fn deciding when to stop.
 */
int jr_history_each(jerry_store *st, jerry_item *const *items, size_t n, jr_history_fn fn,
		    void *arg, jerry_error *err);

#endif
