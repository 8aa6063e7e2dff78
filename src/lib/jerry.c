/*
 * jerry.c - the library's composition root: the one place that wires the
 * store into the use cases, and the home of the public API
 * (include/jerry/jerry.h) that works on a store.  A use case gets the
 * store's port (store/port.c) and never sees the store; the store never
 * sees the app.  Opening a store, the JSON text of items and reindex are
 * the store's own and forwarded to it.  The pure functions
 * (names, IDs, times, errors, freeing results) are domain/'s.
 */
#include "../app/app.h"
#include "../domain/domain.h"
#include "../store/codec.h"
#include "../store/export.h"
#include "../store/importer.h"
#include "../store/store.h"
#include "../util/strbuf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ---- the store itself: store/store.c -------------------------------------------- */

void jerry_open_opts_init(jerry_open_opts *opts)
{
	jr_store_opts_init(opts);
}

int jerry_store_init(char *out_dir, size_t out_size, int *out_created,
		     const jerry_open_opts *opts, jerry_error *err)
{
	return jr_store_init(out_dir, out_size, out_created, opts, err);
}

int jerry_store_open(jerry_store **out, const jerry_open_opts *opts, jerry_error *err)
{
	return jr_store_open(out, opts, err);
}

void jerry_store_free(jerry_store *store)
{
	jr_store_free(store);
}

const char *jerry_store_dir(const jerry_store *store) { return jr_store_dir(store); }
const char *jerry_store_instance(const jerry_store *store) { return jr_store_instance(store); }
const char *jerry_store_claimer(const jerry_store *store) { return jr_store_claimer(store); }
int jerry_store_named(const jerry_store *store) { return jr_store_named(store); }

int jerry_store_stamp(char *out, size_t size, jerry_store *store, jerry_error *err)
{
	return jr_store_stamp(out, size, store, err);
}

int64_t jerry_store_now(jerry_store *store)
{
	const jr_port *port = jr_store_port(store);
	return port->now(port->ctx);
}

/* ---- JSON text of items: store/codec.c (only the store speaks JSON) ------------- */

char *jerry_item_json(const jerry_item *item, int flags)
{
	return jr_codec_item_json(item, flags);
}

char *jerry_items_json(jerry_item *const *items, size_t n, int flags)
{
	return jr_codec_items_json(items, n, flags);
}

char *jerry_item_json_with(const jerry_item *item, int flags, const char *const *keys,
			   const char *const *values, size_t n)
{
	return jr_codec_item_json_with(item, flags, keys, values, n);
}

char *jerry_error_json(int code, const jerry_error *err, int flags)
{
	return jr_codec_error_json(code, err, flags);
}

char *jerry_ready_item_json(const jerry_item *item, int flags)
{
	return jr_codec_ready_item_json(item, flags);
}

char *jerry_dep_tree_json(const jerry_dep_node *nodes, size_t n, int flags)
{
	return jr_codec_dep_tree_json(nodes, n, flags);
}

char *jerry_waiting_json(const jerry_waiting *waiting, int flags)
{
	return jr_view_waiting_json(waiting, flags);
}

int jerry_show_json(char **out, jerry_store *store, const char *ref, int flags, jerry_error *err)
{
	jerry_item *item = NULL, **kids = NULL, **deps = NULL, **away = NULL;
	size_t nkids = 0, ndeps = 0, naway = 0;
	char id[32];
	int rc;

	*out = NULL;
	if (!(rc = jerry_id_resolve(id, sizeof(id), store, ref, err)) &&
	    !(rc = jerry_show(&item, store, id, err)) &&
	    !(rc = jerry_related(&kids, &nkids, &deps, &ndeps, store, id, err)) &&
	    !(rc = jerry_renumbered_from(&away, &naway, store, id, err)) &&
	    !(*out = jr_view_related_json(item, flags, kids, nkids, deps, ndeps, away, naway)))
		rc = jr_error(err, JERRY_ENOMEM, "out of memory");
	jerry_item_free(item);
	jerry_item_array_free(kids, nkids);
	jerry_item_array_free(deps, ndeps);
	jerry_item_array_free(away, naway);
	return rc;
}

/* ---- items: app/app.c ---------------------------------------------------------- */

int jerry_create(jerry_item **out, jerry_store *store, const jerry_create_spec *spec,
		 jerry_error *err)
{
	return jr_app_create(out, jr_store_port(store), spec, err);
}

int jerry_show(jerry_item **out, jerry_store *store, const char *id, jerry_error *err)
{
	return jr_app_show(out, jr_store_port(store), id, err);
}

