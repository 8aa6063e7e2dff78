"""HI-004: libFuzzer on the item codec, seeded with real item files."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from behave import given, then, when  # noqa: E402

import jerrylib as jl  # noqa: E402
from jerrylib import J, add_items, init_store  # noqa: E402


@given("the codec fuzzer and a corpus of real item files")
def step_fuzzer(context):
    fz = os.path.join(context.root, "build", "validate", "fuzz_codec")
    if not os.access(fz, os.X_OK):
        return context.skip("no %s: validate.sh builds it with clang -fsanitize=fuzzer "
                            "(clang's libFuzzer missing?)" % fz)
    context.fuzzer = fz
    init_store(context, context.store)
    add_items(context, 4)
    env = dict(context.env, JERRY_SYNC="off")
    J(context, "update", "WORK-004", "--parent", "WORK-002", "--assignee", "me", "-p", "high", env=env)
    J(context, "claim", "WORK-001", env=env)
    J(context, "done", "WORK-003", env=env)
    corpus = os.path.join(context.work, "corpus")
    os.makedirs(corpus)
    for num, path in jl.item_files(context.store).items():
        with open(path, "rb") as src, open(os.path.join(corpus, "item%d.json" % num), "wb") as dst:
            dst.write(src.read())
    with open(os.path.join(context.store, "index.json")) as fh:
        for i, line in enumerate(fh):
            line = line.strip().rstrip(",")
            if line.startswith('{"id"'):
                with open(os.path.join(corpus, "summary%d.json" % i), "w") as dst:
                    dst.write(line)
    context.corpus = corpus


@when("the fuzzer runs for {ci:d} seconds in ci mode and {full:d} in full mode")
def step_fuzz_run(context, ci, full):
    if context.rec.get("skip"):
        return
    secs = context.size(ci, full)
    arts = os.path.join(context.root, "build", "validate", "fuzz-artifacts") + "/"
    os.makedirs(arts, exist_ok=True)
    context.arts = arts
    r = jl.run([context.fuzzer, "-max_total_time=%d" % secs, "-max_len=16384",
                "-artifact_prefix=" + arts,
                "-rss_limit_mb=2048", "-print_final_stats=1", context.corpus],
               cwd=context.work, timeout=secs + 120)
    context.fuzz = r
    m = re.search(r"Done (\d+) runs", r.err)
    runs = int(m.group(1)) if m else 0
    context.rec["tried"] = "libFuzzer on the item/summary decoder and round trip, %d s, ASan+UBSan" % secs
    context.rec["count"] = runs


@then("it finds no crash, leak, sanitizer report or round-trip difference")
def step_fuzz_ok(context):
    if context.rec.get("skip"):
        return
    r = context.fuzz
    tail = r.err[-1500:]
    assert r.rc == 0 and "Done" in r.err, "the fuzzer found something (exit %s, input kept in %s):\n%s" % (
        r.rc, context.arts, tail)
    assert context.rec["count"] > 0, tail
