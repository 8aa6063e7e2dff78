/*
 * test_app.c - the use cases (src/app/app.c) over the in-memory port of
 * harness.h, with a fixed clock: validation order, --if-version, parent
 * rules, claims, and list filters, sorts and limits; history, the log and
 * check (src/app/inspect.c) over the port.
 */
#include "harness.h"

static int64_t mk(h_mem *m, const char *title, const char *type, const char *parent)
{
	jerry_create_spec spec;
	jerry_item *it = NULL;
	jerry_error err;
	memset(&spec, 0, sizeof(spec));
	spec.title = title;
	spec.type = type;
	spec.parent = parent;
	jerry_error_clear(&err);
	int rc = jr_app_create(&it, &m->port, &spec, &err);
	if (rc)
		fail_msg("create '%s': %s", title, err.message);
	int64_t num = it->num;
	jerry_item_free(it);
	return num;
}

static int upd(h_mem *m, const char *id, const jerry_change *c, jerry_error *err)
{
	jerry_item *it = NULL;
	jerry_error_clear(err);
	int rc = jr_app_update(&it, &m->port, id, c, err);
	if (rc)
		assert_null(it);
	else
		assert_non_null(it);
	jerry_item_free(it);
	return rc;
}

static int set_status(h_mem *m, const char *id, const char *status, jerry_error *err)
{
	jerry_change c;
	memset(&c, 0, sizeof(c));
	c.status = status;
	return upd(m, id, &c, err);
}

/* ---- create ------------------------------------------------------------------- */

static void test_create__fills_defaults_labels_and_stamps(void **state)
{
	h_mem *m = *state;
	static const char *const labels[] = {"ui", "backend", "ui"};
	jerry_create_spec spec;
	jerry_item *it = NULL;
	memset(&spec, 0, sizeof(spec));
	spec.title = "First";
	spec.labels = labels;
	spec.nlabels = 3;
	spec.assignee = "carol";
	spec.description = "why";
	assert_int_equal(jr_app_create(&it, &m->port, &spec, NULL), 0);
	assert_string_equal(it->id, "WORK-001");
	assert_int_equal(it->version, 1);
	assert_int_equal(it->type, JERRY_TYPE_TASK);
	assert_int_equal(it->priority, JERRY_PRIORITY_MEDIUM);
	assert_int_equal(it->status, JERRY_STATUS_PENDING);
	assert_int_equal(it->nlabels, 2);
	assert_string_equal(it->labels[0], "backend");
	assert_string_equal(it->labels[1], "ui");
	assert_string_equal(it->assignee, "carol");
	assert_string_equal(it->description, "why");
	assert_int_equal(it->created_at, m->now);
	assert_string_equal(it->created_by, "alice@host:1");
	jerry_item_free(it);
}

static void test_create__invalid_input_is_refused_before_allocating(void **state)
{
	h_mem *m = *state;
	static const char *const bad_labels[] = {"has space"};
	jerry_create_spec spec;
	jerry_item *it = (jerry_item *)1;
	jerry_error err;
	memset(&spec, 0, sizeof(spec));
	spec.title = "";
	assert_int_equal(jr_app_create(&it, &m->port, &spec, &err), JERRY_EINVALID);
	assert_null(it);
	spec.title = "ok";
	spec.type = "chore";
	jerry_error_clear(&err);
	assert_int_equal(jr_app_create(&it, &m->port, &spec, &err), JERRY_EINVALID);
	assert_non_null(strstr(err.message, "unknown type 'chore'"));
	assert_non_null(strstr(err.hint, "subtask"));
	spec.type = NULL;
	spec.priority = "urgent";
	assert_int_equal(jr_app_create(&it, &m->port, &spec, &err), JERRY_EINVALID);
	spec.priority = NULL;
	spec.labels = bad_labels;
	spec.nlabels = 1;
	assert_int_equal(jr_app_create(&it, &m->port, &spec, &err), JERRY_EINVALID);
	spec.nlabels = 0;
	spec.parent = "../../etc";
	assert_int_equal(jr_app_create(&it, &m->port, &spec, &err), JERRY_EINVALID);
	spec.parent = NULL;
	spec.assignee = "bob\x1b";
	assert_int_equal(jr_app_create(&it, &m->port, &spec, &err), JERRY_EINVALID);
	assert_int_equal(m->creates, 0);
	assert_int_equal(m->last_num, 0);
}

static void test_create__refused_parent_burns_no_number(void **state)
{
	h_mem *m = *state;
	jerry_create_spec spec;
	jerry_item *it = NULL;
	jerry_error err;
	int64_t epic = mk(m, "Epic", "epic", NULL);
	memset(&spec, 0, sizeof(spec));
	spec.title = "Sub";
	spec.type = "subtask";
	spec.parent = "WORK-1";
	jerry_error_clear(&err);
	assert_int_equal(jr_app_create(&it, &m->port, &spec, &err), JERRY_EREFUSED);
	assert_non_null(strstr(err.message, "cannot have a epic"));
	spec.parent = "99";
	jerry_error_clear(&err);
	assert_int_equal(jr_app_create(&it, &m->port, &spec, &err), JERRY_ENOTFOUND);
	assert_non_null(strstr(err.message, "parent 'WORK-099' does not exist"));
	spec.parent = NULL;
	jerry_error_clear(&err);
	assert_int_equal(jr_app_create(&it, &m->port, &spec, &err), JERRY_EREFUSED);
	assert_non_null(strstr(err.message, "needs a parent"));
	assert_int_equal(m->last_num, epic);
	int64_t next = mk(m, "Task", "task", "work-001");
	assert_int_equal(next, epic + 1);
	assert_int_equal(m->items[next]->parent, epic);
	int64_t sub = mk(m, "Sub", "subtask", "2");
	assert_int_equal(sub, 3);
	assert_int_equal(m->items[sub]->parent, 2);
}

/* ---- show and update ------------------------------------------------------------ */

static void test_show__parses_any_spelling_and_reports_missing(void **state)
{
	h_mem *m = *state;
	jerry_item *it = NULL;
	jerry_error err;
	mk(m, "One", NULL, NULL);
	assert_int_equal(jr_app_show(&it, &m->port, "work-001", NULL), 0);
	assert_string_equal(it->title, "One");
	jerry_item_free(it);
	jerry_error_clear(&err);
	assert_int_equal(jr_app_show(&it, &m->port, "2", &err), JERRY_ENOTFOUND);
	assert_null(it);
	assert_int_equal(jr_app_show(&it, &m->port, "WORK-", &err), JERRY_EINVALID);
}

static void test_update__if_version_conflict_reports_both_versions(void **state)
{
	h_mem *m = *state;
	jerry_change c;
	jerry_error err;
	mk(m, "One", NULL, NULL);
	memset(&c, 0, sizeof(c));
	c.title = "Two";
	assert_int_equal(upd(m, "1", &c, &err), 0);
	assert_int_equal(m->items[1]->version, 2);
	c.title = "Three";
	c.has_if_version = 1;
	c.if_version = 1;
	assert_int_equal(upd(m, "1", &c, &err), JERRY_ECONFLICT);
	assert_int_equal(err.expected_version, 1);
	assert_int_equal(err.current_version, 2);
	assert_string_equal(err.item, "WORK-001");
	assert_non_null(strstr(err.message, "version 1 is stale (now 2)"));
	assert_string_equal(m->items[1]->title, "Two");
	assert_int_equal(m->items[1]->version, 2);
	c.if_version = 2;
	assert_int_equal(upd(m, "1", &c, &err), 0);
	assert_string_equal(m->items[1]->title, "Three");
	assert_int_equal(m->items[1]->version, 3);
}

static void test_update__validates_before_touching_the_item(void **state)
{
	h_mem *m = *state;
	static const char *const bad[] = {"a,b"};
	jerry_change c;
	jerry_error err;
	mk(m, "One", NULL, NULL);
	memset(&c, 0, sizeof(c));
	c.note = "";
	assert_int_equal(upd(m, "1", &c, &err), JERRY_EINVALID);
	c.note = NULL;
	c.title = "   ";
	assert_int_equal(upd(m, "1", &c, &err), JERRY_EINVALID);
	c.title = NULL;
	c.status = "finished";
	assert_int_equal(upd(m, "1", &c, &err), JERRY_EINVALID);
	c.status = NULL;
	c.add_labels = bad;
	c.nadd_labels = 1;
	assert_int_equal(upd(m, "1", &c, &err), JERRY_EINVALID);
	c.nadd_labels = 0;
	c.parent = "1";
	assert_int_equal(upd(m, "1", &c, &err), JERRY_EREFUSED);
	assert_non_null(strstr(err.message, "its own parent"));
	assert_int_equal(m->mutates, 0);
	assert_int_equal(m->items[1]->version, 1);
}

/* No field to change (a face that dropped a misspelt one): no empty version. */
static void test_update__a_change_of_nothing_is_refused(void **state)
{
	h_mem *m = *state;
	jerry_change c;
	jerry_error err;
	mk(m, "One", NULL, NULL);
	memset(&c, 0, sizeof(c));
	c.has_if_version = 1;
	c.if_version = 1;
	c.force = 1;
	assert_int_equal(upd(m, "1", &c, &err), JERRY_EINVALID);
	assert_string_equal(err.message, "nothing to update: give at least one field to change");
	assert_int_equal(m->mutates, 0);
	assert_int_equal(m->items[1]->version, 1);
}

static void test_update__labels_fields_and_clearing(void **state)
{
	h_mem *m = *state;
	static const char *const add[] = {"zz", "aa"}, *const rm[] = {"zz", "missing"};
	jerry_change c;
	jerry_error err;
	mk(m, "One", NULL, NULL);
	memset(&c, 0, sizeof(c));
	c.add_labels = add;
	c.nadd_labels = 2;
	c.assignee = "dave";
	c.description = "text";
	c.priority = "critical";
	assert_int_equal(upd(m, "1", &c, &err), 0);
	assert_int_equal(m->items[1]->nlabels, 2);
	assert_string_equal(m->items[1]->labels[0], "aa");
	assert_int_equal(m->items[1]->priority, JERRY_PRIORITY_CRITICAL);
	memset(&c, 0, sizeof(c));
	c.remove_labels = rm;
	c.nremove_labels = 2;
	c.assignee = "";
	c.description = "";
	assert_int_equal(upd(m, "1", &c, &err), 0);
	assert_int_equal(m->items[1]->nlabels, 1);
	assert_string_equal(m->items[1]->labels[0], "aa");
	assert_null(m->items[1]->assignee);
	assert_null(m->items[1]->description);
	assert_string_equal(m->items[1]->title, "One");
	assert_int_equal(m->items[1]->priority, JERRY_PRIORITY_CRITICAL);
	assert_int_equal(m->items[1]->version, 3);
}

