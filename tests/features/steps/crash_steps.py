"""EC-002: a writer killed at every system call of a write.

strace -e inject=SYSCALL:signal=SIGKILL:when=N delivers SIGKILL to the
jerry process as it enters its Nth SYSCALL: the process dies right there,
exactly as from a kill -9 or an OOM kill at that instant.  We first trace
one clean run to learn how many of each call the command makes, then kill
it at each of them in turn, on a fresh copy of the same store each time.
"""
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from behave import given, then, when  # noqa: E402

import jerrylib as jl  # noqa: E402
from jerrylib import J, add_items, init_store, normal, target_of, fresh_copy  # noqa: E402

SYSCALLS = ["openat", "write", "fsync", "fdatasync", "rename", "renameat", "renameat2",
            "link", "linkat", "unlinkat", "fcntl", "flock", "ftruncate"]
def check_clean(context, store, env, where, when, notices_ok=False):
    """jerry check exits 0 with no problem; no notice and no temp file on
    disk unless notices_ok."""
    c, d = jl.check_json(context.jerry, store, env)
    if c.rc != 0 or d is None or d.get("problems"):
        kinds = sorted({p["kind"] for p in (d or {}).get("problems", [])})
        return ["%s: %s, check exits %s finding %s: %r" % (where, when, c.rc, kinds, c)]
    if not notices_ok and (d.get("notices") or jl.temp_files(store)):
        return ["%s: %s, temp files are left: %s %s" % (
            where, when, [p["path"] for p in d.get("notices", [])], jl.temp_files(store))]
    return []


@given("a template store with {n:d} items")
def step_template(context, n):
    init_store(context, os.path.join(context.work, "template"))
    add_items(context, n, sync_off=False)
    context.template = context.store


@when('"{cmd}" is killed at each of its system calls in turn')
def step_kill_each(context, cmd):
    if not jl.which("strace"):
        return context.skip("strace is not installed")
    args = shlex.split(cmd)
    env = dict(context.env)
    env.pop("JERRY_DATA", None)
    before_snap = jl.snapshot(context.template)
    before_items, _ = jl.read_items(context.template)
    # 1. a clean run under strace: the reference result and the call counts
    ref = fresh_copy(context, "ref")
    trace = os.path.join(context.work, "trace")
    r = jl.run(["strace", "-f", "-qq", "-o", trace, "-e", "trace=" + ",".join(SYSCALLS),
                context.jerry, "--data", ref] + args, env=env)
    assert r.rc == 0, "the clean run failed: %r" % r
    counts = {}
    with open(trace) as fh:
        for line in fh:
            m = re.match(r"^\d+\s+(\w+)\(", line)
            if m:
                counts[m.group(1)] = counts.get(m.group(1), 0) + 1
    ref_items, _ = jl.read_items(ref)
    # store-wide commands (reindex) change no item: 0 stands for none
    num = 0 if args[0] in ("reindex", "check") else (
        target_of(cmd) or jl.changed_item(before_snap, ref))
    want_new = normal(ref_items[num]) if num else None
    want_old = before_snap.get(num)
    # 2. kill at each call
    problems, runs, killed = [], 0, 0
    for sc, total in sorted(counts.items()):
        for n in range(1, total + 1):
            runs += 1
            store = fresh_copy(context, "run")
            where = "%s #%d of %d" % (sc, n, total)
            x = jl.run(["strace", "-f", "-qq", "-o", "/dev/null", "-e", "trace=" + sc,
                        "-e", "inject=%s:signal=SIGKILL:when=%d" % (sc, n),
                        context.jerry, "--data", store] + args, env=env)
            acked = x.rc == 0
            if not acked:
                killed += 1
                if x.rc not in (-9, 137) and "+++ killed by SIGKILL" not in x.err:
                    problems.append("%s: exit %s, not killed: %r" % (where, x.rc, x))
            items, bad = jl.read_items(store)
            problems += ["%s: %s" % (where, b) for b in bad]
            snap = jl.snapshot(store)
            for k, raw in snap.items():
                if k != num and before_snap.get(k) != raw:
                    problems.append("%s: another item (WORK-%03d) changed" % (where, k))
            now = snap.get(num)
            is_old = now == want_old
            is_new = num in items and normal(items[num]) == want_new
            if num == 0:
                is_old = is_new = True
            if not (is_old or is_new):
                problems.append("%s: WORK-%03d is neither the old version nor the new one" % (where, num))
            if acked and not is_new:
                problems.append("%s: acknowledged (exit 0) but the change is missing" % where)
                context.rec["lost"] += 1
            # the next command settles what the kill interrupted
            lst = jl.run([context.jerry, "--data", store, "--json", "list", "--all"], env=env)
            if lst.rc != 0:
                problems.append("%s: the next command failed: %r" % (where, lst))
            else:
                shown = {int(d["id"][5:]): d["version"] for d in json.loads(lst.out)}
                files = {k: d["version"] for k, d in items.items()}
                if shown != files:
                    problems.append("%s: list shows %s, the files hold %s" % (where, shown, files))
            # Issue 9: what a kill leaves is no corruption - check exits 0
            # at once (a dead writer's temp file is a notice at most), and
            # one more write leaves nothing behind; never --repair.
            problems += check_clean(context, store, env, where, "after the kill", notices_ok=True)
            w = jl.run([context.jerry, "--data", store, "note", "WORK-001", "next"], env=env)
            if w.rc != 0:
                problems.append("%s: the next write failed: %r" % (where, w))
            problems += check_clean(context, store, env, where, "after the next write")
    shutil.rmtree(os.path.join(context.work, "run"), ignore_errors=True)
    context.crash_problems = problems
    context.rec["tried"] = (context.rec["tried"] + "; " if context.rec["tried"] else "") + \
        "kill -9 at each of %d calls of %s" % (runs, args[0])
    context.rec["count"] += runs
    context.rec.setdefault("killed", 0)
    context.rec["killed"] += killed


