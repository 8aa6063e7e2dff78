"""HI-001..: hostile input.  Odd IDs, bad text, planted symlinks, broken
files: each gets a specific error and loses nothing."""
import json
import os
import shlex
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from behave import given, then, when  # noqa: E402

import jerrylib as jl  # noqa: E402
from jerrylib import J  # noqa: E402


def _outside(context):
    p = os.path.join(context.work, "outside.json")
    with open(p, "w") as fh:
        fh.write('{"id": "WORK-004", "secret": "must never change"}\n')
    return p


def sabotage(context, what):
    s = context.store
    items = os.path.join(s, "items")
    if what == "nothing":
        return
    if what == "a symlink planted as the next item":
        os.symlink(_outside(context), os.path.join(items, "WORK-004.json"))
    elif what == "a symlink planted over WORK-002":
        os.unlink(os.path.join(items, "WORK-002.json"))
        os.symlink(_outside(context), os.path.join(items, "WORK-002.json"))
    elif what == "WORK-002 truncated by hand":
        p = os.path.join(items, "WORK-002.json")
        raw = open(p, "rb").read()
        open(p, "wb").write(raw[: len(raw) // 2])
    elif what == "WORK-002 with a duplicate key":
        p = os.path.join(items, "WORK-002.json")
        txt = open(p).read().replace('"title"', '"title": "dup",\n  "title"', 1)
        open(p, "w").write(txt)
    elif what == "WORK-002 emptied":
        open(os.path.join(items, "WORK-002.json"), "w").close()
    elif what == "index.json truncated":
        p = os.path.join(s, "index.json")
        raw = open(p, "rb").read()
        open(p, "wb").write(raw[: len(raw) // 2])
    elif what == "index.json and index.log deleted":
        os.unlink(os.path.join(s, "index.json"))
        os.unlink(os.path.join(s, "index.log"))
    elif what == "the sequence behind the items":
        p = os.path.join(s, "sequences.json")
        d = json.load(open(p))
        d["WORK"] = 1
        open(p, "w").write(json.dumps(d))
    elif what == "the item lock file replaced by a directory":
        p = os.path.join(s, "locks", "items.lock")
        os.unlink(p)
        os.mkdir(p)
    elif what == "a stray file in items":
        open(os.path.join(items, "notes.txt"), "w").write("hello\n")
    else:
        raise AssertionError("unknown sabotage %r" % what)


ARG_SUBST = {
    "<257-chars>": "x" * 257,
    "<invalid-utf-8>": b"bad\xff\xfe".decode("utf-8", "surrogateescape"),
    "<control-char>": "ctl\x01x",
    "<bell>": "bell\x07",
    "<65-byte-label>": "l" * 65,
    "<newline>": "two\nlines",
}


@given("a store with 3 items and {what}")
def step_sabotaged(context, what):
    from jerrylib import init_store, add_items
    init_store(context, context.store)
    add_items(context, 3)
    context.before = jl.snapshot(context.store)
    sabotage(context, what)
    context.sabotage = what
    context.after_sabotage = jl.snapshot_raw(context.store)


@when('I run jerry {cmd}')
def step_run_hostile(context, cmd):
    args = [ARG_SUBST.get(a, a) for a in shlex.split(cmd)]
    inp = None
    if "<64KiB+1-on-stdin>" in args:
        args = [a for a in args if a != "<64KiB+1-on-stdin>"]
        inp = b"y" * 65537
    context.res = jl.run([context.jerry, "--data", context.store] + args, env=context.env, input=inp)
    sab = getattr(context, "sabotage", "nothing")
    context.rec["tried"] = cmd if sab == "nothing" else "%s after %s" % (cmd, sab)
    context.rec["count"] += 1


@then('it exits {codes} and says "{words}"')
def step_exits(context, codes, words):
    r = context.res
    allowed = [int(c) for c in codes.replace(" or ", ",").split(",")]
    assert r.rc in allowed, "expected exit %s, got %r" % (codes, r)
    # check reports its problems on stdout (exit 7); every other failure
    # is one line on stderr and nothing on stdout (doc/CLI.md)
    is_check = "check" in r.args
    text = (r.out + r.err if is_check or not r.rc else r.err).lower()
    for w in words.lower().split(" & "):
        assert w in text, "output does not say %r: %r" % (w, r)
    if r.rc and not is_check:
        assert not r.out, "stdout should be empty on failure: %r" % r
        assert r.err.startswith("jerry: "), "stderr should start with 'jerry: ': %r" % r


@then("nothing was lost or touched")
def step_nothing_touched(context):
    now = jl.snapshot_raw(context.store)
    changed = [k for k in context.after_sabotage if now.get(k) != context.after_sabotage[k]]
    context.rec["lost"] += len(changed)
    assert not changed, "changed by the failed command: %s" % changed
    outside = os.path.join(context.work, "outside.json")
    if os.path.exists(outside):
        assert "must never change" in open(outside).read(), "the symlink target was written"
    assert not jl.temp_files(context.store), jl.temp_files(context.store)


@then("every other item is intact and the new one is a fresh file")
def step_new_fresh(context):
    now = jl.snapshot_raw(context.store)
    for k, raw in context.after_sabotage.items():
        assert now.get(k) == raw, "%s changed" % k
    new = set(now) - set(context.after_sabotage)
    assert len(new) == 1, "expected one new item file, got %s" % new
    outside = os.path.join(context.work, "outside.json")
    if os.path.exists(outside):
        assert "must never change" in open(outside).read(), "the symlink target was written"


@then("after jerry {cmd} the store checks clean and every item is there")
def step_heal(context, cmd):
    r = jl.run([context.jerry, "--data", context.store] + shlex.split(cmd), env=context.env)
    assert r.rc == 0, "%s failed: %r" % (cmd, r)
    v = jl.verify_store(context.jerry, context.store, context.env)
    assert not v, v
    items, _ = jl.read_items(context.store)
    for n in context.before:
        assert n in items, "WORK-%03d lost" % n
    lst = J(context, "--json", "list", "--all")
    assert lst.rc == 0 and len(lst.json()) == len(items), lst