int jerry_update(jerry_item **out, jerry_store *store, const char *id,
		 const jerry_change *change, jerry_error *err)
{
	return jr_app_update(out, jr_store_port(store), id, change, err);
}

int jerry_list(jerry_item ***out, size_t *out_n, jerry_store *store, const jerry_filter *filter,
	       jerry_error *err)
{
	return jr_app_list(out, out_n, jr_store_port(store), filter, err);
}

int jerry_update_cascade(jerry_item **out, int64_t **out_cascaded, size_t *out_n,
			 jerry_store *store, const char *id, const jerry_change *change,
			 jerry_error *err)
{
	return jr_app_update_cascade(out, out_cascaded, out_n, jr_store_port(store), id, change,
				     err);
}

int jerry_parent_closable(jerry_item **out_parent, jerry_store *store, const jerry_item *item,
			  jerry_error *err)
{
	return jr_app_parent_closable(out_parent, jr_store_port(store), item, err);
}

int jerry_closable(jerry_item ***out, size_t *out_n, jerry_store *store, jerry_error *err)
{
	return jr_app_closable(out, out_n, jr_store_port(store), err);
}

/* ---- the store at one moment: app/brief.c --------------------------------------- */

int jerry_brief_load(jerry_brief *out, jerry_store *store, int64_t since_ms, jerry_error *err)
{
	return jr_app_brief(out, jr_store_port(store), since_ms, err);
}

void jerry_brief_release(jerry_brief *brief) { jr_app_brief_release(brief); }

int jerry_brief_text(char **out, const jerry_brief *brief, const char *me, size_t rows,
		     jerry_error *err)
{
	return jr_app_brief_text(out, brief, me, rows, err);
}

/* ---- coordination: app/coord.c ------------------------------------------------- */

int jerry_claim_take(jerry_item **out, jerry_store *s, const char *id, int64_t lease_ms, int flags,
		     jerry_error *err)
{
	return jr_app_claim(out, jr_store_port(s), id, lease_ms, flags, err);
}

int jerry_claim_next(jerry_item **out, jerry_store *s, const jerry_filter *f, int64_t lease_ms,
		     jerry_error *err)
{
	return jr_app_claim_next(out, jr_store_port(s), f, lease_ms, err);
}

int jerry_claim_heartbeat(jerry_item **out, jerry_store *s, const char *id, int64_t lease_ms,
		    jerry_error *err)
{
	return jr_app_heartbeat(out, jr_store_port(s), id, lease_ms, err);
}

int jerry_claim_release(jerry_item **out, jerry_store *s, const char *id, int flags,
			int64_t if_version, jerry_error *err)
{
	return jr_app_release(out, jr_store_port(s), id, flags, if_version, err);
}

int jerry_dep_add(jerry_item **out, jerry_store *s, const char *id, const char *on, jerry_error *err)
{
	return jr_app_dep_change(out, jr_store_port(s), id, &on, 1, 1, err);
}

int jerry_dep_remove(jerry_item **out, jerry_store *s, const char *id, const char *on,
		     jerry_error *err)
{
	return jr_app_dep_change(out, jr_store_port(s), id, &on, 1, 0, err);
}

int jerry_dep_add_many(jerry_item **out, jerry_store *s, const char *id, const char *const *on,
		       size_t non, jerry_error *err)
{
	return jr_app_dep_change(out, jr_store_port(s), id, on, non, 1, err);
}

int jerry_dep_remove_many(jerry_item **out, jerry_store *s, const char *id,
			  const char *const *on, size_t non, jerry_error *err)
{
	return jr_app_dep_change(out, jr_store_port(s), id, on, non, 0, err);
}

int jerry_dep_tree(jerry_dep_node **out, size_t *out_n, jerry_store *s, const char *id,
		   jerry_error *err)
{
	return jr_app_dep_tree(out, out_n, jr_store_port(s), id, err);
}

int jerry_ready(jerry_item ***out, size_t *out_n, jerry_store *s, const jerry_filter *f,
		jerry_error *err)
{
	return jr_app_ready(out, out_n, jr_store_port(s), f, err);
}

int jerry_waiting_on(jerry_waiting **out, size_t *out_n, jerry_store *s, jerry_error *err)
{
	return jr_app_waiting_on(out, out_n, jr_store_port(s), err);
}

int jerry_blocked(jerry_item ***out, size_t *out_n, jerry_store *s, jerry_error *err)
{
	return jr_app_blocked(out, out_n, jr_store_port(s), err);
}