static void test_update__status_goes_through_the_state_machine(void **state)
{
	h_mem *m = *state;
	jerry_error err;
	mk(m, "One", NULL, NULL);
	assert_int_equal(set_status(m, "1", "done", &err), JERRY_EREFUSED);
	assert_string_equal(err.allowed, "in_progress, cancelled");
	assert_int_equal(m->items[1]->status, JERRY_STATUS_PENDING);
	assert_int_equal(set_status(m, "1", "in-progress", &err), 0);
	m->now += 1000;
	assert_int_equal(set_status(m, "1", "done", &err), 0);
	assert_int_equal(m->items[1]->completed_at, m->now);
	assert_int_equal(set_status(m, "1", "pending", &err), JERRY_EREFUSED);
	assert_int_equal(set_status(m, "1", "in_progress", &err), 0);
	assert_int_equal(m->items[1]->completed_at, 0);
	assert_int_equal(set_status(m, "1", "cancelled", &err), 0);
	assert_int_equal(set_status(m, "1", "in_progress", &err), JERRY_EREFUSED);
	assert_string_equal(err.allowed, "none");
}

static void test_update__block_reason_becomes_a_note(void **state)
{
	h_mem *m = *state;
	jerry_change c;
	jerry_error err;
	mk(m, "One", NULL, NULL);
	assert_int_equal(set_status(m, "1", "in_progress", &err), 0);
	memset(&c, 0, sizeof(c));
	c.status = "blocked";
	c.block_reason = "waiting for the API key";
	c.note = "pinged ops";
	assert_int_equal(upd(m, "1", &c, &err), 0);
	jerry_item *it = m->items[1];
	assert_int_equal(it->status, JERRY_STATUS_BLOCKED);
	assert_int_equal(it->nnotes, 2);
	assert_string_equal(it->notes[0].text, "blocked: waiting for the API key");
	assert_string_equal(it->notes[0].by, "alice@host:1");
	assert_int_equal(it->notes[0].at_ms, m->now);
	assert_string_equal(it->notes[1].text, "pinged ops");
}

static void claim(h_mem *m, int64_t num, const char *by, const char *session, int64_t until)
{
	jerry_item *it = m->items[num];
	jr_set_str(&it->claim.by, by);
	jr_set_str(&it->claim.session, session);
	it->claim.expires_ms = until;
}

static void test_claim__done_by_non_holder_is_refused_while_live(void **state)
{
	h_mem *m = *state;
	jerry_change c;
	jerry_error err;
	mk(m, "One", NULL, NULL);
	assert_int_equal(set_status(m, "1", "in_progress", &err), 0);
	claim(m, 1, "bob@host:2", "sess-b", m->now + 60000);
	int64_t before = m->items[1]->version;
	assert_int_equal(set_status(m, "1", "done", &err), JERRY_ECONFLICT);
	assert_string_equal(err.holder, "bob@host:2");
	assert_int_equal(err.holder_expires_ms, m->now + 60000);
	assert_string_equal(err.item, "WORK-001");
	assert_non_null(strstr(err.hint, "--force"));
	assert_int_equal(set_status(m, "1", "blocked", &err), JERRY_ECONFLICT);
	assert_int_equal(set_status(m, "1", "cancelled", &err), JERRY_ECONFLICT);
	assert_int_equal(m->items[1]->version, before);
	/* a note by someone else is not a status change: allowed */
	memset(&c, 0, sizeof(c));
	c.note = "fyi";
	assert_int_equal(upd(m, "1", &c, &err), 0);
	assert_string_equal(m->items[1]->claim.by, "bob@host:2");
	/* same name in another session is not the holder either */
	claim(m, 1, "alice@host:1", "other-session", m->now + 60000);
	assert_int_equal(set_status(m, "1", "done", &err), JERRY_ECONFLICT);
}

static void test_claim__force_overrides_and_is_recorded(void **state)
{
	h_mem *m = *state;
	jerry_change c;
	jerry_error err;
	mk(m, "One", NULL, NULL);
	assert_int_equal(set_status(m, "1", "in_progress", &err), 0);
	claim(m, 1, "bob@host:2", "sess-b", m->now + 60000);
	memset(&c, 0, sizeof(c));
	c.status = "blocked";
	c.force = 1;
	assert_int_equal(upd(m, "1", &c, &err), 0);
	jerry_item *it = m->items[1];
	assert_int_equal(it->status, JERRY_STATUS_BLOCKED);
	assert_int_equal(it->nnotes, 1);
	assert_string_equal(it->notes[0].text, "forced blocked while claimed by bob@host:2");
	assert_string_equal(it->claim.by, "bob@host:2"); /* blocking keeps the claim */
}

static const char *claimer_without_pid(void *ctx)
{
	(void)ctx;
	return "alice@host";
}

static void test_claim__holder_is_recognised_by_claimer_name_not_actor(void **state)
{
	h_mem *m = *state;
	jerry_error err;
	mk(m, "One", NULL, NULL);
	mk(m, "Two", NULL, NULL);
	assert_int_equal(set_status(m, "1", "in_progress", &err), 0);
	assert_int_equal(set_status(m, "2", "in_progress", &err), 0);
	m->port.claimer = claimer_without_pid;
	/* claimed under the claimer name in this session: ours */
	claim(m, 1, "alice@host", "sess-a", m->now + 60000);
	assert_int_equal(set_status(m, "1", "blocked", &err), 0);
	/* the actor name (with pid) is not the claimer any more */
	claim(m, 2, "alice@host:1", "sess-a", m->now + 60000);
	assert_int_equal(set_status(m, "2", "blocked", &err), JERRY_ECONFLICT);
	assert_string_equal(err.holder, "alice@host:1");
}

static int named_yes(void *ctx)
{
	(void)ctx;
	return 1;
}

static const char *proof_token(void *ctx)
{
	(void)ctx;
	return "ct-right";
}

/* ADR 0012: a name holds its claims from any session; a token decides alone. */
static void test_claim__a_name_holds_from_any_session_and_a_token_decides(void **state)
{
	h_mem *m = *state;
	jerry_error err;
	for (int i = 0; i < 4; i++)
		mk(m, "Item", NULL, NULL);
	static const char *const ids[] = {"1", "2", "3", "4"};
	for (int i = 0; i < 4; i++)
		assert_int_equal(set_status(m, ids[i], "in_progress", &err), 0);
	m->port.claimer = claimer_without_pid;
	/* the user@host default: another session is another claimer */
	claim(m, 1, "alice@host", "other-session", m->now + 60000);
	assert_int_equal(set_status(m, "1", "blocked", &err), JERRY_ECONFLICT);
	/* a name: the same claim, from any session */
	m->port.named = named_yes;
	assert_int_equal(set_status(m, "1", "blocked", &err), 0);
	/* ... but never another name's */
	claim(m, 2, "bob", "sess-b", m->now + 60000);
	assert_int_equal(set_status(m, "2", "done", &err), JERRY_ECONFLICT);
	assert_string_equal(err.holder, "bob");
	/* a token offered decides alone: bob's claim with the right token is ours */
	m->port.proof = proof_token;
	jr_set_str(&m->items[2]->claim.token, "ct-right");
	assert_int_equal(set_status(m, "2", "done", &err), 0);
	/* a wrong token is refused even for the name that holds the claim */
	claim(m, 3, "alice@host", "sess-a", m->now + 60000);
	jr_set_str(&m->items[3]->claim.token, "ct-other");
	int64_t before = m->items[3]->version;
	assert_int_equal(set_status(m, "3", "done", &err), JERRY_ECONFLICT);
	assert_int_equal(m->items[3]->version, before);
	/* and a token for an item that is not claimed at all */
	assert_int_equal(set_status(m, "4", "blocked", &err), JERRY_ECONFLICT);
}

static void test_claim__forced_done_is_recorded_although_done_clears_the_claim(void **state)
{
	h_mem *m = *state;
	jerry_change c;
	jerry_error err;
	mk(m, "One", NULL, NULL);
	assert_int_equal(set_status(m, "1", "in_progress", &err), 0);
	claim(m, 1, "bob@host:2", "sess-b", m->now + 60000);
	memset(&c, 0, sizeof(c));
	c.status = "done";
	c.force = 1;
	assert_int_equal(upd(m, "1", &c, &err), 0);
	jerry_item *it = m->items[1];
	assert_int_equal(it->status, JERRY_STATUS_DONE);
	assert_null(it->claim.by);
	assert_int_equal(it->nnotes, 1);
	assert_string_equal(it->notes[0].text, "forced done while claimed by bob@host:2");
}

static void test_claim__holder_and_expired_claims_do_not_block_and_done_clears(void **state)
{
	h_mem *m = *state;
	jerry_error err;
	mk(m, "One", NULL, NULL);
	mk(m, "Two", NULL, NULL);
	assert_int_equal(set_status(m, "1", "in_progress", &err), 0);
	assert_int_equal(set_status(m, "2", "in_progress", &err), 0);
	claim(m, 1, "alice@host:1", "sess-a", m->now + 60000);
	assert_int_equal(set_status(m, "1", "done", &err), 0);
	assert_null(m->items[1]->claim.by);
	assert_null(m->items[1]->claim.session);
	assert_int_equal(m->items[1]->claim.expires_ms, 0);
	claim(m, 2, "bob@host:2", "sess-b", m->now - 1);
	assert_int_equal(set_status(m, "2", "cancelled", &err), 0);
	assert_null(m->items[2]->claim.by);
}

