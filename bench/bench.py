#!/usr/bin/env python3
"""bench.py - the orchestration half of `make bench` (bench/run.sh calls it).

    python3 bench/bench.py JERRY DRIVER quick|full OUTDIR

Builds the stores and the equivalent sqlite3 databases, has the C driver
(bench/driver.c) time jerry and its baselines interleaved in one run, checks
the concurrent runs for lost writes, prints the table and writes the figures
as JSON (OUTDIR/results-TIMESTAMP.json and OUTDIR/latest.json).

Timing is a report, never an assertion: the exit status is 0 whether or not
targets are met, non-zero only when the harness itself cannot run.
"""
import json
import os
import platform
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time

CONFIG = {
    # rounds: timed rounds per interleaved group; warm: untimed rounds first
    "quick": dict(rounds=41, warm=2, sizes=[100, 10000], big=10000,
                  list_rounds=11, huge_rounds=0, spread=10000, spread_rounds=9,
                  conc_procs=20, conc_per=10, same_procs=32, same_per=3, conc_reps=1,
                  label_procs=40, label_per=5),
    "full": dict(rounds=61, warm=3, sizes=[100, 10000, 100000], big=100000,
                 list_rounds=21, huge_rounds=7, spread=100000, spread_rounds=5,
                 conc_procs=100, conc_per=20, same_procs=32, same_per=10, conc_reps=2,
                 label_procs=100, label_per=10),
}

PRIORITIES = ["critical", "high", "medium", "low"]
TYPES = ["task", "task", "bug", "feature", "story"]
T0_MS = 1785000000000  # 2026-07-25, any fixed time: reproducible stores
UID0 = 119972646512152576

SUMMARY_COLS = ["id", "uid", "version", "title", "type", "status", "priority", "labels",
                "assignee", "parent", "depends_on", "claim", "created_at", "created_by",
                "updated_at", "updated_by", "completed_at"]
ALL_COLS = SUMMARY_COLS[:4] + ["description"] + SUMMARY_COLS[4:11] + ["notes"] + SUMMARY_COLS[11:]
OPEN = "status NOT IN ('done','cancelled')"
SQL_PRAGMAS = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "


def log(*a):
    print("bench:", *a, file=sys.stderr, flush=True)


def ts(ms):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms // 1000)) + ".%03dZ" % (ms % 1000)