int jerry_search(jerry_item ***out, size_t *out_n, jerry_store *s, const char *text, int all,
		 jerry_error *err)
{
	return jr_app_search(out, out_n, jr_store_port(s), text, all, err);
}

/* ---- relations: app/related.c -------------------------------------------------- */

int jerry_related(jerry_item ***children, size_t *nchildren, jerry_item ***dependents,
		  size_t *ndependents, jerry_store *store, const char *id, jerry_error *err)
{
	int64_t num;
	int rc;
	*children = *dependents = NULL;
	*nchildren = *ndependents = 0;
	if ((rc = jerry_id_parse(&num, id, err)))
		return rc;
	return jr_app_related(children, nchildren, dependents, ndependents,
			      jr_store_port(store), num, err);
}

int jerry_renumbered_from(jerry_item ***out, size_t *out_n, jerry_store *store, const char *id,
			  jerry_error *err)
{
	int64_t num;
	int rc;
	*out = NULL;
	*out_n = 0;
	if ((rc = jerry_id_parse(&num, id, err)))
		return rc;
	return jr_app_renumbered_from(out, out_n, jr_store_port(store), num, err);
}

int jerry_id_resolve(char *buf, size_t size, jerry_store *store, const char *ref,
		     jerry_error *err)
{
	int64_t num = 0;
	int rc;
	if (!strncmp(ref, "uid:", 4)) {
		char *end = NULL;
		errno = 0;
		unsigned long long uid = strtoull(ref + 4, &end, 10);
		if (ref[4] < '0' || ref[4] > '9' || *end || errno || !uid)
			return jr_error(err, JERRY_EINVALID, "'%s' is not a uid: uid:NUMBER", ref);
		rc = jr_app_uid_find(&num, jr_store_port(store), (uint64_t)uid, err);
	} else {
		rc = jerry_id_parse(&num, ref, err);
	}
	if (!rc)
		jerry_id_format(buf, size, num);
	return rc;
}

/* ---- records and integrity: app/inspect.c -------------------------------------- */

int jerry_history(jerry_history_entry **out, size_t *out_n, jerry_store *st, const char *id,
		  jerry_error *err)
{
	return jr_app_history(out, out_n, jr_store_port(st), id, err);
}

char *jerry_history_json(const jerry_history_entry *entry, const char *id, int flags)
{
	return jr_history_entry_json(entry, id, flags);
}

int jerry_check(jerry_report **out, jerry_store *st, int repair, jerry_error *err)
{
	return jr_app_check(out, jr_store_port(st), repair, err);
}

int jerry_reindex(size_t *out_count, jerry_store *st, jerry_error *err)
{
	return jr_store_reindex(out_count, st, err);
}

int jerry_merge_file(jerry_merge_result *out, const char *base, const char *ours,
		     const char *theirs, const char *path, jerry_error *err)
{
	return jr_merge_file(out, base, ours, theirs, path, err);
}

int jerry_git_setup(jerry_git_setup_result *out, jerry_store *st, jerry_error *err)
{
	return jr_git_setup(out, st, err);
}

const char *jerry_git_hook(unsigned i)
{
	return jr_git_hook_name(i);
}

int jerry_sync(jerry_sync_result **out, jerry_store *st, const char *remote, jerry_error *err)
{
	jerry_sync_options o = {remote, -1};
	return jerry_sync_with(out, st, &o, err);
}

int jerry_sync_with(jerry_sync_result **out, jerry_store *st, const jerry_sync_options *opts,
		    jerry_error *err)
{
	int64_t timeout = opts->timeout_ms < 0 ? JERRY_SYNC_TIMEOUT_MS : opts->timeout_ms;
	int rc = jr_sync(out, st, opts->remote, timeout, err);
	if (!*out || !((*out)->incoming || (*out)->nmerged || (*out)->nrenumbered))
		return rc;
	/* The merge is done and stays done: a failed look only loses the report. */
	jerry_error ignored;
	(void)jr_app_graph_problems(&(*out)->problems, &(*out)->nproblems, jr_store_port(st),
				    &ignored);
	return rc;
}

int jerry_log(jerry_log_entry **out, size_t *out_n, jerry_store *st, const jerry_log_query *q,
	      jerry_error *err)
{
	return jr_app_log(out, out_n, jr_store_port(st), q, err);
}

/* ---- export: app/transfer.c picks the items, store/export_file.c writes them ------- */

/* Lines are gathered into one buffer and handed on this much at a time. */
#define EXPORT_CHUNK (64 * 1024)