/* ---- parents on update ------------------------------------------------------------ */

static void test_parent__update_applies_the_rules(void **state)
{
	h_mem *m = *state;
	jerry_change c;
	jerry_error err;
	mk(m, "Epic", "epic", NULL);       /* 1 */
	mk(m, "Story", "story", "1");      /* 2 */
	mk(m, "Task", "task", "2");        /* 3 */
	mk(m, "Sub", "subtask", "3");      /* 4 */
	mk(m, "Loose", "task", NULL);      /* 5 */
	memset(&c, 0, sizeof(c));
	c.parent = "4";                    /* a task under a subtask */
	assert_int_equal(upd(m, "5", &c, &err), JERRY_EREFUSED);
	assert_int_equal(m->items[5]->parent, 0);
	c.parent = "44";
	assert_int_equal(upd(m, "5", &c, &err), JERRY_ENOTFOUND);
	c.parent = "1";
	assert_int_equal(upd(m, "5", &c, &err), 0);
	assert_int_equal(m->items[5]->parent, 1);
	c.parent = "";
	assert_int_equal(upd(m, "5", &c, &err), 0);
	assert_int_equal(m->items[5]->parent, 0);
	/* a subtask cannot lose its parent */
	assert_int_equal(upd(m, "4", &c, &err), JERRY_EREFUSED);
	assert_non_null(strstr(err.message, "needs a parent"));
	assert_int_equal(m->items[4]->parent, 3);
	/* a type change is checked against the existing parent */
	memset(&c, 0, sizeof(c));
	c.type = "epic";
	assert_int_equal(upd(m, "2", &c, &err), JERRY_EREFUSED);
	assert_int_equal(m->items[2]->type, JERRY_TYPE_STORY);
	c.type = "feature";
	assert_int_equal(upd(m, "2", &c, &err), 0);
	assert_int_equal(m->items[2]->type, JERRY_TYPE_FEATURE);
}

static void test_parent__type_change_refused_when_a_child_would_be_invalid(void **state)
{
	h_mem *m = *state;
	jerry_change c;
	jerry_error err;
	mk(m, "Task", "task", NULL);       /* 1 */
	mk(m, "Sub", "subtask", "1");      /* 2 */
	memset(&c, 0, sizeof(c));
	c.type = "story";                  /* a subtask cannot sit under a story */
	assert_int_equal(upd(m, "1", &c, &err), JERRY_EREFUSED);
	assert_non_null(strstr(err.message, "its child 'WORK-002' is a subtask"));
	assert_int_equal(m->items[1]->type, JERRY_TYPE_TASK);
	c.type = "bug";                    /* but a bug may hold it */
	assert_int_equal(upd(m, "1", &c, &err), 0);
	assert_int_equal(m->items[1]->type, JERRY_TYPE_BUG);
}

/* ---- list -------------------------------------------------------------------------- */

static size_t list(h_mem *m, const jerry_filter *f, char *ids, size_t size)
{
	jerry_item **items = NULL;
	size_t n = 0, off = 0;
	jerry_error err;
	jerry_error_clear(&err);
	int rc = jr_app_list(&items, &n, &m->port, f, &err);
	if (rc)
		fail_msg("list: %s", err.message);
	ids[0] = '\0';
	for (size_t i = 0; i < n; i++)
		off += (size_t)snprintf(ids + off, size - off, "%s%lld", i ? "," : "",
					(long long)items[i]->num);
	jerry_item_array_free(items, n);
	return n;
}

/* Seven items with a spread of statuses, types, labels, owners, priorities. */
static void seed(h_mem *m)
{
	jerry_change c;
	jerry_error err;
	static const char *const l_ui[] = {"ui"}, *const l_db[] = {"db"};
	mk(m, "delta", "epic", NULL);      /* 1 pending   */
	mk(m, "alpha", "task", "1");       /* 2 in_progress, ui, high, bob */
	mk(m, "charlie", "bug", "1");      /* 3 blocked, db, critical */
	mk(m, "bravo", "task", NULL);      /* 4 done */
	mk(m, "echo", "spike", NULL);      /* 5 cancelled */
	mk(m, "foxtrot", "task", "1");     /* 6 pending, ui, low, bob */
	mk(m, "golf", "story", NULL);      /* 7 pending */
	memset(&c, 0, sizeof(c));
	c.status = "in_progress";
	c.add_labels = l_ui;
	c.nadd_labels = 1;
	c.priority = "high";
	c.assignee = "bob";
	m->now += 10;
	assert_int_equal(upd(m, "2", &c, &err), 0);
	memset(&c, 0, sizeof(c));
	c.add_labels = l_ui;
	c.nadd_labels = 1;
	c.priority = "low";
	c.assignee = "bob";
	m->now += 10;
	assert_int_equal(upd(m, "6", &c, &err), 0);
	m->now += 10;
	assert_int_equal(set_status(m, "3", "in_progress", &err), 0);
	memset(&c, 0, sizeof(c));
	c.status = "blocked";
	c.add_labels = l_db;
	c.nadd_labels = 1;
	c.priority = "critical";
	m->now += 10;
	assert_int_equal(upd(m, "3", &c, &err), 0);
	m->now += 10;
	assert_int_equal(set_status(m, "4", "in_progress", &err), 0);
	m->now += 10;
	assert_int_equal(set_status(m, "4", "done", &err), 0);
	m->now += 10;
	assert_int_equal(set_status(m, "5", "cancelled", &err), 0);
}

static void test_list__default_hides_done_and_cancelled_all_shows_them(void **state)
{
	h_mem *m = *state;
	jerry_filter f;
	char ids[256];
	seed(m);
	memset(&f, 0, sizeof(f));
	assert_int_equal(list(m, &f, ids, sizeof(ids)), 5);
	assert_string_equal(ids, "1,2,3,6,7");
	f.all = 1;
	assert_int_equal(list(m, &f, ids, sizeof(ids)), 7);
	assert_string_equal(ids, "1,2,3,4,5,6,7");
}

static void test_list__filters_combine(void **state)
{
	h_mem *m = *state;
	jerry_filter f;
	char ids[256];
	seed(m);
	memset(&f, 0, sizeof(f));
	f.statuses = "done,cancelled";
	list(m, &f, ids, sizeof(ids));
	assert_string_equal(ids, "4,5");
	f.statuses = "in-progress,blocked";
	list(m, &f, ids, sizeof(ids));
	assert_string_equal(ids, "2,3");
	memset(&f, 0, sizeof(f));
	f.type = "task";
	list(m, &f, ids, sizeof(ids));
	assert_string_equal(ids, "2,6");
	f.all = 1;
	list(m, &f, ids, sizeof(ids));
	assert_string_equal(ids, "2,4,6");
	memset(&f, 0, sizeof(f));
	f.label = "ui";
	list(m, &f, ids, sizeof(ids));
	assert_string_equal(ids, "2,6");
	f.priority = "low";
	list(m, &f, ids, sizeof(ids));
	assert_string_equal(ids, "6");
	memset(&f, 0, sizeof(f));
	f.assignee = "bob";
	list(m, &f, ids, sizeof(ids));
	assert_string_equal(ids, "2,6");
	memset(&f, 0, sizeof(f));
	f.parent = "WORK-001";
	list(m, &f, ids, sizeof(ids));
	assert_string_equal(ids, "2,3,6");
	f.label = "nothing";
	assert_int_equal(list(m, &f, ids, sizeof(ids)), 0);
}

static void test_list__sorts_and_limit(void **state)
{
	h_mem *m = *state;
	jerry_filter f;
	char ids[256];
	seed(m);
	memset(&f, 0, sizeof(f));
	f.all = 1;
	f.sort = "title";
	list(m, &f, ids, sizeof(ids));
	assert_string_equal(ids, "2,4,3,1,5,6,7");
	f.sort = "priority";        /* critical, high, medium (by id), low */
	list(m, &f, ids, sizeof(ids));
	assert_string_equal(ids, "3,2,1,4,5,7,6");
	f.sort = "status";          /* pending, in_progress, blocked, done, cancelled */
	list(m, &f, ids, sizeof(ids));
	assert_string_equal(ids, "1,6,7,2,3,4,5");
	f.sort = "updated";         /* newest first */
	list(m, &f, ids, sizeof(ids));
	assert_string_equal(ids, "5,4,3,6,2,1,7");
	f.sort = "created";         /* all at the same instant: by id */
	list(m, &f, ids, sizeof(ids));
	assert_string_equal(ids, "1,2,3,4,5,6,7");
	f.sort = "priority";
	f.limit = 2;
	assert_int_equal(list(m, &f, ids, sizeof(ids)), 2);
	assert_string_equal(ids, "3,2");
}

static void test_list__bad_filters_are_invalid(void **state)
{
	h_mem *m = *state;
	jerry_filter f;
	jerry_item **items = NULL;
	size_t n = 9;
	jerry_error err;
	seed(m);
	memset(&f, 0, sizeof(f));
	f.sort = "colour";
	assert_int_equal(jr_app_list(&items, &n, &m->port, &f, &err), JERRY_EINVALID);
	assert_null(items);
	assert_int_equal(n, 0);
	memset(&f, 0, sizeof(f));
	f.statuses = "pending,open";
	assert_int_equal(jr_app_list(&items, &n, &m->port, &f, &err), JERRY_EINVALID);
	assert_non_null(strstr(err.message, "'open'"));
	memset(&f, 0, sizeof(f));
	f.type = "chore";
	assert_int_equal(jr_app_list(&items, &n, &m->port, &f, &err), JERRY_EINVALID);
	memset(&f, 0, sizeof(f));
	f.parent = "x";
	assert_int_equal(jr_app_list(&items, &n, &m->port, &f, &err), JERRY_EINVALID);
}