def item(n):
    """The nth item of a synthetic store, exactly in the on-disk schema."""
    status = "done" if n % 20 == 0 else "blocked" if n % 20 == 7 else \
        "in_progress" if n % 10 == 3 else "pending"
    at = T0_MS + n * 1000
    return {
        "id": "WORK-%03d" % n,
        "uid": str(UID0 + n * 4096),
        "version": 1 + n % 3,
        "title": "Benchmark item %d: make the parser handle case %d" % (n, n * 7 % 1000),
        "description": ("Synthetic description for item %d, a few sentences long so the "
                        "file has a realistic size." % n) if n % 2 else None,
        "type": TYPES[n % len(TYPES)],
        "status": status,
        "priority": PRIORITIES[n % 4],
        "labels": ["bench"] + (["area-%d" % (n % 13)] if n % 3 == 0 else []),
        "assignee": ("agent-%d" % (n % 17)) if status == "in_progress" else None,
        "parent": None,
        # Some items wait on others: on a done one (n // 20 * 20), some also
        # on an open one (n - 1), so `ready` has a graph to walk.
        "depends_on": (["WORK-%03d" % (n // 20 * 20)] + (["WORK-%03d" % (n - 1)] if n % 10 == 1 else []))
        if n % 5 == 1 and n > 20 else [],
        "claim": None,
        "notes": [],
        "created_at": ts(at),
        "created_by": "bench@host:1",
        "updated_at": ts(at + 500),
        "updated_by": "bench@host:1",
        "completed_at": ts(at + 500) if status == "done" else None,
    }


def spread_numbers(n):
    """n distinct item numbers spread over 1..10^9, ascending (reproducible),
    the highest a million short of 999,999,999 so that creates have room."""
    return sorted(random.Random(9).sample(range(1, 999000000), n))


def renumbered(d, nums):
    """item() with every WORK-k it names renamed to WORK-nums[k-1]."""
    def rn(i):
        return "WORK-%03d" % nums[int(i[5:]) - 1]
    d = dict(d, id=rn(d["id"]), depends_on=[rn(x) for x in d["depends_on"]])
    return d


def run(cmd, **kw):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)
    if r.returncode != 0:
        raise RuntimeError("%s: exit %d: %s" % (" ".join(cmd), r.returncode, r.stderr.strip()))
    return r.stdout


class Bench:
    def __init__(self, jerry, driver, mode, outdir):
        self.jerry = os.path.abspath(jerry)
        self.driver = os.path.abspath(driver)
        self.mode = mode
        self.cfg = CONFIG[mode]
        self.outdir = os.path.abspath(outdir)
        self.work = os.path.join(self.outdir, "work-%d" % os.getpid())
        self.errlog = os.path.join(self.outdir, "stderr.log")
        self.rows = []
        self.raw = {}
        self.checks = {}

    # ---- stores ----------------------------------------------------------
    def j(self, store, *args):
        return [self.jerry, "--data", store] + list(args)

    def build_store(self, n, name=None, nums=None):
        """Item files written directly in the documented format, then
        `jerry reindex` builds index.json from them.  nums: the items'
        numbers (default 1..n), the same items renumbered."""
        d = os.path.join(self.work, name or "s%d" % n)
        run(self.j(d, "init"))
        items = os.path.join(d, "items")
        for i in range(1, n + 1):
            it = renumbered(item(i), nums) if nums else item(i)
            with open(os.path.join(items, it["id"] + ".json"), "w") as f:
                f.write(json.dumps(it, indent=2, ensure_ascii=False) + "\n")
        with open(os.path.join(d, "sequences.json"), "w") as f:
            f.write(json.dumps({"format": 1, "WORK": nums[-1] if nums else n,
                                "last_uid": str(UID0 + n * 4096)}, indent=2) + "\n")
        if n:
            run(self.j(d, "reindex"))
        return d

    def build_db(self, n, name=None):
        p = os.path.join(self.work, (name or "s%d" % n) + ".sqlite")
        con = sqlite3.connect(p)
        cols = ", ".join(c + (" TEXT UNIQUE" if c == "id" else
                              " INTEGER" if c == "version" else " TEXT")
                         for c in ALL_COLS)
        con.execute("CREATE TABLE items (num INTEGER PRIMARY KEY, %s)" % cols)
        rows = []
        for i in range(1, n + 1):
            it = item(i)
            rows.append([i] + [json.dumps(it[c]) if isinstance(it[c], list) else it[c]
                               for c in ALL_COLS])
        con.executemany("INSERT INTO items VALUES (%s)" % ",".join("?" * (len(ALL_COLS) + 1)), rows)
        con.commit()
        con.execute("PRAGMA journal_mode=WAL")
        con.close()
        return p

    def sql(self, db, stmt, *opts):
        """The sqlite3 CLI at jerry's durability: WAL, synchronous=FULL, a
        10 s busy timeout.  Writes run in BEGIN IMMEDIATE: a plain INSERT
        ... SELECT max()+1 starts as a reader and, when another process
        commits first, fails with "database is locked" however long the
        timeout (SQLITE_BUSY_SNAPSHOT); in a 100-process run that lost a few
        of 2,000 inserts."""
        if not stmt.lstrip().upper().startswith("SELECT"):
            stmt = "BEGIN IMMEDIATE; " + stmt + " COMMIT;"
        return ["sqlite3", "-cmd", ".timeout 10000"] + list(opts) + [db, SQL_PRAGMAS + stmt]

    # ---- timing ----------------------------------------------------------
    def group(self, gname, cmds, rounds=None, warm=None):
        rounds = rounds or self.cfg["rounds"]
        warm = self.cfg["warm"] if warm is None else warm
        out = os.path.join(self.outdir, "raw-%s.json" % gname)
        argv = [self.driver, "run", str(rounds), str(warm), out, "--"]
        for i, (name, cmd) in enumerate(cmds):
            if i:
                argv.append(":::")
            argv += [name] + cmd
        log("timing %s: %d commands x %d rounds" % (gname, len(cmds), rounds))
        subprocess.run(argv, check=True, env=self.env)
        with open(out) as f:
            data = json.load(f)
        res = {}
        for name, d in data.items():
            ns = sorted(d["ns"])
            q = statistics.quantiles(ns, n=10, method="inclusive") if len(ns) > 1 else ns * 9
            res[name] = {
                "median_ms": statistics.median(ns) / 1e6,
                "p10_ms": q[0] / 1e6, "p90_ms": q[8] / 1e6,
                "min_ms": ns[0] / 1e6, "max_ms": ns[-1] / 1e6,
                "runs": len(ns), "fails": d["fails"],
                "rss_max_kb": max(d["rss_kb"]),
                "rss_median_kb": statistics.median(d["rss_kb"]),
            }
            if d["fails"]:
                log("WARNING: %s failed %d of %d runs (see %s)" %
                    (name, d["fails"], len(ns), self.errlog))
        self.raw[gname] = res
        return res

    def conc(self, cmd, procs, per):
        out = os.path.join(self.outdir, "raw-conc.json")
        subprocess.run([self.driver, "conc", str(procs), str(per), out, "--"] + cmd,
                       check=True, env=self.env)
        with open(out) as f:
            return json.load(f)

    # ---- rows ------------------------------------------------------------
    def row(self, op, size, jm, base_name, bm, target, met, unit="ms", note=""):
        ratio = (jm["median_ms"] / bm["median_ms"]) if (jm and bm and unit == "ms") else None
        self.rows.append(dict(op=op, size=size, jerry=jm, baseline=base_name, base=bm,
                              ratio=ratio, target=target, met=met, unit=unit, note=note))

    def ratio_row(self, op, size, jm, base_name, bm, limit, kind="le"):
        ratio = jm["median_ms"] / bm["median_ms"]
        if limit is None:
            met, target = None, "-"
        else:
            met = ratio <= limit if kind == "le" else ratio >= limit
            target = ("<= %.2fx" if kind == "le" else ">= %.2fx") % limit
        self.row(op, size, jm, base_name, bm, target, met)

    # ---- the suite -------------------------------------------------------
    def main(self):
        cfg = self.cfg
        t_start = time.time()
        self.load_before = os.getloadavg()
        if os.path.exists(self.work):
            shutil.rmtree(self.work, ignore_errors=True)
        os.makedirs(self.work)
        open(self.errlog, "w").close()
        self.env = dict(os.environ)
        for k in ("JERRY_SYNC", "JERRY_DATA", "JERRY_PROJECT", "JERRY_INSTANCE", "JERRY_SESSION"):
            self.env.pop(k, None)
        self.env["BENCH_STDERR"] = self.errlog
        self.env["NO_COLOR"] = "1"
        os.environ.pop("JERRY_SYNC", None)

        if os.environ.get("BENCH_ONLY"):      # one group alone: BENCH_ONLY=sync_row
            getattr(self, os.environ["BENCH_ONLY"])()
            self.elapsed = time.time() - t_start
            self.report()
            return

        big = cfg["big"]
        stores, dbs = {}, {}
        for n in cfg["sizes"]:
            t = time.time()
            stores[n] = self.build_store(n)
            dbs[n] = self.build_db(n)
            log("built store and sqlite db of %d items in %.1f s" % (n, time.time() - t))
        s100, d100 = stores[100], dbs[100]
        s10k, d10k = stores[10000], dbs[10000]
        sbig = stores[big]
        rdir = os.path.join(self.work, "replace")
        os.makedirs(rdir)
        mid = "WORK-%03d" % 51      # an item that exists in every store (not done)

        # 1. reads: show vs cat (the cost of a process reading one file)
        r = self.group("show", [
            ("jerry_show", self.j(s10k, "show", "WORK-5001")),
            ("cat", ["cat", os.path.join(s10k, "items", "WORK-5001.json")]),
            ("sqlite_select1", self.sql(d10k, "SELECT * FROM items WHERE num=5001;")),
            ("noop", [self.driver, "noop"]),
        ])
        self.ratio_row("show ID", 10000, r["jerry_show"], "cat item file", r["cat"], 1.3)
        self.ratio_row("show ID", 10000, r["jerry_show"], "sqlite3 select 1 row",
                       r["sqlite_select1"], None)

        # 2. durable writes, at 100 items and at the big size, interleaved
        sq_ins = ("INSERT INTO items(num,id,uid,version,title,description,type,status,priority,"
                  "labels,assignee,parent,depends_on,claim,notes,created_at,created_by,updated_at,"
                  "updated_by,completed_at) SELECT coalesce(max(num),0)+1, "
                  "printf('WORK-%03d',coalesce(max(num),0)+1), '1', 1, 'bench create {i}', NULL, "
                  "'task','pending','medium','[]',NULL,NULL,'[]',NULL,'[]',"
                  "strftime('%Y-%m-%dT%H:%M:%fZ','now'),'bench@host:1',"
                  "strftime('%Y-%m-%dT%H:%M:%fZ','now'),'bench@host:1',NULL FROM items;")
        sq_upd = ("UPDATE items SET title='bench update {i}', version=version+1, "
                  "updated_at=strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE num=51;")
        sq_note = ("UPDATE items SET notes=json_insert(notes,'$[#]',json_object('at',"
                   "strftime('%Y-%m-%dT%H:%M:%fZ','now'),'by','bench@host:1','text',"
                   "'bench note {i}')), version=version+1, "
                   "updated_at=strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE num=52;")
        sq_claim = ("UPDATE items SET claim=json_object('by','bench@host','session','s1','expires_at',"
                    "strftime('%Y-%m-%dT%H:%M:%fZ','now','+30 minutes')), status='in_progress', "
                    "assignee='bench@host', version=version+1, "
                    "updated_at=strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE num=54 AND (claim IS NULL "
                    "OR json_extract(claim,'$.by')='bench@host' OR json_extract(claim,'$.expires_at') < "
                    "strftime('%Y-%m-%dT%H:%M:%fZ','now'));")
        cmds = [
            ("noop", [self.driver, "noop"]),
            ("replace", [self.driver, "replace", rdir]),
            ("jerry_create_100", self.j(s100, "create", "bench create {i}")),
            ("jerry_update_100", self.j(s100, "update", mid, "--title", "bench update {i}")),
            ("jerry_note_100", self.j(s100, "note", "WORK-052", "bench note {i}")),
            ("sqlite_insert_100", self.sql(d100, sq_ins)),
            ("sqlite_update_100", self.sql(d100, sq_upd)),
            ("sqlite_note_100", self.sql(d100, sq_note)),
            ("jerry_claim_100", self.j(s100, "claim", "WORK-054")),
            ("sqlite_claim_100", self.sql(d100, sq_claim)),
            ("jerry_claim_big", self.j(sbig, "claim", "WORK-054")),
            ("jerry_create_big", self.j(sbig, "create", "bench create {i}")),
            ("jerry_update_big", self.j(sbig, "update", mid, "--title", "bench update {i}")),
            ("jerry_note_big", self.j(sbig, "note", "WORK-052", "bench note {i}")),
            ("sqlite_insert_big", self.sql(dbs[big], sq_ins)),
        ]
        r = self.group("write", cmds)
        for op in ("create", "update", "note", "claim"):
            self.ratio_row(op, 100, r["jerry_%s_100" % op], "start + durable replace",
                           r["replace"], 1.5)
        self.ratio_row("(ref) start + durable replace", 0, r["replace"], "process start (noop)",
                       r["noop"], None)
        for op, sq in (("create", "insert"), ("update", "update"), ("note", "note"),
                       ("claim", "claim")):
            self.ratio_row(op, 100, r["jerry_%s_100" % op], "sqlite3 " + sq,
                           r["sqlite_%s_100" % sq], None)
        for op in ("create", "update", "note", "claim"):
            self.ratio_row("%s at %d vs 100" % (op, big), big, r["jerry_%s_big" % op],
                           "jerry %s at 100" % op, r["jerry_%s_100" % op], 1.25)
        self.ratio_row("sqlite3 insert at %d vs 100" % big, big, r["sqlite_insert_big"],
                       "sqlite3 insert at 100", r["sqlite_insert_100"], None)

        # 3. list at 10,000 vs sqlite3 selecting the same rows
        sel_json = "SELECT %s FROM items WHERE %s ORDER BY num;" % (",".join(SUMMARY_COLS), OPEN)
        sel_tab = "SELECT id,status,priority,type,title,assignee FROM items WHERE %s ORDER BY num;" % OPEN
        # ready: pending, unclaimed, every dependency done; jerry's order
        sel_ready = ("SELECT %s FROM items i WHERE status='pending' AND claim IS NULL AND NOT EXISTS "
                     "(SELECT 1 FROM json_each(i.depends_on) d LEFT JOIN items x ON x.id=d.value "
                     "WHERE x.status IS NOT 'done') ORDER BY CASE priority WHEN 'critical' THEN 0 "
                     "WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END, created_at, num;"
                     % ",".join("i." + c for c in SUMMARY_COLS))
        r = self.group("list", [
            ("jerry_list_json", self.j(s10k, "list", "--json")),
            ("sqlite_json", self.sql(d10k, sel_json, "-json")),
            ("jerry_list", self.j(s10k, "list")),
            ("sqlite_list", self.sql(d10k, sel_tab)),
            ("jerry_ready_json", self.j(s10k, "ready", "--json")),
            ("sqlite_ready_json", self.sql(d10k, sel_ready, "-json")),
            # The items the writes above changed are the window (ADR 0015).
            ("jerry_log_since", self.j(s10k, "log", "--since", "1h", "--json")),
        ], rounds=cfg["list_rounds"])
        self.ratio_row("list --json", 10000, r["jerry_list_json"], "sqlite3 -json select",
                       r["sqlite_json"], 0.7)
        self.ratio_row("list (table)", 10000, r["jerry_list"], "sqlite3 select",
                       r["sqlite_list"], None)
        self.ratio_row("ready --json", 10000, r["jerry_ready_json"], "sqlite3 -json select",
                       r["sqlite_ready_json"], 0.7)
        # log reads the index like list, then only the window's history files.
        self.ratio_row("log --since 1h", 10000, r["jerry_log_since"], "jerry list --json",
                       r["jerry_list_json"], 1.0)
        # Same answer, or the comparison means nothing.
        jr = [x["id"] for x in json.loads(run(self.j(s10k, "ready", "--json")))]
        con = sqlite3.connect(d10k)
        sr = [x[0] for x in con.execute(sel_ready.replace(",".join("i." + c for c in SUMMARY_COLS), "i.id"))]
        con.close()
        self.checks["ready_same_rows"] = {"jerry": len(jr), "sqlite": len(sr), "same": jr == sr}
        if jr != sr:
            log("WARNING: jerry ready and the sqlite3 query disagree (%d vs %d rows)" % (len(jr), len(sr)))
        list_big = r["jerry_list_json"]
        self.serve_view(s10k)
        if big != 10000:
            r = self.group("list_big", [
                ("jerry_list_json", self.j(sbig, "list", "--json")),
                ("sqlite_json", self.sql(dbs[big], sel_json, "-json")),
            ], rounds=cfg["huge_rounds"], warm=1)
            self.ratio_row("list --json", big, r["jerry_list_json"], "sqlite3 -json select",
                           r["sqlite_json"], None)
            list_big = r["jerry_list_json"]

        # 3b. export of every item (JSON Lines, read one item file at a time) vs
        # sqlite3 -json dumping the same rows; import of 10,000 items
        # (beads JSON Lines) into a fresh store each round (issue 14)
        self.export_row(sbig, dbs[big], big)
        src = os.path.join(self.work, "import-10k.jsonl")
        with open(src, "w") as f:
            for i in range(10000):
                d = {"id": "bd-%d" % i, "title": "imported %d" % i, "status": "open",
                     "priority": i % 5, "issue_type": "task", "labels": ["bench"]}
                if i % 10:
                    d["dependencies"] = [{"issue_id": d["id"], "depends_on_id": "bd-%d" % (i - 1),
                                          "type": "blocks"}]
                f.write(json.dumps(d) + "\n")
        dst = os.path.join(self.work, "import-store")
        r = self.group("import", [
            ("jerry_import_10k", ["sh", "-c", 'rm -rf "$1" && "$2" --data "$1" init >/dev/null && '
                                 '"$2" --data "$1" import "$3" >/dev/null', "sh", dst,
                                 self.jerry, src]),
        ], rounds=3, warm=0)
        jm = r["jerry_import_10k"]
        self.row("import 10,000 items (fresh store)", 10000, jm, "-", None, "< 5000 ms",
                 jm["median_ms"] < 5000)

        # 4. concurrency: P processes x K creates, on fresh empty stores
        P, K = cfg["conc_procs"], cfg["conc_per"]
        jt, st = [], []
        for rep in range(cfg["conc_reps"]):
            js = self.build_store(0, "conc-j%d" % rep)
            jdb = self.build_db(0, "conc-s%d" % rep)
            log("concurrent creates: %d x %d, jerry (round %d)" % (P, K, rep + 1))
            a = self.conc(self.j(js, "create", "conc w{w} i{i}"), P, K)
            listed = json.loads(run(self.j(js, "list", "--all", "--json")))
            ids = {x["id"] for x in listed}
            chk = subprocess.run(self.j(js, "check"), stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT, text=True)
            a.update(ops=P * K, distinct_ids=len(ids), check_exit=chk.returncode,
                     throughput=(P * K - a["fails"]) / (a["wall_ns"] / 1e9))
            jt.append(a)
            log("concurrent creates: %d x %d, sqlite3 (round %d)" % (P, K, rep + 1))
            b = self.conc(self.sql(jdb, sq_ins.replace("{i}", "w{w} i{i}")), P, K)
            con = sqlite3.connect(jdb)
            nrow, ndist = con.execute("SELECT count(*), count(DISTINCT id) FROM items").fetchone()
            con.close()
            b.update(ops=P * K, rows=nrow, distinct_ids=ndist,
                     throughput=(P * K - b["fails"]) / (b["wall_ns"] / 1e9))
            st.append(b)
        # The ceiling for any tool that starts a process per operation:
        # the same P x K with a process that does nothing.
        log("process starts: %d x %d (the ceiling)" % (P, K))
        c = self.conc([self.driver, "noop"], P, K)
        ceil = (P * K - c["fails"]) / (c["wall_ns"] / 1e9)
        self.checks["concurrent_create"] = {"jerry": jt, "sqlite": st, "noop_ceiling": ceil}
        jtp = statistics.median(x["throughput"] for x in jt)
        stp = statistics.median(x["throughput"] for x in st)
        ok = all(x["fails"] == 0 and x["distinct_ids"] == P * K and x["check_exit"] == 0
                 for x in jt)
        self.rows.append(dict(
            op="%d procs x %d creates" % (P, K), size=0, unit="ops/s",
            jerry={"median": jtp}, baseline="sqlite3 insert, same procs", base={"median": stp},
            ratio=jtp / stp, target=">= 10x, 0 errors, %d IDs" % (P * K),
            met=ok and jtp / stp >= 10,
            note="jerry errors %s, distinct IDs %s, check exit %s; sqlite3 errors %s, rows %s" % (
                [x["fails"] for x in jt], [x["distinct_ids"] for x in jt],
                [x["check_exit"] for x in jt], [x["fails"] for x in st], [x["rows"] for x in st])))
        self.rows.append(dict(
            op="(ref) %d procs x %d process starts" % (P, K), size=0, unit="ops/s",
            jerry={"median": ceil}, baseline="jerry creates", base={"median": jtp},
            ratio=ceil / jtp, target="-", met=None,
            note="the most any one-process-per-operation tool can do here; 10x sqlite3 "
                 "would be %.0f ops/s, %.1fx this ceiling" % (10 * stp, 10 * stp / ceil)))

        # 5. P processes updating one item
        P, K = cfg["same_procs"], cfg["same_per"]
        jt, st = [], []
        for rep in range(cfg["conc_reps"]):
            js = self.build_store(1, "same-j%d" % rep)
            jdb = self.build_db(1, "same-s%d" % rep)
            v0 = item(1)["version"]
            log("one item, %d procs x %d updates, jerry (round %d)" % (P, K, rep + 1))
            a = self.conc(self.j(js, "update", "WORK-001", "--title", "same w{w} i{i}"), P, K)
            v = json.loads(run(self.j(js, "show", "WORK-001", "--json")))["version"]
            a.update(ops=P * K, final_version=v, expected_version=v0 + P * K,
                     throughput=(P * K - a["fails"]) / (a["wall_ns"] / 1e9))
            jt.append(a)
            log("one row, %d procs x %d updates, sqlite3 (round %d)" % (P, K, rep + 1))
            b = self.conc(self.sql(jdb, "UPDATE items SET title='same w{w} i{i}', "
                                        "version=version+1 WHERE num=1;"), P, K)
            con = sqlite3.connect(jdb)
            sv = con.execute("SELECT version FROM items WHERE num=1").fetchone()[0]
            con.close()
            b.update(ops=P * K, final_version=sv, expected_version=v0 + P * K,
                     throughput=(P * K - b["fails"]) / (b["wall_ns"] / 1e9))
            st.append(b)
        self.checks["same_item"] = {"jerry": jt, "sqlite": st}
        jtp = statistics.median(x["throughput"] for x in jt)
        stp = statistics.median(x["throughput"] for x in st)
        ok = all(x["fails"] == 0 and x["final_version"] == x["expected_version"] for x in jt)
        self.rows.append(dict(
            op="%d procs x %d updates, 1 item" % (P, K), size=1, unit="ops/s",
            jerry={"median": jtp}, baseline="sqlite3 update, 1 row", base={"median": stp},
            ratio=jtp / stp, target=">= 10x, every update kept", met=ok and jtp / stp >= 10,
            note="jerry errors %s, version %s of %s; sqlite3 errors %s, version %s" % (
                [x["fails"] for x in jt], [x["final_version"] for x in jt],
                [x["expected_version"] for x in jt], [x["fails"] for x in st],
                [x["final_version"] for x in st])))

        self.label_queue()

        # 5b. jerry mcp: one long-lived server, no process start per call
        self.mcp(s100, s10k, rdir, self.raw["list"]["jerry_ready_json"])

        # 6. numbers spread over 1..10^9
        self.spread()

        # 6b. jerry sync (issue 11): cost follows the change, not the store
        self.sync_row()

        # 7. peak memory (ru_maxrss of the timed runs above)
        rss = [("list --json", big, list_big["rss_max_kb"], 64 * 1024),
               ("show ID", 10000, self.raw["show"]["jerry_show"]["rss_max_kb"], 4 * 1024),
               ("create", 100, self.raw["write"]["jerry_create_100"]["rss_max_kb"], 4 * 1024),
               ("create", big, self.raw["write"]["jerry_create_big"]["rss_max_kb"], 4 * 1024)]
        for op, size, kb, lim in rss:
            self.rows.append(dict(op="peak RSS: " + op, size=size, unit="KiB",
                                  jerry={"median": kb}, baseline="-", base=None, ratio=None,
                                  target="< %d MiB" % (lim // 1024), met=kb < lim, note=""))
        self.raw["sqlite_rss_kb"] = {k: v["rss_max_kb"] for k, v in self.raw["list"].items()}

        self.elapsed = time.time() - t_start
        self.report()

    def serve_view(self, store):
        """The board's first view at 10,000 items (issue 13): the page and
        /api/board from a running `jerry serve`, fetched by one curl, timed
        as a whole against `jerry list --json` on the same store (the board
        reads every item's summary, done ones too, and groups them)."""
        srv = subprocess.Popen(self.j(store, "serve", "--port", "0"), stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True, env=self.env)
        try:
            line = srv.stdout.readline()
            base = line.rsplit(" at ", 1)[1].split("/?", 1)[0]
            r = self.group("serve", [
                ("serve_first_view", ["curl", "-sf", "-o", "/dev/null", base + "/",
                                      "-o", "/dev/null", base + "/api/board"]),
                # curl's own start and two requests for static files: what
                # the first view costs beyond the server's work
                ("curl_static", ["curl", "-sf", "-o", "/dev/null", base + "/",
                                 "-o", "/dev/null", base + "/board.css"]),
                ("jerry_list_json", self.j(store, "list", "--json")),
            ], rounds=self.cfg["list_rounds"])
        finally:
            srv.terminate()
            srv.wait()
        view = r["serve_first_view"]
        server = dict(view, median_ms=max(view["median_ms"] - r["curl_static"]["median_ms"], 0.001))
        self.ratio_row("serve: first view's server time", 10000, server,
                       "jerry list --json", r["jerry_list_json"], 1.25)
        self.rows[-1]["note"] = ("the whole first view through curl: median %.0f ms "
                                 "(issue 13: under a second)" % view["median_ms"])

    def export_row(self, store=None, db=None, n=100000):
        """export --all against sqlite3 -json dumping the same rows (issue
        14): at the suite's big size (10,000 quick, 100,000 full), or alone
        (BENCH_ONLY=export_row) on a 100,000-item store built for it."""
        if store is None:
            t = time.time()
            store, db = self.build_store(n), self.build_db(n)
            log("built store and sqlite db of %d items in %.1f s" % (n, time.time() - t))
        sel_all = "SELECT %s FROM items ORDER BY num;" % ",".join(ALL_COLS)
        # The warm-up builds tmp/export.cache (doc/FORMAT.md), which the
        # timed plain exports read; "no cache" removes it first each time
        # (the rm inside the time), so it reads every item file and writes
        # the cache again: the first export after items/ changed.
        cold = ["sh", "-c", 'rm -f "$1/tmp/export.cache" && exec "$2" --data "$1" export --all',
                "sh", store, self.jerry]
        # "after a write": a note to WORK-001 (its durable write inside the
        # time), then the export, which stats each item file and reads the
        # changed one only (the records' file stamps).
        written = ["sh", "-c", '"$2" --data "$1" note 1 bench >/dev/null && '
                   'exec "$2" --data "$1" export --all', "sh", store, self.jerry]
        r = self.group("export", [
            ("jerry_export", self.j(store, "export", "--all")),
            ("sqlite_dump_json", self.sql(db, sel_all, "-json")),
            ("jerry_export_cold", cold),
            ("jerry_export_written", written),
        ], rounds=max(self.cfg["huge_rounds"], 3), warm=1)
        self.ratio_row("export --all", n, r["jerry_export"], "sqlite3 -json select *",
                       r["sqlite_dump_json"], 1.0)
        self.ratio_row("export --all, no cache", n, r["jerry_export_cold"],
                       "sqlite3 -json select *", r["sqlite_dump_json"], None)
        self.ratio_row("export --all, after a write", n, r["jerry_export_written"],
                       "sqlite3 -json select *", r["sqlite_dump_json"], None)

    def sync_row(self):
        """jerry sync between two clones of a bare repository (issue 11):
        each round the other clone changes 100 items and syncs, this clone
        changes 100 others, then `jerry sync` here is timed (fetch, merge,
        commit, push), at 10,000 and at 1,000 items.  Beside it git itself
        doing the same in a repository of 10,000 small files: commit what
        changed here, `git pull --rebase`, `git push`.  The changes are
        untimed and made the ordinary way (`jerry update`, a file write)."""
        rounds = 7 if self.mode == "quick" else 11
        env = dict(self.env, GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL="/dev/null",
                   GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="bench@localhost",
                   GIT_COMMITTER_NAME="bench", GIT_COMMITTER_EMAIL="bench@localhost")
        CHANGED = 100

        def sh(cmd, cwd=None):
            r = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
            if r.returncode:
                raise RuntimeError("%s: exit %d: %s" % (" ".join(cmd), r.returncode, r.stderr))
            return r.stdout

        def timed(cmds, cwd):
            t = time.perf_counter_ns()
            for c in cmds:
                sh(c, cwd)
            return time.perf_counter_ns() - t

        def stats(ns):
            ns = sorted(ns)
            q = statistics.quantiles(ns, n=10, method="inclusive")
            return {"median_ms": statistics.median(ns) / 1e6, "p10_ms": q[0] / 1e6,
                    "p90_ms": q[8] / 1e6, "min_ms": ns[0] / 1e6, "max_ms": ns[-1] / 1e6,
                    "runs": len(ns), "fails": 0}

        def clones(top):
            os.makedirs(top)
            sh(["git", "init", "-q", "--bare", "-b", "main", "origin.git"], top)
            for c in ("a", "b"):
                sh(["git", "clone", "-q", "origin.git", c], top)
            return [os.path.join(top, c) for c in ("a", "b")]

        def jerry_sync(n):
            a, b = clones(os.path.join(self.work, "sync%d" % n))
            sa = self.build_store(n, os.path.join(a, ".jerry", "data"))
            # The same items, built alike: b's first sync finds them equal.
            sb = self.build_store(n, os.path.join(b, ".jerry", "data"))
            sh(self.j(sa, "sync"), a)
            sh(self.j(sb, "sync"), b)
            ns, ins = [], []
            for r in range(rounds + 1):
                for k in range(CHANGED):
                    sh(self.j(sa, "update", "WORK-%03d" % ((r * 2 * CHANGED + k) % n + 1),
                              "--title", "round %d from a" % r), a)
                sh(self.j(sa, "sync"), a)
                for k in range(CHANGED):
                    sh(self.j(sb, "update", "WORK-%03d" % (((r * 2 + 1) * CHANGED + k) % n + 1),
                              "--title", "round %d from b" % r), b)
                t = time.perf_counter_ns()
                out = json.loads(sh(self.j(sb, "--json", "sync"), b))
                if r:                      # the first round warms the caches
                    ns.append(time.perf_counter_ns() - t)
                    ins.append(out["incoming"])
                if not out["pushed"]:
                    raise RuntimeError("sync at %d items pushed nothing: %r" % (n, out))
            chk = subprocess.run(self.j(sb, "check"), stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL, env=env)
            self.checks["sync_%d" % n] = {"incoming": ins, "check_exit": chk.returncode}
            return stats(ns)

        def git_pull(n):
            a, b = clones(os.path.join(self.work, "gitsync%d" % n))
            for i in range(1, n + 1):
                with open(os.path.join(a, "f%05d.json" % i), "w") as f:
                    f.write(json.dumps(item(i), indent=2) + "\n")
            sh(["git", "add", "-A"], a)
            sh(["git", "commit", "-qm", "files"], a)
            sh(["git", "push", "-q", "origin", "main"], a)
            sh(["git", "pull", "-q"], b)

            def change(d, first, r, who):
                for i in range(first, first + CHANGED):
                    with open(os.path.join(d, "f%05d.json" % i), "a") as f:
                        f.write("round %d from %s\n" % (r, who))
            ns = []
            for r in range(rounds + 1):
                change(a, r * 2 * CHANGED + 1, r, "a")
                sh(["git", "commit", "-qam", "a"], a)
                sh(["git", "pull", "-q", "--rebase"], a)
                sh(["git", "push", "-q", "origin", "main"], a)
                change(b, (r * 2 + 1) * CHANGED + 1, r, "b")
                t = timed([["git", "commit", "-qam", "b"], ["git", "pull", "-q", "--rebase"],
                           ["git", "push", "-q", "origin", "main"]], b)
                if r:
                    ns.append(t)
            return stats(ns)

        big = 10000
        log("sync: %d items, %d changes a clone, %d rounds" % (big, CHANGED, rounds))
        j10k = jerry_sync(big)
        log("sync: git pull --rebase, %d files" % big)
        g10k = git_pull(big)
        log("sync: 1,000 items")
        j1k = jerry_sync(1000)
        self.raw["sync"] = {"jerry_sync_10k": j10k, "jerry_sync_1k": j1k, "git_pull_10k": g10k}
        self.ratio_row("sync, 100 changes each side", big, j10k,
                       "git commit + pull --rebase + push", g10k, None)
        self.rows[-1]["note"] = ("the same 100 + 100 changes in 10,000 small files; "
                                 "check exit %s" % self.checks["sync_%d" % big]["check_exit"])
        self.ratio_row("sync at 10000 vs 1000", big, j10k, "jerry sync at 1,000", j1k, 1.5)

    def spread(self):
        """The same items as 1..N, renumbered over 1..10^9 (a merge, a hand
        edit): time and peak memory must follow N, not the numbers."""
        cfg = self.cfg
        N = cfg["spread"]
        nums = spread_numbers(N)
        t = time.time()
        stores_sp = {"seq": self.build_store(N, "c%d" % N),
                     "spread": self.build_store(N, "x%d" % N, nums)}
        log("built %d consecutive and %d spread items in %.1f s" % (N, N, time.time() - t))
        tree = {"seq": "WORK-051", "spread": "WORK-%03d" % nums[50]}  # waits on two
        ops = [("list --json", ["list", "--json"]), ("ready --json", ["ready", "--json"]),
               ("blocked", ["blocked"]), ("dep tree", ["dep", "tree", None]),
               ("check", ["check"]), ("reindex", ["reindex"]),
               ("create", ["create", "bench create {i}"])]
        cmds = []
        for op, args in ops:
            for k in ("seq", "spread"):
                a = [tree[k] if x is None else x for x in args]
                cmds.append(("%s_%s" % (op, k), self.j(stores_sp[k], *a)))
        r = self.group("spread", cmds, rounds=cfg["spread_rounds"], warm=1)
        for op, _ in ops:
            jm, bm = r[op + "_spread"], r[op + "_seq"]
            self.ratio_row("%s, spread numbers" % op, N, jm, "1..%d" % N, bm, 1.25)
        for op, _ in ops:
            jm, bm = r[op + "_spread"], r[op + "_seq"]
            ratio = jm["rss_max_kb"] / bm["rss_max_kb"]
            self.rows.append(dict(op="peak RSS: %s, spread numbers" % op, size=N, unit="KiB",
                                  jerry={"median": jm["rss_max_kb"]}, baseline="1..%d" % N,
                                  base={"median": bm["rss_max_kb"]}, ratio=ratio,
                                  target="<= 1.10x", met=ratio <= 1.10, note=""))

    def label_queue(self):
        """5b. P processes adding a label each, K times, to one item (a queue of
        P on one lock): refusals, the longest single update, throughput beside
        sqlite3 with the same busy timeout as jerry's lock timeout."""
        cfg = self.cfg
        P, K = cfg["label_procs"], cfg["label_per"]
        want = {"w%d-i%d" % (w, w * K + i) for w in range(P) for i in range(K)}
        jt, st = [], []
        for rep in range(cfg["conc_reps"]):
            js = self.build_store(1, "labels-j%d" % rep)
            jdb = self.build_db(1, "labels-s%d" % rep)
            log("one item, %d procs x %d label updates, jerry (round %d)" % (P, K, rep + 1))
            a = self.conc(self.j(js, "update", "WORK-001", "--add-label", "w{w}-i{i}"), P, K)
            got = set(json.loads(run(self.j(js, "show", "WORK-001", "--json")))["labels"])
            chk = subprocess.run(self.j(js, "check"), stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT, text=True)
            a.update(ops=P * K, kept=len(want & got), check_exit=chk.returncode,
                     throughput=(P * K - a["fails"]) / (a["wall_ns"] / 1e9))
            jt.append(a)
            log("one row, %d procs x %d label updates, sqlite3 (round %d)" % (P, K, rep + 1))
            b = self.conc(self.sql(jdb, "UPDATE items SET labels=json_insert(labels,'$[#]',"
                                        "'w{w}-i{i}'), version=version+1 WHERE num=1;"), P, K)
            con = sqlite3.connect(jdb)
            sl = set(json.loads(con.execute("SELECT labels FROM items WHERE num=1").fetchone()[0]))
            con.close()
            b.update(ops=P * K, kept=len(want & sl),
                     throughput=(P * K - b["fails"]) / (b["wall_ns"] / 1e9))
            st.append(b)
        self.checks["same_item_labels"] = {"jerry": jt, "sqlite": st}
        jtp = statistics.median(x["throughput"] for x in jt)
        stp = statistics.median(x["throughput"] for x in st)
        jmax = max(x["max_ns"] for x in jt) / 1e6
        smax = max(x["max_ns"] for x in st) / 1e6
        ok = all(x["fails"] == 0 and x["kept"] == P * K and x["check_exit"] == 0 for x in jt)
        self.rows.append(dict(
            op="%d procs x %d label updates, 1 item" % (P, K), size=1, unit="ops/s",
            jerry={"median": jtp}, baseline="sqlite3 update, 1 row", base={"median": stp},
            ratio=jtp / stp, target="0 refusals, every label kept", met=ok,
            note="jerry refusals %s (exit 5: %s), labels kept %s of %d, check exit %s; "
                 "sqlite3 refusals %s, labels kept %s" % (
                     [x["fails"] for x in jt], [x["exit5"] for x in jt],
                     [x["kept"] for x in jt], P * K, [x["check_exit"] for x in jt],
                     [x["fails"] for x in st], [x["kept"] for x in st])))
        self.rows.append(dict(
            op="longest single label update of %d x %d" % (P, K), size=1, unit="max ms",
            jerry={"median": jmax}, baseline="sqlite3, same run", base={"median": smax},
            ratio=jmax / smax, target="-", met=None,
            note="a fair queue of %d makes this a few queue lengths of hold times, "
                 "not luck: %.0f ms per update at this throughput" % (P, 1000.0 / jtp)))

    # ---- output ----------------------------------------------------------
    def mcp(self, s100, s10k, rdir, cli_ready):
        """`jerry mcp`: a create and an update through one long-lived server
        against one durable atomic replace done in-process (temp file,
        fsync, rename, directory fsync: the floor of any durable write, no
        process start), interleaved round by round; and `ready` at 10,000
        items through the server against the CLI's `ready --json`."""
        def stats(ns):
            ns = sorted(ns)
            q = statistics.quantiles(ns, n=10, method="inclusive") if len(ns) > 1 else ns * 9
            return {"median_ms": statistics.median(ns) / 1e6, "p10_ms": q[0] / 1e6,
                    "p90_ms": q[8] / 1e6, "min_ms": ns[0] / 1e6, "max_ms": ns[-1] / 1e6,
                    "runs": len(ns), "fails": 0}

        class Server:
            def __init__(s, jerry, store, env):
                s.p = subprocess.Popen([jerry, "--data", store, "mcp"], stdin=subprocess.PIPE,
                                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                       env=env, text=True, bufsize=1)
                s.id = 0
                s.rpc("initialize", {"protocolVersion": "2025-11-25", "capabilities": {},
                                     "clientInfo": {"name": "bench", "version": "1"}})

            def rpc(s, method, params):
                s.id += 1
                s.p.stdin.write(json.dumps({"jsonrpc": "2.0", "id": s.id, "method": method,
                                            "params": params}) + "\n")
                s.p.stdin.flush()
                m = json.loads(s.p.stdout.readline())
                if "error" in m or m["result"].get("isError"):
                    raise RuntimeError("jerry mcp %s: %s" % (method, m))
                return m

            def timed(s, tool, args):
                t = time.perf_counter_ns()
                s.rpc("tools/call", {"name": tool, "arguments": args})
                return time.perf_counter_ns() - t

            def close(s):
                s.p.stdin.close()
                s.p.wait()

        def replace(i):
            t = time.perf_counter_ns()
            tmp = os.path.join(rdir, ".mcp-floor.json.tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            os.write(fd, (json.dumps(item(51), indent=2) + "\n").encode())
            os.fsync(fd)
            os.close(fd)
            os.rename(tmp, os.path.join(rdir, "mcp-floor.json"))
            dfd = os.open(rdir, os.O_RDONLY)
            os.fsync(dfd)
            os.close(dfd)
            return time.perf_counter_ns() - t

        rounds, warm = self.cfg["rounds"], self.cfg["warm"]
        log("timing mcp: create, update, replace x %d rounds; ready x %d" %
            (rounds, self.cfg["list_rounds"]))
        srv = Server(self.jerry, s100, self.env)
        floor, create, update = [], [], []
        for i in range(warm + rounds):
            f = replace(i)
            c = srv.timed("create", {"title": "bench mcp create %d" % i})
            u = srv.timed("update", {"id": "WORK-051", "title": "bench mcp update %d" % i})
            if i >= warm:
                floor.append(f)
                create.append(c)
                update.append(u)
        srv.close()
        srv = Server(self.jerry, s10k, self.env)
        ready = [srv.timed("ready", {}) for _ in range(warm + self.cfg["list_rounds"])][warm:]
        srv.close()
        self.raw["mcp"] = {"replace_inproc": stats(floor), "create": stats(create),
                           "update": stats(update), "ready_10k": stats(ready)}
        m = self.raw["mcp"]
        self.ratio_row("mcp create (one server)", 100, m["create"], "in-process durable replace",
                       m["replace_inproc"], 1.5)
        self.ratio_row("mcp update (one server)", 100, m["update"], "in-process durable replace",
                       m["replace_inproc"], 1.5)
        self.ratio_row("mcp create vs CLI create", 100, m["create"], "jerry create",
                       self.raw["write"]["jerry_create_100"], None)
        self.ratio_row("mcp ready (one server)", 10000, m["ready_10k"], "jerry ready --json",
                       cli_ready, 0.5)

    def report(self):
        def ms(m):
            return "%.2f (%.2f-%.2f)" % (m["median_ms"], m["p10_ms"], m["p90_ms"])

        lines = []
        hdr = ("operation", "size", "jerry median (p10-p90)", "baseline",
               "baseline median (p10-p90)", "ratio", "target", "met")
        body = []
        for r in self.rows:
            if r["unit"] == "ms":
                jv, bv = ms(r["jerry"]), ms(r["base"]) if r["base"] else "-"
            elif r["unit"] == "ops/s":
                jv, bv = "%.0f ops/s" % r["jerry"]["median"], "%.0f ops/s" % r["base"]["median"]
            elif r["unit"] == "max ms":
                jv, bv = "%.0f ms (max)" % r["jerry"]["median"], "%.0f ms (max)" % r["base"]["median"]
            else:
                jv = "%.1f MiB" % (r["jerry"]["median"] / 1024)
                bv = "%.1f MiB" % (r["base"]["median"] / 1024) if r["base"] else "-"
            body.append((r["op"], "{:,}".format(r["size"]) if r["size"] else "-", jv,
                         r["baseline"], bv,
                         "%.2fx" % r["ratio"] if r["ratio"] is not None else "-",
                         r["target"],
                         "-" if r["met"] is None else ("met" if r["met"] else "NOT MET")))
        w = [max(len(str(x[i])) for x in body + [hdr]) for i in range(len(hdr))]
        fmt = "| " + " | ".join("%%-%ds" % x for x in w) + " |"
        lines.append(fmt % hdr)
        lines.append("|" + "|".join("-" * (x + 2) for x in w) + "|")
        for b in body:
            lines.append(fmt % b)
        notes = [r["op"] + ": " + r["note"] for r in self.rows if r.get("note")]
        print()
        print("jerry benchmark, mode %s, %s, %d cores, times in ms" % (
            self.mode, time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), os.cpu_count()))
        print("\n".join(lines))
        print()
        for n in notes:
            print("  " + n)
        print("  targets met: %d of %d" % (sum(1 for r in self.rows if r["met"]),
                                          sum(1 for r in self.rows if r["met"] is not None)))
        print("  total %.0f s; load average %.1f before, %.1f after" % (
            self.elapsed, self.load_before[0], os.getloadavg()[0]))

        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        try:
            commit = run(["git", "rev-parse", "--short", "HEAD"],
                         cwd=os.path.dirname(os.path.abspath(__file__))).strip()
            dirty = bool(run(["git", "status", "--porcelain", "--untracked-files=no"],
                             cwd=os.path.dirname(os.path.abspath(__file__))).strip())
        except Exception:
            commit, dirty = None, None
        try:
            version = run([self.jerry, "--version"]).strip()
        except Exception:
            version = None
        doc = {
            "timestamp": stamp, "mode": self.mode, "config": self.cfg,
            "machine": {"cores": os.cpu_count(), "kernel": platform.release(),
                        "python": platform.python_version(),
                        "loadavg_before": self.load_before, "loadavg_after": os.getloadavg(),
                        "sqlite3": run(["sqlite3", "--version"]).split()[0]},
            "jerry": {"version": version, "commit": commit, "dirty_tree": dirty},
            "elapsed_s": round(self.elapsed, 1),
            "rows": self.rows, "groups": self.raw, "checks": self.checks,
            "table": lines,
        }
        path = os.path.join(self.outdir, "results-%s.json" % stamp)
        with open(path, "w") as f:
            json.dump(doc, f, indent=1)
        shutil.copyfile(path, os.path.join(self.outdir, "latest.json"))
        print("  figures: %s (and latest.json)" % path)


if __name__ == "__main__":
    if len(sys.argv) != 5 or sys.argv[3] not in CONFIG:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    b = Bench(*sys.argv[1:5])
    b.main()
    if os.environ.get("BENCH_KEEP") != "1":
        shutil.rmtree(b.work, ignore_errors=True)
