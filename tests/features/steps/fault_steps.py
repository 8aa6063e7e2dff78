"""The exhaustive fault loop (FL-00x, and FS-001's ENOSPC at every call).

The fault build (make fault: -DJERRY_FAULT_INJECTION) fails the Nth call
through src/store/io.c with the errno of JERRY_FAULT="N:ERRNO".  For each
command: count its calls once (JERRY_FAULT_LOG), then for N = 1 .. count+1
run it on a fresh copy of the same store with the Nth call failing.
"""
import json
import os
import re
import shlex
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from behave import given, then, when  # noqa: E402

import jerrylib as jl  # noqa: E402
from jerrylib import J, add_items, init_store, normal, target_of, fresh_copy  # noqa: E402

SANITIZER = re.compile(r"ERROR: (Address|Leak|Undefined)Sanitizer|runtime error:|SUMMARY: ")


@given("the fault-injection build")
def step_fault_build(context):
    use_fault_build(context, context.fault_jerry)


@given("the fault-injection build with sanitizers")
def step_fault_build_asan(context):
    use_fault_build(context, context.asan_jerry)


def use_fault_build(context, b):
    if not os.access(b, os.X_OK):
        return context.skip("no fault build at %s (make fault, or validate.sh builds it)" % b)
    context.faultbin = b


@when('each of {cmds} fails at every store call in turn with {errnos}')
def step_fault_loop(context, cmds, errnos):
    if context.rec.get("skip"):
        return
    commands = re.findall(r'"([^"]+)"', cmds)
    errs = [e.strip() for e in re.split(r",|\band\b", errnos) if e.strip()]
    env = dict(context.env)
    env.pop("JERRY_DATA", None)
    asan = "asan" in context.faultbin
    if asan:
        env["ASAN_OPTIONS"] = "detect_leaks=1:exitcode=99"
        env["UBSAN_OPTIONS"] = "print_stacktrace=1:halt_on_error=1:exitcode=99"
    problems, runs, by_rc = [], 0, {}
    before_snap = jl.snapshot(context.template)
    before_items, _ = jl.read_items(context.template)
    for cmd in commands:
        args = shlex.split(cmd)
        ref = fresh_copy(context, "ref")
        log = os.path.join(context.work, "fault.log")
        if os.path.exists(log):
            os.unlink(log)
        r = jl.run([context.faultbin, "--data", ref] + args, env=dict(env, JERRY_FAULT_LOG=log))
        assert r.rc == 0, "clean run failed: %r" % r
        with open(log) as fh:
            calls = len(fh.read().splitlines())
        ref_items, _ = jl.read_items(ref)
        # store-wide commands (reindex) change no item: 0 stands for none
        num = 0 if args[0] in ("reindex", "check") else (
            target_of(cmd) or jl.changed_item(before_snap, ref))
        want_new = normal(ref_items[num]) if num else None
        want_old = before_snap.get(num)
        for e in errs:
            for n in range(1, calls + 2):
                runs += 1
                where = "%s with call %d of %d failing %s" % (args[0], n, calls, e)
                store = fresh_copy(context, "run")
                x = jl.run([context.faultbin, "--data", store] + args,
                           env=dict(env, JERRY_FAULT="%d:%s" % (n, e)))
                by_rc[x.rc] = by_rc.get(x.rc, 0) + 1
                if SANITIZER.search(x.err):
                    problems.append("%s: sanitizer report: %s" % (where, x.err[-800:]))
                allowed = (0,) if (e == "EINTR" or n > calls) else (0, 6, 8)
                if x.rc not in allowed:
                    problems.append("%s: exit %s, expected %s: %s" % (
                        where, x.rc, "/".join(map(str, allowed)), x.err.strip()[:200]))
                if x.rc == 6 and not x.err.startswith("jerry: "):
                    problems.append("%s: exit 6 without a jerry: message: %r" % (where, x.err))
                items, bad = jl.read_items(store)
                problems += ["%s: %s" % (where, b) for b in bad]
                snap = jl.snapshot(store)
                for k, raw in snap.items():
                    if k != num and before_snap.get(k) != raw:
                        problems.append("%s: another item changed" % where)
                is_old = snap.get(num) == want_old
                is_new = num in items and normal(items[num]) == want_new
                if num == 0:
                    is_old = is_new = True
                if x.rc in (0, 8) and not is_new:
                    problems.append("%s: exit %d but the change is not stored" % (where, x.rc))
                    context.rec["lost"] += 1
                elif x.rc not in (0, 8) and not is_old:
                    problems.append("%s: exit %s but the item changed" % (where, x.rc))
                if x.rc == 6 and jl.temp_files(store):
                    problems.append("%s: exit 6 left temp files %s" % (where, jl.temp_files(store)))
                c, d = jl.check_json(context.jerry, store, env)
                if c.rc != 0:
                    problems.append("%s (exit %s): check then finds %s" % (
                        where, x.rc, [(p["kind"], p["message"][:80]) for p in (d or {}).get("problems", [])]))
                w = jl.run([context.jerry, "--data", store, "note", "WORK-001", "next"], env=env)
                if w.rc != 0:
                    problems.append("%s: the next write failed: %r" % (where, w))
    shutil.rmtree(os.path.join(context.work, "run"), ignore_errors=True)
    context.fault_problems = problems
    context.rec["tried"] = "%s x every store call x %s%s" % (
        "/".join(shlex.split(c)[0] for c in commands), "/".join(errs), " (ASan+LSan+UBSan)" if asan else "")
    context.rec["count"] += runs
    context.rec["exits"] = {str(k): v for k, v in sorted(by_rc.items(), key=lambda kv: str(kv[0]))}