/* Several values for a field: any of them; for labels all of them, or any with any_label. */
static void test_list__several_values_per_field(void **state)
{
	h_mem *m = *state;
	jerry_filter f;
	jerry_item **items = NULL;
	size_t n = 9;
	jerry_error err;
	char ids[256];
	static const char *const bug_story[] = {"bug", "story"}, *const bug[] = {"bug"};
	static const char *const ui_db[] = {"ui", "db"}, *const ui_comma_db[] = {"ui,db"};
	static const char *const crit_low[] = {"critical", "low"}, *const done[] = {"done"};
	static const char *const parents[] = {"WORK-001", "7"}, *const owners[] = {"bob", "nobody"};
	static const char *const chore[] = {"bug", "chore"};
	seed(m);
	memset(&f, 0, sizeof(f));
	f.types = bug_story;
	f.ntypes = 2;
	list(m, &f, ids, sizeof(ids));
	assert_string_equal(ids, "3,7");
	f.type = "task";                   /* the single field is one more value */
	f.types = bug;
	f.ntypes = 1;
	list(m, &f, ids, sizeof(ids));
	assert_string_equal(ids, "2,3,6");
	memset(&f, 0, sizeof(f));
	f.type = "bug,story";              /* a comma list, as statuses always were */
	list(m, &f, ids, sizeof(ids));
	assert_string_equal(ids, "3,7");
	memset(&f, 0, sizeof(f));
	f.labels = ui_db;
	f.nlabels = 2;
	assert_int_equal(list(m, &f, ids, sizeof(ids)), 0);
	f.any_label = 1;
	list(m, &f, ids, sizeof(ids));
	assert_string_equal(ids, "2,3,6");
	f.labels = ui_comma_db;
	f.nlabels = 1;
	list(m, &f, ids, sizeof(ids));
	assert_string_equal(ids, "2,3,6");
	f.any_label = 0;
	f.label = "ui";
	f.labels = NULL;
	f.nlabels = 0;
	list(m, &f, ids, sizeof(ids));
	assert_string_equal(ids, "2,6");
	memset(&f, 0, sizeof(f));
	f.priorities = crit_low;
	f.npriorities = 2;
	list(m, &f, ids, sizeof(ids));
	assert_string_equal(ids, "3,6");
	memset(&f, 0, sizeof(f));
	f.statuses = "cancelled";
	f.status_list = done;
	f.nstatus_list = 1;
	list(m, &f, ids, sizeof(ids));
	assert_string_equal(ids, "4,5");
	memset(&f, 0, sizeof(f));
	f.parents = parents;
	f.nparents = 2;
	list(m, &f, ids, sizeof(ids));
	assert_string_equal(ids, "2,3,6");
	memset(&f, 0, sizeof(f));
	f.assignees = owners;
	f.nassignees = 2;
	list(m, &f, ids, sizeof(ids));
	assert_string_equal(ids, "2,6");
	/* A bad value anywhere in a list is an error, not an empty result. */
	memset(&f, 0, sizeof(f));
	f.types = chore;
	f.ntypes = 2;
	assert_int_equal(jr_app_list(&items, &n, &m->port, &f, &err), JERRY_EINVALID);
	assert_non_null(strstr(err.message, "'chore'"));
	assert_null(items);
	f.types = NULL;
	f.ntypes = 0;
	f.label = "ui,";
	assert_int_equal(jr_app_list(&items, &n, &m->port, &f, &err), JERRY_EINVALID);
}

/* ---- the dependency graph ------------------------------------------------------ */

/* The in-memory port's scan, highest number first. */
static int scan_reversed(void *ctx, jerry_item ***out, size_t *out_n, jerry_error *err)
{
	int rc = h_mem_scan(ctx, out, out_n, err);
	for (size_t i = 0, j = *out_n; !rc && i + 1 < j; i++, j--) {
		jerry_item *t = (*out)[i];
		(*out)[i] = (*out)[j - 1];
		(*out)[j - 1] = t;
	}
	return rc;
}

static void dep(h_mem *m, const char *id, const char *on)
{
	jerry_item *it = NULL;
	jerry_error err;
	jerry_error_clear(&err);
	if (jr_app_dep_change(&it, &m->port, id, &on, 1, 1, &err))
		fail_msg("dep add %s --on %s: %s", id, on, err.message);
	jerry_item_free(it);
}

/*
 * The graph finds items by number in a sorted copy of the scan: a port
 * whose scan is not sorted gets the same cycles, tree, ready and blocked.
 */