struct export_sink {
	int with_history;
	struct jr_sb out;              /* lines not yet handed on     */
	jerry_write_fn write;          /* to the caller ...           */
	void *arg;
	jr_outfile *file;              /* ... or to a file, atomically */
	int head_done;                 /* the header line is in out     */
};

/*
 * The header goes out with the first line, or at the end of an export of
 * nothing: an export refused before its first item (a bad filter) writes
 * nothing at all, as every command that fails leaves stdout empty.
 */
static int sink_head(struct export_sink *s)
{
	size_t len;
	if (s->head_done)
		return 0;
	char *head = jr_export_header(&len);
	int rc = !head || jr_sb_add(&s->out, head, len);
	free(head);
	s->head_done = !rc;
	return rc;
}

static int sink_flush(struct export_sink *s, jerry_error *err)
{
	int rc = 0;
	if (!s->out.len)
		return 0;
	if (s->file)
		rc = jr_outfile_write(s->file, s->out.buf, s->out.len, err);
	else if (s->write(s->arg, s->out.buf, s->out.len) < 0)
		rc = jr_error_sys(err, JERRY_ESTORAGE, errno, "cannot write the export");
	s->out.len = 0;
	return rc;
}

static int export_item(void *arg, const jerry_item *item, const jerry_history_entry *h,
		       size_t nh, jerry_error *err)
{
	struct export_sink *s = arg;
	if (sink_head(s) || jr_export_line(&s->out, item, h, nh, s->with_history))
		return jr_error(err, JERRY_ENOMEM, "out of memory");
	return s->out.len < EXPORT_CHUNK ? 0 : sink_flush(s, err);
}

/* A line the store had ready (its export cache): as export_item would have made it. */
static int export_line(void *arg, const char *line, size_t len, jerry_error *err)
{
	struct export_sink *s = arg;
	if (sink_head(s) || jr_sb_add(&s->out, line, len))
		return jr_error(err, JERRY_ENOMEM, "out of memory");
	return s->out.len < EXPORT_CHUNK ? 0 : sink_flush(s, err);
}

static int export_run(size_t *out_count, jerry_store *st, const jerry_filter *filter, int flags,
		      struct export_sink *s, jerry_error *err)
{
	jerry_filter none = {0};
	int rc;
	s->with_history = (flags & JERRY_EXPORT_HISTORY) != 0;
	if (s->with_history)
		rc = jr_app_export(out_count, jr_store_port(st), filter ? filter : &none, 1,
				   export_item, s, err);
	else
		rc = jr_app_export_lines(out_count, jr_store_port(st), filter ? filter : &none,
					 export_item, export_line, s, err);
	/* What came before a failure goes out too, as it did a line at a time. */
	if (!rc && sink_head(s))
		rc = jr_error(err, JERRY_ENOMEM, "out of memory");
	if (!rc)
		rc = sink_flush(s, err);
	else
		(void)sink_flush(s, NULL); /* the failure is what the caller hears of */
	jr_sb_release(&s->out);
	return rc;
}

int jerry_export(size_t *out_count, jerry_store *st, const jerry_filter *filter, int flags,
		 jerry_write_fn write, void *arg, jerry_error *err)
{
	struct export_sink s = {.write = write, .arg = arg};
	if (out_count)
		*out_count = 0;
	return export_run(out_count, st, filter, flags, &s, err);
}

int jerry_export_file(size_t *out_count, jerry_store *st, const jerry_filter *filter, int flags,
		      const char *path, jerry_error *err)
{
	struct export_sink s = {0};
	if (out_count)
		*out_count = 0;
	int rc = jr_store_refuse_inside(st, path, err);
	if (rc || (rc = jr_outfile_open(&s.file, path, st->sync, err)))
		return rc;
	if ((rc = export_run(out_count, st, filter, flags, &s, err))) {
		jr_outfile_abort(s.file);
		return rc;
	}
	return jr_outfile_commit(s.file, err);
}

/* ---- import: store/import_read.c reads, app/import.c numbers and writes --------------- */

int jerry_import(jerry_import_result **out, jerry_store *st, const char *path, const char *from,
		 int flags, jerry_error *err)
{
	jr_import_set set;
	*out = NULL;
	int rc = jr_import_read(&set, path, from, err);
	if (rc)
		return rc;
	rc = jr_app_import(out, jr_store_port(st), &set, (flags & JERRY_IMPORT_DRY_RUN) != 0, err);
	jr_import_set_release(&set);
	return rc;
}
