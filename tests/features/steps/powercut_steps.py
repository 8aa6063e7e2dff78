"""Power cut (PC-001, PC-002): a store on a loop-mounted XFS image;
writers run; then `xfs_io -x -c shutdown` stops the filesystem dead, as a
power loss would (with -f the journal is flushed first, so metadata such as
renames survives while unsynced file data does not: the classic 0-byte
file; without -f nothing unsynced survives).  Unmount, mount again (log
recovery), and check every acknowledged change survived whole."""
import json
import os
import random
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from behave import given, then, when  # noqa: E402

import jerrylib as jl  # noqa: E402
from jerrylib import J, init_store  # noqa: E402


@given("a store on a loop-mounted XFS image")
def step_xfs(context):
    if not jl.is_root():
        return context.skip("needs root (losetup, mount)")
    for tool in ("mkfs.xfs", "xfs_io", "losetup"):
        if not jl.which(tool):
            return context.skip("%s is not installed (xfsprogs / util-linux)" % tool)
    img = os.path.join(context.work, "xfs.img")
    mnt = os.path.join(context.work, "xfs")
    os.makedirs(mnt)
    with open(img, "wb") as fh:
        fh.truncate(320 * 1024 * 1024)
    r = jl.run(["mkfs.xfs", "-q", "-f", img])
    if r.rc != 0:
        return context.skip("mkfs.xfs failed: %s" % r.err.strip())
    context.xfs_mount = lambda: jl.mount(["-o", "loop", img, mnt])
    r = context.xfs_mount()
    if r.rc != 0:
        return context.skip("cannot loop-mount XFS: %s" % r.err.strip())
    context.cleanups.append(lambda: jl.umount(mnt))
    context.xfs = mnt
    init_store(context, os.path.join(mnt, "store"))
    context.model = {}   # num -> {"title":, "notes": [..], "version":}
    context.cuts = 0


def cut_power(context, flush_log):
    args = ["xfs_io", "-x", "-c", "shutdown -f" if flush_log else "shutdown", context.xfs]
    r = jl.run(args)
    assert r.rc == 0, "shutdown failed: %r" % r
    context.cuts += 1
    assert jl.umount(context.xfs), "cannot unmount after the shutdown"
    r = context.xfs_mount()
    assert r.rc == 0, "cannot mount again after the power cut: %r" % r


def verify_model(context, exact):
    """Every acknowledged change survived; nothing torn or empty; check clean
    once dead writers' temp files are repaired.  Returns problems."""
    problems = []
    items, bad = jl.read_items(context.store)
    problems += bad
    lost = 0
    for num, m in sorted(context.model.items()):
        d = items.get(num)
        if d is None:
            problems.append("acknowledged WORK-%03d is gone" % num)
            lost += 1
            continue
        texts = [n["text"] for n in d.get("notes", [])]
        missing = [t for t in m["notes"] if t not in texts]
        if missing:
            problems.append("WORK-%03d lost %d acknowledged notes" % (num, len(missing)))
            lost += len(missing)
        if exact:
            if d["title"] != m["title"]:
                problems.append("WORK-%03d title %r, acknowledged %r" % (num, d["title"], m["title"]))
                lost += 1
            if d["version"] != m["version"]:
                problems.append("WORK-%03d version %d, acknowledged %d" % (num, d["version"], m["version"]))
                lost += 1
        elif d["version"] < m["version"]:
            problems.append("WORK-%03d went back to version %d from acknowledged %d" % (
                num, d["version"], m["version"]))
            lost += 1
        # Every acknowledged version has its history entry, once: the
        # entries reach their files unsynced, their durable copy is in
        # index.log (ADR 0006), and `history` reads both.
        if d is not None:
            r = J(context, "history", "WORK-%03d" % num, "--json")
            try:
                versions = [e["version"] for e in json.loads(r.out)] if r.rc == 0 else None
            except ValueError:
                versions = None
            if versions != list(range(1, d["version"] + 1)):
                problems.append("WORK-%03d history %s, expected versions 1..%d" % (
                    num, versions if versions is not None else repr(r), d["version"]))
                lost += 1
    context.rec["lost"] += lost
    problems += ["after cut %d: %s" % (context.cuts, v) for v in
                 jl.verify_store(context.jerry, context.store, context.env, allow_temp=True)]
    # The sequence is not synced: whatever the cut left of it, the next
    # create must get a number no item has.
    items, _ = jl.read_items(context.store)
    title = "after cut %d" % context.cuts
    r = J(context, "create", title)
    if r.rc != 0:
        problems.append("create after cut %d failed: %r" % (context.cuts, r))
    else:
        num = int(r.out.strip()[5:])
        # (A number whose create was never acknowledged may come again.)
        if num in items:
            problems.append("create after cut %d reused WORK-%03d" % (context.cuts, num))
        context.model[num] = {"title": title, "notes": [], "version": 1}
    return problems


