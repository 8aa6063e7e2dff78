#!/usr/bin/env python3
"""Print the validation table from the results the behave steps recorded.

  report.py matrix RESULTS.jsonl BEHAVE_EXIT
  report.py sensitivity VARIANT=RESULTS.jsonl:ID,ID... ...

The last line is exactly `validate: N passed, N failed` (`, N skipped`
follows when some scenario could not run here)."""
import json
import re
import sys
import textwrap


def load(path):
    recs = []
    try:
        with open(path) as fh:
            for line in fh:
                if line.strip():
                    recs.append(json.loads(line))
    except OSError:
        pass
    return recs


def clean(name):
    return re.sub(r"\s*-- @\d+\.\d+\s*$", "", name)


def table(rows, headers):
    widths = [len(h) for h in headers]
    wrapped = []
    limits = [8, 46, 44, 8, 5, 40]
    for r in rows:
        cells = [textwrap.wrap(str(c), limits[i]) or [""] for i, c in enumerate(r)]
        wrapped.append(cells)
        for i, c in enumerate(cells):
            widths[i] = max(widths[i], max(len(x) for x in c))
    line = "  ".join("%-*s" % (w, h) for w, h in zip(widths, headers))
    print(line)
    print("  ".join("-" * w for w in widths))
    for cells in wrapped:
        for k in range(max(len(c) for c in cells)):
            print("  ".join("%-*s" % (w, c[k] if k < len(c) else "") for w, c in zip(widths, cells)).rstrip())


def merge(recs):
    """One row per scenario, the examples of an outline folded together."""
    groups = {}
    for r in recs:
        groups.setdefault((r["id"], r.get("group") or r.get("name", "")), []).append(r)
    out = []
    for (i, g), rs in groups.items():
        if len(rs) == 1:
            r = dict(rs[0])
            r["name"] = clean(r.get("name", ""))
            out.append(r)
            continue
        tried = []
        for r in rs:
            t = r.get("tried") or ""
            if t and t not in tried:
                tried.append(t)
        m = {"id": i, "name": "%s (%d variants)" % (g, len(rs)),
             "tried": "; ".join(tried) if len(" ".join(tried)) < 160 else
             "; ".join(tried)[:157] + "...",
             "count": sum(r.get("count", 0) for r in rs), "lost": sum(r.get("lost", 0) for r in rs),
             "seconds": sum(r.get("seconds", 0) for r in rs)}
        fails = [r for r in rs if r["status"] == "FAIL"]
        skips = [r for r in rs if r["status"] == "SKIP"]
        if fails:
            m["status"] = "FAIL"
            m["error"] = "%d of %d variants failed, e.g. %s: %s" % (
                len(fails), len(rs), clean(fails[0].get("name", "")), fails[0].get("error", ""))
        elif len(skips) == len(rs):
            m["status"] = "SKIP"
            m["skip"] = skips[0].get("skip")
        else:
            m["status"] = "PASS"
            if skips:
                m["tried"] += " (%d variants skipped: %s)" % (len(skips), skips[0].get("skip"))
        out.append(m)
    return out


def matrix(path, behave_rc):
    raw = load(path)
    recs = merge(raw)
    rows = []
    p = f = s = 0
    order = ["HP", "EC", "FS", "PC", "HC", "FL", "HI"]
    rank = lambda i: order.index(i[:2]) if i[:2] in order else len(order)
    for r in sorted(recs, key=lambda r: (rank(r["id"]), r["id"], r.get("name", ""))):
        st = r["status"]
        if st == "PASS":
            p += 1
            verdict = "PASS"
        elif st == "FAIL":
            f += 1
            verdict = "FAIL: " + r.get("error", "see the behave log")
        else:
            s += 1
            verdict = "SKIP (%s)" % r.get("skip", "?")
        tried = r.get("tried") or "-"
        if r.get("exits"):
            tried += " [exits %s]" % ", ".join("%s x%s" % kv for kv in r["exits"].items())
        rows.append((r["id"], clean(r.get("name", "")), tried, r.get("count", 0), r.get("lost", 0), verdict))
    table(rows, ["ID", "scenario", "what was tried", "times", "lost", "result"])
    if behave_rc != 0 and f == 0:
        f += 1
        print("behave exited %d without a recorded failure: a hook or the runner failed" % behave_rc)
    secs = sum(r.get("seconds", 0) for r in raw)
    print()
    print("%d scenarios (%d behave scenarios) in %.0f s; acknowledged changes lost: %d" % (
        len(recs), len(raw), secs, sum(r.get("lost", 0) for r in recs)))
    tail = ", %d skipped" % s if s else ""
    print("validate: %d passed, %d failed%s" % (p, f, tail))
    return 1 if f else 0


def sensitivity(specs, reference=None):
    """A broken build is caught by a scenario ID when one of its scenarios
    fails.  Scenarios that fail against the real build too (the reference
    results, when given) prove nothing here and are not counted."""
    rows = []
    p = f = 0
    already = {r.get("name") for r in load(reference) if r["status"] == "FAIL"} if reference else set()
    for spec in specs:
        variant, rest = spec.split("=", 1)
        path, ids = rest.rsplit(":", 1)
        recs = [r for r in load(path) if r.get("name") not in already]
        for want in ids.split(","):
            mine = [r for r in recs if r["id"] == want]
            caught = [r for r in mine if r["status"] == "FAIL"]
            if caught:
                p += 1
                how = "CAUGHT: " + (caught[0].get("error") or "")[:120]
            elif not mine:
                f += 1
                how = "NOT RUN"
            elif all(r["status"] == "SKIP" for r in mine):
                f += 1
                how = "SKIPPED (%s): cannot show it catches the break" % mine[0].get("skip")
            else:
                f += 1
                how = "MISSED: every scenario passed against the broken build"
            rows.append((want, variant, "%d scenarios run" % len(mine),
                         len(caught), sum(r.get("lost", 0) for r in mine), how))
    table(rows, ["ID", "broken build", "runs", "failed", "lost", "verdict"])
    print()
    print("validate: %d passed, %d failed" % (p, f))
    return 1 if f else 0


if __name__ == "__main__":
    if sys.argv[1] == "matrix":
        sys.exit(matrix(sys.argv[2], int(sys.argv[3])))
    args = sys.argv[2:]
    ref = None
    if args and args[0].startswith("--reference="):
        ref = args.pop(0).split("=", 1)[1]
    sys.exit(sensitivity(args, ref))
