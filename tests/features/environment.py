"""behave hooks: a fresh store per scenario, and one results record per
scenario for the table tests/validate.sh prints.

Environment:
  JERRY             the binary under test (default build/jerry)
  JERRY_FAULT_BIN   the fault-injection build (default build/fault/jerry)
  JERRY_ASAN_BIN    fault build with sanitizers (default build/fault-asan/jerry)
  VALIDATE_MODE     ci (default) or full: sizes and rounds
  VALIDATE_RESULTS  JSON-lines file the records are appended to
  VALIDATE_TMP      where scratch stores go (default /tmp)
  VALIDATE_KEEP_FAILED=1  keep the scratch directory of a failed scenario
"""
import json
import os
import re
import shutil
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))

import jerrylib  # noqa: E402

ID_TAG = re.compile(r"^[A-Z]{2}-\d{3}$")


def _bin(var, default):
    p = os.environ.get(var) or default
    if not os.path.isabs(p):
        p = os.path.join(ROOT, p)
    return p


def before_all(context):
    context.root = ROOT
    context.jerry = _bin("JERRY", "build/jerry")
    context.fault_jerry = _bin("JERRY_FAULT_BIN", "build/fault/jerry")
    context.asan_jerry = _bin("JERRY_ASAN_BIN", "build/fault-asan/jerry")
    context.mode = os.environ.get("VALIDATE_MODE", "ci")
    context.results_path = os.environ.get("VALIDATE_RESULTS") or os.path.join(
        ROOT, "build", "validate", "results.jsonl")
    os.makedirs(os.path.dirname(context.results_path), exist_ok=True)
    context.tmpbase = os.environ.get("VALIDATE_TMP") or tempfile.gettempdir()
    if not os.access(context.jerry, os.X_OK):
        raise SystemExit("validate: no jerry binary at %s (build it, or set JERRY)" % context.jerry)


def size(context, ci, full):
    """A number that depends on the mode: CI-sized or thorough."""
    return full if context.mode == "full" else ci


def skip(context, reason):
    """Say SKIP with the reason: never pass silently."""
    context.rec["skip"] = reason
    context.scenario.skip(reason)


def before_scenario(context, scenario):
    tags = [t for t in scenario.effective_tags if ID_TAG.match(t)]
    # Rows of one Scenario Outline are one line of the table ("Name: <var>").
    group = scenario.name
    if getattr(scenario, "_row", None) is not None:
        group = scenario.name.split(":")[0]
    context.rec = {"id": tags[0] if tags else "-", "name": scenario.name, "group": group,
                   "tried": "", "count": 0, "lost": 0, "notes": []}
    context.t0 = time.time()
    context.work = tempfile.mkdtemp(prefix="jerry-validate-", dir=context.tmpbase)
    os.chmod(context.work, 0o755)
    context.store = os.path.join(context.work, "store")
    context.cleanups = []
    env = dict(os.environ)
    for k in ("JERRY_FAULT", "JERRY_FAULT_LOG", "JERRY_PROJECT", "JERRY_LOCK_TIMEOUT",
              "JERRY_SYNC", "JERRY_SESSION", "JERRY_INSTANCE", "CLAUDE_CODE_SESSION_ID"):
        env.pop(k, None)
    env["JERRY_DATA"] = context.store
    env["NO_COLOR"] = "1"
    env["JERRY_INSTANCE"] = "validator"
    env["JERRY_SESSION"] = "validate-session"
    context.env = env
    context.size = lambda ci, full: size(context, ci, full)
    context.skip = lambda reason: skip(context, reason)


def step_undefined(scenario):
    for step in scenario.all_steps:
        if str(step.status).endswith("undefined"):
            return step.name
    return None


def after_scenario(context, scenario):
    for fn in reversed(context.cleanups):
        try:
            fn()
        except Exception as e:  # cleanup must not hide the verdict
            print("cleanup error: %s" % e, file=sys.stderr)
    # Never remove a directory that still has something mounted in it.
    busy = False
    with open("/proc/self/mounts") as fh:
        for line in fh:
            if line.split()[1].startswith(context.work + "/"):
                busy = True
    keep = os.environ.get("VALIDATE_KEEP_FAILED") == "1" and str(scenario.status).endswith("failed")
    if keep:
        print("validate: kept the scratch directory of the failed scenario: %s" % context.work)
    elif not busy:
        for _ in range(3):
            shutil.rmtree(context.work, ignore_errors=True)
            if not os.path.exists(context.work):
                break
            time.sleep(0.5)
    rec = dict(context.rec)
    if rec.get("skip"):
        rec["status"] = "SKIP"
    elif scenario.status == "failed" or str(scenario.status).endswith("failed"):
        rec["status"] = "FAIL"
        # The first line of the failure, for the table.
        for step in scenario.all_steps:
            msg = getattr(step, "error_message", None)
            if msg:
                lines = [l.strip() for l in msg.strip().splitlines() if l.strip()]
                first = [i for i, l in enumerate(lines) if l.startswith("Assertion Failed")]
                if first:
                    i = first[0]
                    rec["error"] = " ".join(lines[i:i + 2])[:300]
                else:
                    tb = [l for l in lines if not l.startswith(("File ", "Traceback"))]
                    rec["error"] = (step.name + ": " + (tb[-1] if tb else "error"))[:300]
                break
        if step_undefined(scenario):
            rec["error"] = "undefined step: " + step_undefined(scenario)
    elif str(scenario.status).endswith("passed"):
        rec["status"] = "PASS"
    else:
        rec["status"] = "SKIP"
        rec.setdefault("skip", "not run (%s)" % scenario.status)
    rec["seconds"] = round(time.time() - context.t0, 1)
    rec["binary"] = context.jerry
    with open(context.results_path, "a") as fh:
        fh.write(json.dumps(rec) + "\n")