def step_cmd(context, k):
    """The k-th command of a deterministic mix: create, retitle, note."""
    nums = sorted(context.model)
    kind = k % 3 if nums else 0
    if kind == 0:
        title = "created %d" % k
        r = J(context, "create", title)
        if r.rc == 0:
            context.model[int(r.out.strip()[5:])] = {"title": title, "notes": [], "version": 1}
    else:
        num = nums[k % len(nums)]
        if kind == 1:
            title = "retitled %d" % k
            r = J(context, "update", "WORK-%03d" % num, "--title", title)
            if r.rc == 0:
                context.model[num]["title"] = title
        else:
            text = "note %d" % k
            r = J(context, "note", "WORK-%03d" % num, text)
            if r.rc == 0:
                context.model[num]["notes"].append(text)
        if r.rc == 0:
            context.model[num]["version"] += 1
    return r


@when("power is cut after N acknowledged commands, for N in {ci} in ci mode and {full} in full mode")
def step_cut_after_n(context, ci, full):
    if context.rec.get("skip"):
        return
    ns = [int(x) for x in context.size(ci, full).split(",")]
    problems, k, done = [], 0, 0
    for i, n in enumerate(ns):
        for _ in range(n):
            r = step_cmd(context, k)
            k += 1
            done += 1
            if r.rc != 0:
                problems.append("command %d failed before the cut: %r" % (k, r))
        cut_power(context, flush_log=(i % 2 == 0))
        problems += ["N=%d: %s" % (n, p) for p in verify_model(context, exact=True)]
    context.pc_problems = problems
    context.rec["tried"] = "%d power cuts after N=%s commands (%d acknowledged)" % (
        len(ns), ",".join(map(str, ns)), done)
    context.rec["count"] = done


@when("{w:d} writers run and power is cut while they write, {ci:d} times in ci mode and {full:d} in full mode")
def step_cut_while_writing(context, w, ci, full):
    if context.rec.get("skip"):
        return
    rounds = context.size(ci, full)
    problems, acked, tried = [], 0, 0
    lock = threading.Lock()
    for rnd in range(rounds):
        stop = threading.Event()
        acks = []

        def writer(wi):
            j = 0
            while not stop.is_set():
                j += 1
                if j % 3 == 1:
                    title = "w%d r%d c%d" % (wi, rnd, j)
                    r = J(context, "create", title, timeout=60)
                    if r.rc == 0:
                        acks.append(("create", int(r.out.strip()[5:]), title))
                else:
                    mine = [a[1] for a in acks if a[0] == "create" and a[2].startswith("w%d " % wi)]
                    if not mine:
                        continue
                    num = mine[-1]
                    text = "w%d r%d n%d" % (wi, rnd, j)
                    r = J(context, "note", "WORK-%03d" % num, text, timeout=60)
                    if r.rc == 0:
                        acks.append(("note", num, text))
        threads = [threading.Thread(target=writer, args=(i,)) for i in range(w)]
        for t in threads:
            t.start()
        time.sleep(random.uniform(0.3, 1.2))
        # the cut happens while writers are in flight; acks recorded after
        # this point may or may not be durable only if jerry lied.
        snapshot_acks = len(acks)
        cut_flags = rnd % 2 == 0
        args = ["xfs_io", "-x", "-c", "shutdown -f" if cut_flags else "shutdown", context.xfs]
        r = jl.run(args)
        assert r.rc == 0, r
        stop.set()
        for t in threads:
            t.join()
        context.cuts += 1
        assert jl.umount(context.xfs), "cannot unmount after the shutdown"
        assert context.xfs_mount().rc == 0
        for a in acks[:snapshot_acks]:
            if a[0] == "create":
                context.model.setdefault(a[1], {"title": a[2], "notes": [], "version": 1})
            else:
                context.model[a[1]]["notes"].append(a[2])
                context.model[a[1]]["version"] += 1
        acked += snapshot_acks
        tried += len(acks)
        problems += ["round %d: %s" % (rnd, p) for p in verify_model(context, exact=False)]
    context.pc_problems = problems
    context.rec["tried"] = "%d power cuts during %d writers (%d acknowledged before the cut)" % (
        rounds, w, acked)
    context.rec["count"] = acked


@then("every acknowledged change survived, and no item file is torn or empty")
def step_survived(context):
    if context.rec.get("skip"):
        return
    p = context.pc_problems
    assert not p, "%d problems:\n  %s" % (len(p), "\n  ".join(p[:15]))