static void test_deps__graph_does_not_rely_on_the_scan_order(void **state)
{
	h_mem *m = *state;
	jerry_item *it = NULL, **items = NULL;
	jerry_dep_node *nodes = NULL;
	jerry_error err;
	size_t n = 0;
	for (int i = 0; i < 5; i++)
		mk(m, "item", NULL, NULL);
	m->port.scan = scan_reversed;
	dep(m, "2", "1");
	dep(m, "3", "2");
	dep(m, "5", "1");
	jerry_error_clear(&err);
	const char *three = "3";
	assert_int_equal(jr_app_dep_change(&it, &m->port, "1", &three, 1, 1, &err), JERRY_EREFUSED);
	assert_null(it);
	assert_non_null(strstr(err.message, ": WORK-001 -> WORK-003 -> WORK-002 -> WORK-001"));

	assert_int_equal(jr_app_dep_tree(&nodes, &n, &m->port, "3", &err), 0);
	assert_int_equal(n, 3);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(nodes[i].item->num, 3 - (int64_t)i);
		assert_int_equal(nodes[i].depth, (int)i);
	}
	jerry_dep_nodes_free(nodes, n);

	assert_int_equal(jr_app_ready(&items, &n, &m->port, NULL, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(items[0]->num, 1);
	assert_int_equal(items[1]->num, 4);
	jerry_item_array_free(items, n);

	assert_int_equal(jr_app_blocked(&items, &n, &m->port, &err), 0);
	assert_int_equal(n, 3);
	for (size_t i = 0; i < n; i++)
		assert_true(items[i]->num == 2 || items[i]->num == 3 || items[i]->num == 5);
	jerry_item_array_free(items, n);
}

/*
 * What blocked items wait for, from one scan: the same items as
 * jr_app_blocked, each with its dependencies that are not done - a
 * missing one by number alone, a done one left out.
 */
static void test_deps__waiting_on_names_each_items_open_dependencies(void **state)
{
	h_mem *m = *state;
	jerry_waiting *w = NULL;
	jerry_error err;
	size_t n = 0;
	for (int i = 0; i < 5; i++)
		mk(m, "item", NULL, NULL);
	m->port.scan = scan_reversed;
	dep(m, "3", "1");
	dep(m, "3", "2");
	dep(m, "4", "3");
	assert_int_equal(set_status(m, "2", "in_progress", &err), 0);
	assert_int_equal(set_status(m, "2", "done", &err), 0);
	assert_int_equal(jr_depends_add(m->items[4], 42), 0);
	assert_int_equal(set_status(m, "5", "in_progress", &err), 0);
	assert_int_equal(set_status(m, "5", "blocked", &err), 0);
	jerry_error_clear(&err);
	assert_int_equal(jr_app_waiting_on(&w, &n, &m->port, &err), 0);
	assert_int_equal(n, 3);
	for (size_t i = 0; i < n; i++) {
		const jerry_waiting *x = &w[i];
		if (x->item->num == 3) {
			assert_int_equal(x->nblockers, 1);
			assert_int_equal(x->blockers[0].num, 1);
			assert_non_null(x->blockers[0].item);
			assert_int_equal(x->blockers[0].item->status, JERRY_STATUS_PENDING);
		} else if (x->item->num == 4) {
			assert_int_equal(x->nblockers, 2);
			assert_int_equal(x->blockers[0].num, 3);
			assert_string_equal(x->blockers[0].item->id, "WORK-003");
			assert_int_equal(x->blockers[1].num, 42);
			assert_null(x->blockers[1].item);
		} else {
			assert_int_equal(x->item->num, 5);
			assert_int_equal(x->item->status, JERRY_STATUS_BLOCKED);
			assert_int_equal(x->nblockers, 0);
		}
	}
	jerry_waiting_free(w, n);
	jerry_waiting_free(NULL, 0);
}

/* ---- the dependency gate ------------------------------------------------------- */

static void depend(h_mem *m, int64_t num, int64_t on)
{
	assert_int_equal(jr_depends_add(m->items[num], on), 0);
}

static int take(h_mem *m, const char *id, int flags, jerry_error *err)
{
	jerry_item *it = NULL;
	jerry_error_clear(err);
	int rc = jr_app_claim(&it, &m->port, id, 0, flags, err);
	jerry_item_free(it);
	return rc;
}

static void test_deps__start_waits_until_every_dependency_is_done(void **state)
{
	h_mem *m = *state;
	jerry_error err;
	mk(m, "One", NULL, NULL);
	mk(m, "Two", NULL, NULL);
	mk(m, "Three", NULL, NULL);
	depend(m, 1, 2);
	depend(m, 1, 3);
	assert_int_equal(set_status(m, "2", "in_progress", &err), 0);
	assert_int_equal(set_status(m, "1", "in_progress", &err), JERRY_EREFUSED);
	assert_string_equal(err.message, "cannot start 'WORK-001': it depends on WORK-002 "
					 "(in_progress) and WORK-003 (pending), which are not done");
	assert_string_equal(err.hint, "'jerry dep tree WORK-001' shows what it waits for; "
				      "--force starts it anyway");
	assert_string_equal(err.item, "WORK-001");
	assert_int_equal(err.nopen_deps, 2);
	assert_int_equal(err.open_deps[0].num, 2);
	assert_int_equal(err.open_deps[0].status, JERRY_STATUS_IN_PROGRESS);
	assert_int_equal(err.open_deps[1].num, 3);
	assert_int_equal(err.open_deps[1].status, JERRY_STATUS_PENDING);
	assert_int_equal(m->items[1]->version, 1);
	assert_int_equal(m->items[1]->status, JERRY_STATUS_PENDING);
	/* done satisfies; cancelled does not: that work was never done */
	assert_int_equal(set_status(m, "2", "done", &err), 0);
	assert_int_equal(set_status(m, "3", "cancelled", &err), 0);
	assert_int_equal(set_status(m, "1", "in_progress", &err), JERRY_EREFUSED);
	assert_string_equal(err.message, "cannot start 'WORK-001': it depends on WORK-003 "
					 "(cancelled), which is not done");
	assert_int_equal(err.nopen_deps, 1);
	assert_int_equal(jr_depends_remove(m->items[1], 3), 0);
	assert_int_equal(set_status(m, "1", "in_progress", &err), 0);
	assert_int_equal(m->items[1]->nnotes, 0);
}

static void test_deps__resuming_blocked_is_gated_reopen_and_other_moves_are_not(void **state)
{
	h_mem *m = *state;
	jerry_change c;
	jerry_error err;
	mk(m, "One", NULL, NULL);
	mk(m, "Two", NULL, NULL);
	assert_int_equal(set_status(m, "1", "in_progress", &err), 0);
	depend(m, 1, 2);
	assert_int_equal(set_status(m, "1", "blocked", &err), 0);
	assert_int_equal(set_status(m, "1", "in_progress", &err), JERRY_EREFUSED);
	assert_non_null(strstr(err.message, "WORK-002 (pending)"));
	/* other fields change freely while it waits */
	memset(&c, 0, sizeof(c));
	c.title = "Renamed";
	assert_int_equal(upd(m, "1", &c, &err), 0);
	assert_int_equal(set_status(m, "1", "cancelled", &err), 0);
	/* a reopen is no start: the item was done already */
	mk(m, "Three", NULL, NULL);
	assert_int_equal(set_status(m, "3", "in_progress", &err), 0);
	assert_int_equal(set_status(m, "3", "done", &err), 0);
	depend(m, 3, 2);
	memset(&c, 0, sizeof(c));
	c.status = "in_progress";
	c.from_status = "done";
	assert_int_equal(upd(m, "3", &c, &err), 0);
	assert_int_equal(m->items[3]->status, JERRY_STATUS_IN_PROGRESS);
}

static void test_deps__missing_dependency_is_open(void **state)
{
	h_mem *m = *state;
	jerry_error err;
	mk(m, "One", NULL, NULL);
	depend(m, 1, 42);
	assert_int_equal(set_status(m, "1", "in_progress", &err), JERRY_EREFUSED);
	assert_non_null(strstr(err.message, "WORK-042 (missing), which is not done"));
	assert_int_equal(err.open_deps[0].status, -1);
}

static void test_deps__force_starts_and_is_recorded_as_a_note(void **state)
{
	h_mem *m = *state;
	jerry_change c;
	jerry_error err;
	mk(m, "One", NULL, NULL);
	mk(m, "Two", NULL, NULL);
	depend(m, 1, 2);
	memset(&c, 0, sizeof(c));
	c.status = "in_progress";
	c.force = 1;
	assert_int_equal(upd(m, "1", &c, &err), 0);
	jerry_item *it = m->items[1];
	assert_int_equal(it->status, JERRY_STATUS_IN_PROGRESS);
	assert_int_equal(it->nnotes, 1);
	assert_string_equal(it->notes[0].text, "forced start although it waits on WORK-002 (pending)");
	assert_string_equal(it->notes[0].by, "alice@host:1");
	/* nothing to override, nothing recorded */
	mk(m, "Three", NULL, NULL);
	assert_int_equal(upd(m, "3", &c, &err), 0);
	assert_int_equal(m->items[3]->nnotes, 0);
}

static void test_deps__claim_of_a_pending_item_is_gated(void **state)
{
	h_mem *m = *state;
	jerry_error err;
	mk(m, "One", NULL, NULL);
	mk(m, "Two", NULL, NULL);
	mk(m, "Three", NULL, NULL);
	depend(m, 1, 2);
	assert_int_equal(take(m, "1", 0, &err), JERRY_EREFUSED);
	assert_string_equal(err.message, "cannot claim 'WORK-001': it depends on WORK-002 "
					 "(pending), which is not done");
	assert_non_null(strstr(err.hint, "--force claims it anyway"));
	assert_int_equal(err.nopen_deps, 1);
	assert_null(m->items[1]->claim.by);
	assert_int_equal(m->items[1]->version, 1);
	assert_int_equal(take(m, "1", JERRY_CLAIM_FORCE, &err), 0);
	assert_int_equal(m->items[1]->status, JERRY_STATUS_IN_PROGRESS);
	assert_string_equal(m->items[1]->claim.by, "alice@host:1");
	assert_string_equal(m->items[1]->notes[0].text,
			    "forced claim although it waits on WORK-002 (pending)");
	/* renewing a claim starts nothing: no gate, no second note */
	assert_int_equal(take(m, "1", 0, &err), 0);
	assert_int_equal(m->items[1]->nnotes, 1);
	/* a claim of an item already in progress starts nothing either */
	assert_int_equal(set_status(m, "3", "in_progress", &err), 0);
	depend(m, 3, 2);
	assert_int_equal(take(m, "3", 0, &err), 0);
}

/* ---- containers are not work ------------------------------------------------------ */

static size_t ready_nums(h_mem *m, int containers, int64_t *nums, size_t max)
{
	jerry_filter f;
	jerry_item **items = NULL;
	jerry_error err;
	size_t n = 0;
	memset(&f, 0, sizeof(f));
	f.containers = containers;
	jerry_error_clear(&err);
	assert_int_equal(jr_app_ready(&items, &n, &m->port, &f, &err), 0);
	assert_true(n <= max);
	for (size_t i = 0; i < n; i++)
		nums[i] = items[i]->num;
	jerry_item_array_free(items, n);
	return n;
}

static void test_containers__ready_and_claim_next_hand_out_only_work(void **state)
{
	h_mem *m = *state;
	jerry_error err;
	jerry_item *it = NULL;
	int64_t nums[8];
	mk(m, "Epic", "epic", NULL);          /* 1 */
	mk(m, "Feature", "feature", "1");     /* 2 */
	mk(m, "Story", "story", "2");         /* 3: has an open task */
	mk(m, "Task", "task", "3");           /* 4 */
	mk(m, "Lone story", "story", "2");    /* 5: no children, work */
	assert_int_equal(ready_nums(m, 0, nums, 8), 2);
	assert_int_equal(nums[0], 4);
	assert_int_equal(nums[1], 5);
	/* asked for, every pending item is shown */
	assert_int_equal(ready_nums(m, 1, nums, 8), 5);
	/* claim --next walks the same list: the epic, created first, is not taken */
	jerry_error_clear(&err);
	assert_int_equal(jr_app_claim_next(&it, &m->port, NULL, 0, &err), 0);
	assert_int_equal(it->num, 4);
	jerry_item_free(it);
	/* the story's last open child done: the story is work again */
	assert_int_equal(set_status(m, "4", "done", &err), 0);
	assert_int_equal(ready_nums(m, 0, nums, 8), 2);
	assert_int_equal(nums[0], 3);
	assert_int_equal(nums[1], 5);
	/* a cancelled child is closed too */
	mk(m, "Dropped", "task", "5");        /* 6 */
	assert_int_equal(ready_nums(m, 0, nums, 8), 2);
	assert_int_equal(nums[1], 6);
	assert_int_equal(set_status(m, "6", "cancelled", &err), 0);
	assert_int_equal(ready_nums(m, 0, nums, 8), 2);
	assert_int_equal(nums[1], 5);
}

static void test_containers__done_with_open_items_below_is_refused_unless_forced(void **state)
{
	h_mem *m = *state;
	jerry_error err;
	jerry_change c;
	mk(m, "Story", "story", NULL);        /* 1 */
	mk(m, "Task", "task", "1");           /* 2 */
	mk(m, "Sub", "subtask", "2");         /* 3 */
	mk(m, "Other task", "task", "1");     /* 4 */
	assert_int_equal(set_status(m, "1", "in_progress", &err), 0);
	assert_int_equal(set_status(m, "1", "done", &err), JERRY_EREFUSED);
	assert_string_equal(err.message, "cannot finish 'WORK-001': 3 items below it are open: "
					 "WORK-002 (pending), WORK-003 (pending) and WORK-004 (pending)");
	assert_int_equal(err.nopen_descendants, 3);
	assert_int_equal(err.open_descendants[1].num, 3);
	assert_int_equal(err.open_descendants[1].status, JERRY_STATUS_PENDING);
	assert_int_equal(m->items[1]->status, JERRY_STATUS_IN_PROGRESS);
	/* a grandchild open under a child forced done still counts */
	assert_int_equal(set_status(m, "4", "cancelled", &err), 0);
	assert_int_equal(set_status(m, "2", "in_progress", &err), 0);
	memset(&c, 0, sizeof(c));
	c.status = "done";
	c.force = 1;
	assert_int_equal(upd(m, "2", &c, &err), 0);
	assert_string_equal(m->items[2]->notes[0].text,
			    "forced done although this item below it is open: WORK-003 (pending)");
	assert_int_equal(set_status(m, "1", "done", &err), JERRY_EREFUSED);
	assert_int_equal(err.nopen_descendants, 1);
	assert_int_equal(err.open_descendants[0].num, 3);
	assert_int_equal(set_status(m, "3", "cancelled", &err), 0);
	assert_int_equal(set_status(m, "1", "done", &err), 0);
}

static void test_containers__cancel_cascades_only_when_asked(void **state)
{
	h_mem *m = *state;
	jerry_error err;
	jerry_change c;
	jerry_item *it = NULL;
	int64_t *below = NULL;
	size_t nbelow = 0;
	mk(m, "Feature", "feature", NULL);    /* 1 */
	mk(m, "Story", "story", "1");         /* 2 */
	mk(m, "Task", "task", "2");           /* 3 */
	mk(m, "Done task", "task", "2");      /* 4 */
	assert_int_equal(set_status(m, "4", "in_progress", &err), 0);
	assert_int_equal(set_status(m, "4", "done", &err), 0);
	assert_int_equal(set_status(m, "1", "cancelled", &err), JERRY_EREFUSED);
	assert_non_null(strstr(err.hint, "--cascade"));
	/* someone else's live claim below refuses the cascade, nothing changed */
	assert_int_equal(jr_set_str(&m->items[3]->claim.by, "bob"), 0);
	assert_int_equal(jr_set_str(&m->items[3]->claim.session, "s9"), 0);
	m->items[3]->claim.expires_ms = m->now + 60000;
	memset(&c, 0, sizeof(c));
	c.status = "cancelled";
	c.cascade = 1;
	jerry_error_clear(&err);
	assert_int_equal(jr_app_update_cascade(&it, &below, &nbelow, &m->port, "1", &c, &err),
			 JERRY_ECONFLICT);
	assert_null(it);
	assert_string_equal(err.holder, "bob");
	assert_int_equal(m->items[1]->status, JERRY_STATUS_PENDING);
	assert_int_equal(m->items[3]->status, JERRY_STATUS_PENDING);
	jr_claim_clear(m->items[3]);
	assert_int_equal(jr_app_update_cascade(&it, &below, &nbelow, &m->port, "1", &c, &err), 0);
	assert_int_equal(it->status, JERRY_STATUS_CANCELLED);
	jerry_item_free(it);
	assert_int_equal(nbelow, 2);
	assert_int_equal(below[0], 2);
	assert_int_equal(below[1], 3);
	free(below);
	assert_int_equal(m->items[2]->status, JERRY_STATUS_CANCELLED);
	assert_int_equal(m->items[3]->status, JERRY_STATUS_CANCELLED);
	assert_string_equal(m->items[3]->notes[0].text, "cancelled with WORK-001 (--cascade)");
	assert_int_equal(m->items[4]->status, JERRY_STATUS_DONE);
	/* --cascade means nothing but with cancel */
	mk(m, "Loose", "task", NULL);         /* 5 */
	c.status = "done";
	assert_int_equal(upd(m, "5", &c, &err), JERRY_EINVALID);
	/* --force cancels the parent alone, recorded */
	mk(m, "Epic", "epic", NULL);          /* 6 */
	mk(m, "Open feature", "feature", "6"); /* 7 */
	memset(&c, 0, sizeof(c));
	c.status = "cancelled";
	c.force = 1;
	assert_int_equal(upd(m, "6", &c, &err), 0);
	assert_int_equal(m->items[7]->status, JERRY_STATUS_PENDING);
	assert_non_null(strstr(m->items[6]->notes[0].text, "forced cancelled although"));
}

static void test_containers__the_parent_to_close_is_named_never_closed(void **state)
{
	h_mem *m = *state;
	jerry_error err;
	jerry_item **items = NULL;
	size_t n = 0;
	jerry_item *parent = NULL;
	mk(m, "Story", "story", NULL);        /* 1 */
	mk(m, "Task", "task", "1");           /* 2 */
	mk(m, "Bug", "bug", "1");             /* 3 */
	assert_int_equal(set_status(m, "2", "cancelled", &err), 0);
	assert_int_equal(jr_app_parent_closable(&parent, &m->port, m->items[2], &err), 0);
	assert_null(parent);
	assert_int_equal(jr_app_closable(&items, &n, &m->port, &err), 0);
	assert_int_equal(n, 0);
	jerry_item_array_free(items, n);
	assert_int_equal(set_status(m, "3", "in_progress", &err), 0);
	assert_int_equal(set_status(m, "3", "done", &err), 0);
	assert_int_equal(jr_app_parent_closable(&parent, &m->port, m->items[3], &err), 0);
	assert_non_null(parent);
	assert_int_equal(parent->num, 1);
	assert_int_equal(parent->status, JERRY_STATUS_PENDING);
	jerry_item_free(parent);
	assert_int_equal(m->items[1]->status, JERRY_STATUS_PENDING);
	assert_int_equal(jr_app_closable(&items, &n, &m->port, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(items[0]->num, 1);
	jerry_item_array_free(items, n);
	/* an open item is no reason, and a closed parent needs no closing */
	assert_int_equal(jr_app_parent_closable(&parent, &m->port, m->items[1], &err), 0);
	assert_null(parent);
	assert_int_equal(set_status(m, "1", "cancelled", &err), 0);
	assert_int_equal(jr_app_parent_closable(&parent, &m->port, m->items[3], &err), 0);
	assert_null(parent);
	assert_int_equal(jr_app_closable(&items, &n, &m->port, &err), 0);
	assert_int_equal(n, 0);
	jerry_item_array_free(items, n);
}

/* ---- the brief: what summary, prime and jerry mcp show (brief.c) ----------------- */

static void test_brief__counts_lists_and_the_text_agree(void **state)
{
	h_mem *m = *state;
	jerry_error err;
	jerry_brief b;
	char *text = NULL;
	mk(m, "Story", "story", NULL);            /* 1: a parent to close */
	mk(m, "Done task", "task", "1");          /* 2 */
	mk(m, "Mine", "task", NULL);              /* 3: claimed by alice */
	mk(m, "Theirs", "task", NULL);            /* 4: claimed by bob, lease ended */
	mk(m, "Waits", "task", NULL);             /* 5: waits on 4 */
	m->now += 1000;
	mk(m, "Old is new", "task", NULL);        /* 6: ready */
	jerry_error_clear(&err);
	assert_int_equal(set_status(m, "2", "in_progress", &err), 0);
	assert_int_equal(set_status(m, "2", "done", &err), 0);
	assert_int_equal(set_status(m, "3", "in_progress", &err), 0);
	assert_int_equal(set_status(m, "4", "in_progress", &err), 0);
	claim(m, 3, "alice@host:1", "sess-a", m->now + 60000);
	claim(m, 4, "bob@host:2", "sess-b", m->now - 1);
	dep(m, "5", "4");
	m->now += 1000;
	m->items[6]->updated_at = m->now;         /* the newest change */

	assert_int_equal(jr_app_brief(&b, &m->port, 0, &err), JERRY_EINVALID);
	assert_int_equal(jr_app_brief(&b, &m->port, 1500, &err), 0);
	assert_int_equal(b.total, 6);
	assert_int_equal(b.counts[JERRY_STATUS_PENDING], 3);
	assert_int_equal(b.counts[JERRY_STATUS_IN_PROGRESS], 2);
	assert_int_equal(b.counts[JERRY_STATUS_DONE], 1);
	/* only what changed in the last 1.5 s, newest first */
	assert_true(b.nchanged >= 1);
	assert_int_equal(b.changed[0]->num, 6);
	for (size_t i = 0; i < b.nchanged; i++)
		assert_true(b.changed[i]->updated_at >= b.since);
	assert_int_equal(b.nclaimed, 2);
	assert_int_equal(b.claimed[0]->num, 3);
	assert_int_equal(b.nstale, 1);
	assert_int_equal(b.stale[0]->num, 4);
	assert_int_equal(b.nclosable, 1);
	assert_int_equal(b.closable[0]->num, 1);
	assert_int_equal(b.nblocked, 1);
	/* the waiting item is not ready */
	for (size_t i = 0; i < b.nready; i++)
		assert_true(b.ready[i]->num != 5);

	assert_int_equal(jr_app_brief_text(&text, &b, "alice@host:1", 5, &err), 0);
	assert_non_null(strstr(text, "## Now (you are alice@host:1)\nitems: 6 (pending 3, "));
	assert_non_null(strstr(text, "your claims:\n  WORK-003  in_progress  by alice@host:1 until "));
	assert_non_null(strstr(text, "claimed by others:\n  WORK-004  in_progress  by bob@host:2"));
	assert_non_null(strstr(text, "[expired]\nstale claims"));
	assert_non_null(strstr(text, "ready, best first:\n  WORK-"));
	free(text);
	/* a list cut at one row says how many more */
	assert_int_equal(jr_app_brief_text(&text, &b, "nobody", 1, &err), 0);
	assert_non_null(strstr(text, "your claims:\n  (none)\nclaimed by others:\n  WORK-003"));
	assert_non_null(strstr(text, "  ... and 1 more\n"));
	free(text);
	jr_app_brief_release(&b);
	jr_app_brief_release(NULL);
}

/* ---- the pool: stale claims and assignments (issue 10) ------------------------ */

/* claim --next as the port's claimer; the item's ID, or "" with the error code. */
static int next(h_mem *m, const jerry_filter *f, char *id, jerry_error *err)
{
	jerry_item *it = NULL;
	jerry_error_clear(err);
	int rc = jr_app_claim_next(&it, &m->port, f, 1000, err);
	snprintf(id, 24, "%s", it ? it->id : "");
	jerry_item_free(it);
	return rc;
}

/* A page that showed version N releases only while the item is at N. */
static void test_release__if_version_refuses_a_changed_item(void **state)
{
	h_mem *m = *state;
	jerry_error err;
	jerry_item *it = NULL;
	mk(m, "Task", "task", NULL);
	jerry_error_clear(&err);
	assert_int_equal(set_status(m, "1", "in_progress", &err), 0);
	claim(m, 1, "alice@host:1", "sess-a", m->now + 60000);
	int64_t v = m->items[1]->version;
	jerry_error_clear(&err);
	assert_int_equal(jr_app_release(&it, &m->port, "1", 0, v - 1, &err), JERRY_ECONFLICT);
	assert_null(it);
	assert_int_equal(err.expected_version, v - 1);
	assert_int_equal(err.current_version, v);
	assert_string_equal(err.item, "WORK-001");
	assert_non_null(m->items[1]->claim.by);
	assert_int_equal(m->items[1]->version, v);
	jerry_error_clear(&err);
	assert_int_equal(jr_app_release(&it, &m->port, "1", 0, v, &err), 0);
	assert_int_equal(it->status, JERRY_STATUS_PENDING);
	assert_null(it->claim.by);
	jerry_item_free(it);
}

static void test_pool__stale_claim_is_ready_and_taken_over_in_priority_order(void **state)
{
	h_mem *m = *state;
	jerry_change c;
	jerry_error err;
	jerry_item **items = NULL;
	size_t n = 0;
	char id[24];
	mk(m, "Critical", NULL, NULL);
	mk(m, "Low", NULL, NULL);
	memset(&c, 0, sizeof(c));
	c.priority = "critical";
	assert_int_equal(upd(m, "1", &c, &err), 0);
	c.priority = "low";
	assert_int_equal(upd(m, "2", &c, &err), 0);
	assert_int_equal(next(m, NULL, id, &err), 0);
	assert_string_equal(id, "WORK-001");
	/* live: not ready, and bob gets the low one */
	m->actor = "bob@host:2";
	m->session = "sess-b";
	assert_int_equal(jr_app_ready(&items, &n, &m->port, NULL, &err), 0);
	assert_int_equal(n, 1);
	jerry_item_array_free(items, n);
	/* the lease ends: the critical one is ready again, first */
	m->now += 1000;
	assert_int_equal(jr_app_ready(&items, &n, &m->port, NULL, &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(items[0]->id, "WORK-001");
	assert_int_equal(items[0]->status, JERRY_STATUS_IN_PROGRESS);
	jerry_item_array_free(items, n);
	assert_int_equal(next(m, NULL, id, &err), 0);
	assert_string_equal(id, "WORK-001");
	const jerry_item *it = m->items[1];
	assert_string_equal(it->claim.by, "bob@host:2");
	assert_string_equal(it->assignee, "bob@host:2");
	assert_int_equal(it->nnotes, 1);
	assert_string_equal(it->notes[0].text,
			    "reclaimed from alice@host:1 (lease expired at 2026-01-01T00:00:01.000Z)");
	/* --skip passes the low one by */
	const char *skip[] = {"2"};
	jerry_filter f;
	memset(&f, 0, sizeof(f));
	f.skip = skip;
	f.nskip = 1;
	assert_int_equal(next(m, &f, id, &err), JERRY_ENOTFOUND);
	assert_int_equal(next(m, NULL, id, &err), 0);
	assert_string_equal(id, "WORK-002");
}

static void test_pool__claim_next_respects_assignments_but_not_a_stale_claims(void **state)
{
	h_mem *m = *state;
	jerry_change c;
	jerry_error err;
	jerry_item **items = NULL;
	size_t n = 0;
	char id[24];
	mk(m, "Dana's", NULL, NULL);
	mk(m, "Alice's by claim", NULL, NULL);
	memset(&c, 0, sizeof(c));
	c.assignee = "dana";
	assert_int_equal(upd(m, "1", &c, &err), 0);
	assert_int_equal(take(m, "2", 0, &err), 0);
	m->now += JERRY_DEFAULT_LEASE_MS;
	m->actor = "bob@host:2";
	m->session = "sess-b";
	/* ready --unassigned: the stale claim's assignee counts as none */
	jerry_filter f;
	memset(&f, 0, sizeof(f));
	f.unassigned = 1;
	assert_int_equal(jr_app_ready(&items, &n, &m->port, &f, &err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(items[0]->id, "WORK-002");
	jerry_item_array_free(items, n);
	/* claim --next takes the stale one, never dana's ... */
	assert_int_equal(next(m, NULL, id, &err), 0);
	assert_string_equal(id, "WORK-002");
	assert_int_equal(next(m, NULL, id, &err), JERRY_ENOTFOUND);
	assert_non_null(strstr(err.hint, "--any"));
	assert_null(m->items[1]->claim.by);
	/* ... unless --any; --mine is dana's own view */
	memset(&f, 0, sizeof(f));
	f.mine = 1;
	m->actor = "dana";
	assert_int_equal(jr_app_ready(&items, &n, &m->port, &f, &err), 0);
	assert_int_equal(n, 1);
	jerry_item_array_free(items, n);
	m->actor = "bob@host:2";
	assert_int_equal(jr_app_ready(&items, &n, &m->port, &f, &err), 0);
	assert_int_equal(n, 0);
	jerry_item_array_free(items, n);
	memset(&f, 0, sizeof(f));
	f.any_assignee = 1;
	assert_int_equal(next(m, &f, id, &err), 0);
	assert_string_equal(id, "WORK-001");
}

/* ---- history and check: the store's records, behind the port ------------------- */

static void test_history__any_spelling_oldest_first_missing_item_refused(void **state)
{
	h_mem *m = *state;
	jerry_history_entry *h = NULL;
	size_t n = 0;
	jerry_error err;
	mk(m, "Recorded", NULL, NULL);
	m->now += 5;
	assert_int_equal(set_status(m, "1", "in_progress", &err), 0);
	m->actor = "bob@host:2";
	assert_int_equal(set_status(m, "WORK-1", "done", &err), 0);
	jerry_error_clear(&err);
	assert_int_equal(jr_app_history(&h, &n, &m->port, "work-001", &err), 0);
	assert_int_equal(n, 3);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(h[i].version, (int64_t)i + 1);
	assert_string_equal(h[0].op, "create");
	assert_string_equal(h[2].op, "update");
	assert_string_equal(h[2].by, "bob@host:2");
	assert_int_equal(h[1].at_ms, m->now);
	jerry_history_free(h, n);
	/* no item, no history: the port is never asked */
	h = (jerry_history_entry *)&n;
	assert_int_equal(jr_app_history(&h, &n, &m->port, "WORK-042", &err), JERRY_ENOTFOUND);
	assert_null(h);
	assert_int_equal(n, 0);
	assert_int_equal(jr_app_history(&h, &n, &m->port, "bogus", &err), JERRY_EINVALID);
	assert_null(h);
}

static void test_history__a_port_without_history_has_none_for_a_real_item(void **state)
{
	h_mem *m = *state;
	jerry_history_entry *h = NULL;
	size_t n = 7;
	jerry_error err;
	mk(m, "Unrecorded", NULL, NULL);
	m->port.history = NULL;
	jerry_error_clear(&err);
	assert_int_equal(jr_app_history(&h, &n, &m->port, "1", &err), 0);
	assert_int_equal(n, 0);
	jerry_history_free(h, n);
	assert_int_equal(jr_app_history(&h, &n, &m->port, "2", &err), JERRY_ENOTFOUND);
	assert_string_equal(err.message, "no item 'WORK-002'");
}

/* ---- log: every change, newest first, over the port ------------------------------ */

/*
 * Three items changed at three times by two actors:
 *   t0    WORK-001 created (alice)    t0+10 WORK-002 created (alice)
 *   t0+20 WORK-001 started (bob)      t0+30 WORK-003 created (bob)
 *   t0+40 WORK-002 started (alice)
 * Newest item first: WORK-002 (t0+40), WORK-003 (t0+30), WORK-001 (t0+20).
 */
static int64_t log_three(h_mem *m)
{
	jerry_error err;
	int64_t t0 = m->now;
	mk(m, "One", NULL, NULL);
	m->now = t0 + 10;
	mk(m, "Two", NULL, NULL);
	m->now = t0 + 20;
	m->actor = "bob@host:2";
	assert_int_equal(set_status(m, "1", "in_progress", &err), 0);
	m->now = t0 + 30;
	mk(m, "Three", NULL, NULL);
	m->now = t0 + 40;
	m->actor = "alice@host:1";
	assert_int_equal(set_status(m, "2", "in_progress", &err), 0);
	m->history_reads = 0;
	return t0;
}

static void test_log__newest_first_across_items_with_since_and_by(void **state)
{
	h_mem *m = *state;
	int64_t t0 = log_three(m);
	jerry_log_query q;
	jerry_log_entry *e = NULL;
	size_t n = 0;
	jerry_error err;
	memset(&q, 0, sizeof(q));
	jerry_error_clear(&err);
	assert_int_equal(jr_app_log(&e, &n, &m->port, &q, &err), 0);
	assert_int_equal(n, 5);
	/* every change, newest first, whichever item it belongs to */
	const int64_t nums[] = {2, 3, 1, 2, 1}, vers[] = {2, 1, 2, 1, 1};
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(e[i].num, nums[i]);
		assert_int_equal(e[i].change.version, vers[i]);
		assert_int_equal(e[i].change.at_ms, t0 + 40 - 10 * (int64_t)i);
	}
	assert_string_equal(e[0].id, "WORK-002");
	assert_string_equal(e[2].change.by, "bob@host:2");
	assert_string_equal(e[4].change.op, "create");
	jerry_log_free(e, n);
	/* --since: the changes at or after it, of every item that has one */
	q.since_ms = t0 + 20;
	assert_int_equal(jr_app_log(&e, &n, &m->port, &q, &err), 0);
	assert_int_equal(n, 3);
	assert_int_equal(e[2].num, 1);
	assert_int_equal(e[2].change.at_ms, t0 + 20);
	jerry_log_free(e, n);
	/* --by: any of the names given */
	const char *bob[] = {"nobody", "bob@host:2"};
	q.since_ms = 0;
	q.by = bob;
	q.nby = 2;
	assert_int_equal(jr_app_log(&e, &n, &m->port, &q, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(e[0].num, 3);
	assert_int_equal(e[1].num, 1);
	assert_string_equal(e[1].change.by, "bob@host:2");
	jerry_log_free(e, n);
}

static void test_log__items_in_any_spelling_and_an_unknown_one_refused(void **state)
{
	h_mem *m = *state;
	int64_t t0 = log_three(m);
	jerry_log_query q;
	jerry_log_entry *e = NULL;
	size_t n = 0;
	jerry_error err;
	const char *one[] = {"work-1"}, *outside[] = {"WORK-003", "1"}, *missing[] = {"1", "WORK-042"},
		   *bogus[] = {"bogus"};
	memset(&q, 0, sizeof(q));
	jerry_error_clear(&err);
	q.items = one;
	q.nitems = 1;
	assert_int_equal(jr_app_log(&e, &n, &m->port, &q, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(e[0].num, 1);
	assert_int_equal(e[0].change.version, 2);
	assert_int_equal(e[1].change.version, 1);
	jerry_log_free(e, n);
	/* an item that exists but changed before the window: no entry, no error */
	q.items = outside;
	q.nitems = 2;
	q.since_ms = t0 + 35;
	assert_int_equal(jr_app_log(&e, &n, &m->port, &q, &err), 0);
	assert_int_equal(n, 0);
	jerry_log_free(e, n);
	q.items = missing;
	e = (jerry_log_entry *)&n;
	assert_int_equal(jr_app_log(&e, &n, &m->port, &q, &err), JERRY_ENOTFOUND);
	assert_null(e);
	assert_int_equal(n, 0);
	assert_string_equal(err.message, "no item 'WORK-042'");
	q.items = bogus;
	q.nitems = 1;
	assert_int_equal(jr_app_log(&e, &n, &m->port, &q, &err), JERRY_EINVALID);
	assert_null(e);
}

static void test_log__reads_the_window_only_and_stops_at_the_limit(void **state)
{
	h_mem *m = *state;
	int64_t t0 = log_three(m);
	jerry_log_query q;
	jerry_log_entry *e = NULL;
	size_t n = 0;
	jerry_error err;
	memset(&q, 0, sizeof(q));
	jerry_error_clear(&err);
	/* WORK-001 (updated t0+20) cannot hold a change after t0+25: never read */
	q.since_ms = t0 + 25;
	assert_int_equal(jr_app_log(&e, &n, &m->port, &q, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(m->history_reads, 2);
	jerry_log_free(e, n);
	/* --limit 1: WORK-002's newest (t0+40) beats all of WORK-003 (t0+30) */
	m->history_reads = 0;
	q.since_ms = 0;
	q.limit = 1;
	assert_int_equal(jr_app_log(&e, &n, &m->port, &q, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(e[0].num, 2);
	assert_int_equal(e[0].change.version, 2);
	assert_int_equal(m->history_reads, 1);
	jerry_log_free(e, n);
	/* --limit 3: WORK-001's t0+20 change is third, so all three are read */
	m->history_reads = 0;
	q.limit = 3;
	assert_int_equal(jr_app_log(&e, &n, &m->port, &q, &err), 0);
	assert_int_equal(n, 3);
	assert_int_equal(e[2].num, 1);
	assert_int_equal(e[2].change.at_ms, t0 + 20);
	assert_int_equal(m->history_reads, 3);
	jerry_log_free(e, n);
}

static void test_log__a_port_without_history_has_an_empty_log(void **state)
{
	h_mem *m = *state;
	jerry_log_query q;
	jerry_log_entry *e = NULL;
	size_t n = 7;
	jerry_error err;
	const char *missing[] = {"WORK-042"};
	log_three(m);
	m->port.history_each = NULL;
	memset(&q, 0, sizeof(q));
	jerry_error_clear(&err);
	assert_int_equal(jr_app_log(&e, &n, &m->port, &q, &err), 0);
	assert_int_equal(n, 0);
	jerry_log_free(e, n);
	/* an item that is not there is still refused */
	q.items = missing;
	q.nitems = 1;
	assert_int_equal(jr_app_log(&e, &n, &m->port, &q, &err), JERRY_ENOTFOUND);
}

struct export_seen {
	int64_t nums[400];
	size_t nh[400];
	size_t n;
	size_t stop_at;              /* 0: never stop */
};

static int export_collect(void *arg, const jerry_item *item, const jerry_history_entry *h,
			  size_t nh, jerry_error *err)
{
	struct export_seen *s = arg;
	(void)err;
	assert_true(s->n < 400);
	assert_false(item->is_summary);
	assert_true(nh == 0 || h != NULL);
	s->nums[s->n] = item->num;
	s->nh[s->n++] = nh;
	return s->stop_at && s->n == s->stop_at ? 1 : 0;
}

static void test_export__every_item_in_order_filtered_with_history_in_batches(void **state)
{
	h_mem *m = *state;
	struct export_seen *s = calloc(1, sizeof(*s));
	jerry_filter f;
	jerry_error err;
	size_t count = 0;
	assert_non_null(s);
	/* More than one batch of history (256 items) */
	for (int i = 0; i < 300; i++)
		mk(m, "Item", i % 3 ? "task" : "bug", NULL);
	assert_int_equal(set_status(m, "2", "in_progress", &err), 0);
	memset(&f, 0, sizeof(f));
	f.all = 1;
	assert_int_equal(jr_app_export(&count, &m->port, &f, 1, export_collect, s, &err), 0);
	assert_int_equal(count, 300);
	assert_int_equal(s->n, 300);
	for (size_t i = 0; i < 300; i++) {
		assert_int_equal(s->nums[i], (int64_t)i + 1);
		assert_int_equal(s->nh[i], i == 1 ? 2 : 1);
	}
	assert_int_equal(m->history_reads, 300);
	/* the filter of list: bugs only, in progress ones only, no history read */
	memset(s, 0, sizeof(*s));
	m->history_reads = 0;
	f.type = "bug";
	assert_int_equal(jr_app_export(&count, &m->port, &f, 0, export_collect, s, &err), 0);
	assert_int_equal(count, 100);
	assert_int_equal(s->nums[1], 4);
	assert_int_equal(s->nh[1], 0);
	assert_int_equal(m->history_reads, 0);
	memset(s, 0, sizeof(*s));
	memset(&f, 0, sizeof(f));
	f.statuses = "in_progress";
	assert_int_equal(jr_app_export(&count, &m->port, &f, 0, export_collect, s, &err), 0);
	assert_int_equal(count, 1);
	assert_int_equal(s->nums[0], 2);
	/* fn stops it: nothing after */
	memset(s, 0, sizeof(*s));
	memset(&f, 0, sizeof(f));
	s->stop_at = 5;
	assert_int_equal(jr_app_export(&count, &m->port, &f, 0, export_collect, s, &err), 0);
	assert_int_equal(s->n, 5);
	/* a bad filter is refused before anything goes out */
	memset(s, 0, sizeof(*s));
	f.type = "nope";
	assert_int_equal(jr_app_export(&count, &m->port, &f, 0, export_collect, s, &err),
			 JERRY_EINVALID);
	assert_int_equal(s->n, 0);
	free(s);
}

static int check_repair_seen = -1;

/* A port's check: one problem, repaired when asked to. */
static int check_one_problem(void *ctx, jerry_report **out, int repair, jerry_error *err)
{
	jerry_report *r = calloc(1, sizeof(*r));
	(void)ctx;
	(void)err;
	assert_non_null(r);
	r->problems = calloc(1, sizeof(*r->problems));
	assert_non_null(r->problems);
	r->nproblems = 1;
	snprintf(r->problems[0].kind, sizeof(r->problems[0].kind), "index_drift");
	r->problems[0].repaired = repair;
	r->items = 5;
	check_repair_seen = repair;
	*out = r;
	return 0;
}

static void test_check__runs_the_ports_check_or_counts_the_items(void **state)
{
	h_mem *m = *state;
	jerry_report *r = NULL;
	jerry_error err;
	mk(m, "One", NULL, NULL);
	mk(m, "Two", NULL, NULL);
	jerry_error_clear(&err);
	/* nothing derived to drift: no problem, every item counted */
	assert_int_equal(jr_app_check(&r, &m->port, 1, &err), 0);
	assert_non_null(r);
	assert_int_equal(r->items, 2);
	assert_int_equal(r->nproblems, 0);
	assert_int_equal(r->nnotices, 0);
	jerry_report_free(r);
	/* a port that checks itself answers, told whether to repair */
	m->port.check = check_one_problem;
	assert_int_equal(jr_app_check(&r, &m->port, 0, &err), 0);
	assert_int_equal(check_repair_seen, 0);
	assert_int_equal(r->nproblems, 1);
	assert_int_equal(r->problems[0].repaired, 0);
	jerry_report_free(r);
	assert_int_equal(jr_app_check(&r, &m->port, 1, &err), 0);
	assert_int_equal(check_repair_seen, 1);
	assert_int_equal(r->items, 5);
	assert_int_equal(r->problems[0].repaired, 1);
	jerry_report_free(r);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, h_mem_setup, h_mem_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_export__every_item_in_order_filtered_with_history_in_batches),
		T(test_create__fills_defaults_labels_and_stamps),
		T(test_create__invalid_input_is_refused_before_allocating),
		T(test_create__refused_parent_burns_no_number),
		T(test_show__parses_any_spelling_and_reports_missing),
		T(test_update__if_version_conflict_reports_both_versions),
		T(test_update__validates_before_touching_the_item),
		T(test_update__a_change_of_nothing_is_refused),
		T(test_update__labels_fields_and_clearing),
		T(test_update__status_goes_through_the_state_machine),
		T(test_update__block_reason_becomes_a_note),
		T(test_claim__done_by_non_holder_is_refused_while_live),
		T(test_claim__force_overrides_and_is_recorded),
		T(test_claim__a_name_holds_from_any_session_and_a_token_decides),
		T(test_claim__forced_done_is_recorded_although_done_clears_the_claim),
		T(test_claim__holder_is_recognised_by_claimer_name_not_actor),
		T(test_claim__holder_and_expired_claims_do_not_block_and_done_clears),
		T(test_parent__update_applies_the_rules),
		T(test_parent__type_change_refused_when_a_child_would_be_invalid),
		T(test_list__default_hides_done_and_cancelled_all_shows_them),
		T(test_list__filters_combine),
		T(test_list__sorts_and_limit),
		T(test_list__bad_filters_are_invalid),
		T(test_list__several_values_per_field),
		T(test_deps__graph_does_not_rely_on_the_scan_order),
		T(test_deps__waiting_on_names_each_items_open_dependencies),
		T(test_deps__start_waits_until_every_dependency_is_done),
		T(test_deps__resuming_blocked_is_gated_reopen_and_other_moves_are_not),
		T(test_deps__missing_dependency_is_open),
		T(test_deps__force_starts_and_is_recorded_as_a_note),
		T(test_deps__claim_of_a_pending_item_is_gated),
		T(test_containers__ready_and_claim_next_hand_out_only_work),
		T(test_containers__done_with_open_items_below_is_refused_unless_forced),
		T(test_containers__cancel_cascades_only_when_asked),
		T(test_containers__the_parent_to_close_is_named_never_closed),
		T(test_brief__counts_lists_and_the_text_agree),
		T(test_release__if_version_refuses_a_changed_item),
		T(test_pool__stale_claim_is_ready_and_taken_over_in_priority_order),
		T(test_pool__claim_next_respects_assignments_but_not_a_stale_claims),
		T(test_history__any_spelling_oldest_first_missing_item_refused),
		T(test_history__a_port_without_history_has_none_for_a_real_item),
		T(test_log__newest_first_across_items_with_since_and_by),
		T(test_log__items_in_any_spelling_and_an_unknown_one_refused),
		T(test_log__reads_the_window_only_and_stops_at_the_limit),
		T(test_log__a_port_without_history_has_an_empty_log),
		T(test_check__runs_the_ports_check_or_counts_the_items),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
