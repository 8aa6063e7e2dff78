"""HC-001: a randomized soak with kill -9, and a checker that proves from
the log of every invocation and the final state that nothing acknowledged
was lost (a small Jepsen-style history check)."""
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from behave import then, when  # noqa: E402

import jerrylib as jl  # noqa: E402
from jerrylib import J, init_store  # noqa: E402


@when("{p:d} workers run random commands for {ci:d} seconds in ci mode and {full:d} in full mode while one kills jerry processes at random")
def step_soak(context, p, ci, full):
    secs = context.size(ci, full)
    init_store(context, context.store)
    for i in range(6):
        assert J(context, "create", "seed %d" % i).rc == 0
    log, live = [], {}
    lock = threading.Lock()
    stop = threading.Event()
    seq = [0]

    def run(args, wid):
        with lock:
            seq[0] += 1
            opid = seq[0]
        env = dict(context.env, JERRY_INSTANCE="w%d-op%d" % (wid, opid),
                   JERRY_SESSION="s%d-%d" % (wid, opid))
        t0 = time.time()
        proc = subprocess.Popen([context.jerry, "--json", "--lock-timeout", "20000"] + args,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        with lock:
            live[proc.pid] = proc
        out, err = proc.communicate()
        with lock:
            live.pop(proc.pid, None)
            # keep only what the checker needs: items grow large
            res = None
            if proc.returncode == 0:
                try:
                    d = json.loads(out)
                    res = {"id": d["id"], "version": d["version"]}
                except (ValueError, KeyError, TypeError):
                    res = {"unparsable": out[:200].decode("utf-8", "replace")}
            entry = {"op": opid, "args": args, "rc": proc.returncode, "t0": t0, "t1": time.time(),
                     "res": res, "err": err.decode("utf-8", "replace")[:300],
                     "who": env["JERRY_INSTANCE"]}
            log.append(entry)
        return entry

    def worker(wid):
        rnd = random.Random(wid * 7919 + int(time.time()))
        n = 0
        while not stop.is_set():
            n += 1
            ids = ["WORK-%03d" % i for i in range(1, 7)]
            it = rnd.choice(ids)
            k = rnd.random()
            if k < 0.12:
                run(["create", "w%d c%d" % (wid, n)], wid)
            elif k < 0.35:
                run(["note", it, "w%d n%d" % (wid, n)], wid)
            elif k < 0.50:
                run(["update", it, "--add-label", "w%dl%d" % (wid, n)], wid)
            elif k < 0.70:
                cur = run(["show", it], wid)
                if cur["rc"] == 0 and cur["res"] and "version" in cur["res"]:
                    v = cur["res"]["version"]
                    run(["update", it, "--title", "w%d t%d" % (wid, n), "--if-version", str(v)], wid)
            elif k < 0.80:
                run(["claim", "WORK-%03d" % rnd.randint(7, 400), "--lease", "2h"], wid)
            else:
                run(["update", it, "--priority", rnd.choice(["low", "medium", "high"])], wid)

    def killer():
        rnd = random.Random()
        while not stop.is_set():
            time.sleep(rnd.uniform(0.02, 0.15))
            with lock:
                procs = list(live.values())
            if procs:
                try:
                    rnd.choice(procs).send_signal(signal.SIGKILL)
                except ProcessLookupError:
                    pass
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(p)]
    threads.append(threading.Thread(target=killer))
    for t in threads:
        t.start()
    time.sleep(secs)
    stop.set()
    for t in threads:
        t.join()
    context.soak = log
    with open(os.path.join(context.work, "history.jsonl"), "w") as fh:
        for e in log:
            fh.write(json.dumps(e) + "\n")
    writes = [e for e in log if e["args"][0] != "show"]
    context.rec["tried"] = "%d workers, %d s: %d writes (%d acknowledged, %d killed), %d reads" % (
        p, secs, len(writes), sum(1 for e in writes if e["rc"] == 0),
        sum(1 for e in writes if e["rc"] == -9), len(log) - len(writes))
    context.rec["count"] = len(log)


@then("the log and the final state prove no acknowledged change was lost and no claim had two winners")
def step_soak_check(context):
    log = context.soak
    problems = []
    # the next command settles interrupted writes; temp files of the killed
    # are the only problem check may report
    problems += jl.verify_store(context.jerry, context.store, context.env, allow_temp=True)
    items, bad = jl.read_items(context.store)
    by_id = {d["id"]: d for d in items.values()}
    lst = J(context, "--json", "list", "--all")
    shown = {d["id"]: d["version"] for d in lst.json()} if lst.rc == 0 else {}
    if shown != {i: d["version"] for i, d in by_id.items()}:
        problems.append("the index does not match the item files")
    lost = 0
    acked_versions = {}
    claims = {}
    for e in log:
        if e["rc"] not in (0, 3, 4, 9, -9):
            problems.append("unexpected exit %s: %s %s" % (e["rc"], e["args"], e["err"][:200]))
        if e["rc"] != 0 or e["args"][0] == "show":
            continue
        d = e["res"] or {}
        if "id" not in d:
            problems.append("exit 0 without an item on stdout: %s %s" % (e["args"], d))
            continue
        iid, v = d["id"], d["version"]
        final = by_id.get(iid)
        if final is None:
            problems.append("acknowledged %s lost %s entirely" % (e["args"], iid))
            lost += 1
            continue
        # versions: each acknowledged write of an item got a version of its own
        if (iid, v) in acked_versions:
            problems.append("%s version %d acknowledged twice: %s and %s" % (
                iid, v, acked_versions[(iid, v)], e["args"]))
            lost += 1
        acked_versions[(iid, v)] = e["args"]
        if final["version"] < v:
            problems.append("%s is at version %d below acknowledged %d" % (iid, final["version"], v))
            lost += 1
        a = e["args"]
        if a[0] == "note" and a[2] not in [n["text"] for n in final["notes"]]:
            problems.append("acknowledged note %r missing from %s" % (a[2], iid))
            lost += 1
        if a[0] == "update" and a[2] == "--add-label" and a[3] not in final["labels"]:
            problems.append("acknowledged label %r missing from %s" % (a[3], iid))
            lost += 1
        if a[0] == "update" and "--if-version" in a and v != int(a[-1]) + 1:
            problems.append("%s: --if-version %s acknowledged as version %d" % (iid, a[-1], v))
        if a[0] == "create" and final["title"] != a[1] and final["version"] == 1:
            problems.append("acknowledged create %r is not %s" % (a[1], iid))
            lost += 1
        if a[0] == "claim":
            claims.setdefault(iid, []).append(e["who"])
    for iid, who in claims.items():
        if len(who) > 1:
            problems.append("%s was claimed by %d winners: %s" % (iid, len(who), who))
            lost += len(who) - 1
        elif by_id[iid].get("claim", {}) and by_id[iid]["claim"].get("by") != who[0]:
            problems.append("%s: stored claim %r, acknowledged to %s" % (iid, by_id[iid]["claim"], who[0]))
    context.rec["lost"] += lost
    ok = sum(1 for e in log if e["rc"] == 0 and e["args"][0] != "show")
    context.rec["notes"].append("%d acknowledged writes verified" % ok)
    assert not problems, "%d problems:\n  %s" % (len(problems), "\n  ".join(problems[:15]))