@then("every run exited 0, 6 or 8 with the old state or the new one whole, no temp file left, and a clean check")
def step_fault_ok(context):
    if context.rec.get("skip"):
        return
    p = context.fault_problems
    assert not p, "%d problems:\n  %s" % (len(p), "\n  ".join(p[:15]))


@when('{cmds} run once with their store calls logged')
def step_fault_names(context, cmds):
    """Issue 15: every call of the store is in io.c's table, so in reach of the loop."""
    if context.rec.get("skip"):
        return
    env = dict(context.env)
    env.pop("JERRY_DATA", None)
    store = fresh_copy(context, "ref")
    log = os.path.join(context.work, "fault.log")
    if os.path.exists(log):
        os.unlink(log)
    for cmd in re.findall(r'"([^"]+)"', cmds):
        r = jl.run([context.faultbin, "--data", store] + shlex.split(cmd),
                   env=dict(env, JERRY_FAULT_LOG=log))
        assert r.rc == 0, "%s failed: %r" % (cmd, r)
    with open(log) as fh:
        context.fault_names = {line.split()[1] for line in fh.read().splitlines()}
    context.rec["tried"] = "%s, call names logged" % cmds
    context.rec["count"] += 1


@then("the log names {names} among its calls")
def step_fault_names_ok(context, names):
    if context.rec.get("skip"):
        return
    want = [n.strip() for n in re.split(r",|\band\b", names) if n.strip()]
    missing = [n for n in want if n not in context.fault_names]
    assert not missing, "never through io.c: %s (seen: %s)" % (
        ", ".join(missing), ", ".join(sorted(context.fault_names)))


@given("the index of the template store has drifted from a hand-edited item")
def step_template_drift(context):
    path = os.path.join(context.template, "items", "WORK-001.json")
    with open(path) as fh:
        item = json.load(fh)
    item["title"] = "edited by hand"
    with open(path, "w") as fh:
        fh.write(json.dumps(item, indent=2) + "\n")


@when('"{cmd}" runs with each of its sync calls failing in turn with {err}')
def step_sync_faults(context, cmd, err):
    """Issue 9: a repair made but not made durable must say so (exit 8)."""
    if context.rec.get("skip"):
        return
    args = shlex.split(cmd)
    env = dict(context.env)
    env.pop("JERRY_DATA", None)
    ref = fresh_copy(context, "ref")
    log = os.path.join(context.work, "fault.log")
    r = jl.run([context.faultbin, "--data", ref] + args, env=dict(env, JERRY_FAULT_LOG=log))
    assert r.rc == 0, "clean run failed: %r" % r
    with open(log) as fh:
        calls = [line.split() for line in fh.read().splitlines()]
    syncs = [int(n) for n, name in calls if name in ("fsync", "fdatasync", "syncfs")]
    assert syncs, "the repair made no sync call: %s" % calls
    context.sync_runs = []
    for n in syncs:
        store = fresh_copy(context, "run")
        x = jl.run([context.faultbin, "--data", store] + args,
                   env=dict(env, JERRY_FAULT="%d:%s" % (n, err)))
        context.sync_runs.append((n, x))
    context.rec["tried"] = "%s with each of its %d sync calls failing %s" % (cmd, len(syncs), err)
    context.rec["count"] += len(syncs)


@then("every run exited 6 or 8, never 0, and at least one said the repair is not durable")
def step_sync_faults_ok(context):
    if context.rec.get("skip"):
        return
    bad = ["call %d: exit %s: %s" % (n, x.rc, x.err.strip()[:160])
           for n, x in context.sync_runs if x.rc not in (6, 8)]
    bad += ["call %d: exit 8 without the durability message: %r" % (n, x.err[:200])
            for n, x in context.sync_runs if x.rc == 8 and "could not be made durable" not in x.err]
    assert not bad, "%d problems:\n  %s" % (len(bad), "\n  ".join(bad))
    assert any(x.rc == 8 for _, x in context.sync_runs), \
        "no run reported uncertain durability: %s" % [(n, x.rc) for n, x in context.sync_runs]