@then("after every kill each item is whole, the old version or the new one")
def step_whole(context):
    p = [x for x in context.crash_problems if "check" not in x and "next" not in x]
    assert not p, "%d problems:\n  %s" % (len(p), "\n  ".join(p[:15]))


@then("after every kill the next command and jerry check are clean")
def step_next_clean(context):
    p = context.crash_problems
    assert not p, "%d problems:\n  %s" % (len(p), "\n  ".join(p[:15]))


@given("index.log ends in a record torn by a writer killed mid-append")
def step_torn_log(context):
    # What SIGKILL leaves when it lands in the middle of a multi-page
    # write() of a long summary line: a prefix, no newline.  HC-001 makes
    # this happen for real; here it is made directly, so it is certain.
    with open(os.path.join(context.store, "index.log"), "a") as fh:
        fh.write('{"put":{"id":"WORK-002","uid":"1","version":2,"title":"torn by a ki')
    context.rec["tried"] = "a torn final index.log record, then writes"


@when("{n:d} more writes run")
def step_more_writes(context, n):
    for i in range(n):
        r = J(context, "note", "WORK-%03d" % (i % 3 + 1), "after the torn record %d" % i)
        assert r.rc == 0, r
        context.rec["count"] += 1


@when('"{cmd}" is killed while it holds the item lock, before its rename')
def step_kill_holder(context, cmd):
    """A lock holder killed in the middle of its write: strace holds the
    writer at the entry of its first rename (the item file's), after it
    wrote its temp file, appended its history entry and logged its put,
    with the item lock held; then it gets SIGKILL."""
    if not jl.which("strace"):
        return context.skip("strace is not installed")
    args = shlex.split(cmd)
    env = dict(context.env)
    env.pop("JERRY_DATA", None)
    store = fresh_copy(context, "held")
    context.held_store, context.held_before = store, jl.snapshot(context.template)
    num = target_of(cmd)
    trace = os.path.join(context.work, "held.trace")
    log = os.path.join(store, "index.log")
    put = '"id":"WORK-%03d"' % num

    def puts():
        try:
            with open(log) as fh:
                return sum(1 for line in fh if line.startswith('{"put"') and put in line)
        except FileNotFoundError:
            return 0
    # The copy's log may hold the item's earlier puts (its creation): wait
    # for one more than there are now, not for any.
    before = puts()
    p = subprocess.Popen(["strace", "-f", "-qq", "-o", trace, "-e", "trace=rename,renameat,renameat2",
                          "-e", "inject=rename,renameat,renameat2:delay_enter=60000000:when=1",
                          context.jerry, "--data", store] + args,
                         env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # The put is logged just before the rename: once it is there, the
        # writer sits in the delayed rename, holding the item lock.
        deadline = time.time() + 30
        while time.time() < deadline:
            if puts() > before:
                break
            time.sleep(0.02)
        else:
            raise AssertionError("the writer never logged its put")
        time.sleep(0.2)  # into the rename's delay
        held = [t for t in jl.temp_files(store) if "WORK-%03d.json.tmp-" % num in t]
        assert held, "the writer has no temp file: %s" % jl.temp_files(store)
        kids = open("/proc/%d/task/%d/children" % (p.pid, p.pid)).read().split()
        assert len(kids) == 1, "strace runs %r" % kids
        lock = jl.run([context.jerry, "--data", store, "--lock-timeout", "200", "note",
                       "WORK-%03d" % num, "while held"], env=env)
        assert lock.rc == 5, "the item lock was not held: %r" % lock
        victim = int(kids[0])
        os.kill(victim, signal.SIGKILL)
    finally:
        # strace itself would sit out its delay: stop it too, then see the
        # writer gone (reaped by strace or, once strace is gone, by init).
        p.kill()
        p.wait()
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            with open("/proc/%d/stat" % victim) as fh:
                if fh.read().split(") ")[-1].startswith("Z"):
                    break
        except OSError:
            break
        time.sleep(0.02)
    context.held_num = num
    context.rec["tried"] = "kill -9 of %s while it holds the item lock in its rename" % args[0]
    context.rec["count"] += 1


@then("the item is the old version, and the next write and jerry check are clean")
def step_held_clean(context):
    if context.rec.get("skip"):
        return
    store, num, env = context.held_store, context.held_num, dict(context.env)
    env.pop("JERRY_DATA", None)
    problems = []
    if jl.snapshot(store).get(num) != context.held_before.get(num):
        problems.append("WORK-%03d changed although its writer died before the rename" % num)
    problems += check_clean(context, store, env, "killed holder", "after the kill", notices_ok=True)
    w = jl.run([context.jerry, "--data", store, "--lock-timeout", "2000", "update",
                "WORK-%03d" % num, "--title", "after the holder died"], env=env)
    if w.rc != 0:
        problems.append("the next write failed (is the lock free?): %r" % w)
    problems += check_clean(context, store, env, "killed holder", "after the next write")
    h = jl.run([context.jerry, "--data", store, "--json", "history", "WORK-%03d" % num], env=env)
    try:
        entries = json.loads(h.out)
    except ValueError:
        entries = None
    if not entries:
        problems.append("no history: %r" % h)
    else:
        versions = [e["version"] for e in entries]
        if versions != sorted(set(versions)):
            problems.append("history versions repeat or go back: %s" % versions)
        if "after the holder died" not in json.dumps(entries[-1]):
            problems.append("the last history entry is not the next write: %s" % json.dumps(entries[-1])[:300])
        # the killed write's entry was for a version that never became current
        if re.search(r"\bheld\b", json.dumps(entries)):
            problems.append("the killed write shows in the history: %s" % json.dumps(entries)[-400:])
    assert not problems, "%d problems:\n  %s" % (len(problems), "\n  ".join(problems))
