"""FS-001 (disk full on a small tmpfs), FS-002 (read-only bind mount,
unprivileged user), FS-003 (a FUSE filesystem that delays every call)."""
import json
import os
import shlex
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from behave import given, then, when  # noqa: E402

import jerrylib as jl  # noqa: E402
from jerrylib import J, add_items, init_store, normal, target_of, big_text  # noqa: E402


def can_mount(context, what):
    if not jl.is_root():
        context.skip("%s needs root (mount)" % what)
        return False
    return True


def tmpfs(context, size):
    mnt = os.path.join(context.work, "mnt")
    os.makedirs(mnt, exist_ok=True)
    r = jl.mount(["-t", "tmpfs", "-o", "size=%s,mode=0755" % size, "tmpfs", mnt])
    if r.rc != 0:
        context.skip("cannot mount a tmpfs: %s" % r.err.strip())
        return None
    context.cleanups.append(lambda: jl.umount(mnt))
    return mnt


def fill_to(mnt, filler, free):
    """Grow a filler file until `free` bytes are left (or the disk is full:
    ext4 needs metadata blocks statvfs does not count in advance)."""
    import errno
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        for _ in range(1000):
            sv = os.statvfs(mnt)
            need = sv.f_bavail * sv.f_frsize - free
            if need <= 0:
                return True
            try:
                os.write(fd, b"\0" * min(need, 1 << 20))
                os.fsync(fd)
            except OSError as e:
                if e.errno == errno.ENOSPC:
                    return True  # full: the least free space there can be
                raise
        return False
    finally:
        os.close(fd)


# ---- FS-001: disk full -----------------------------------------------------------

@given("a template store with {n:d} items and a {kb:d} KiB tmpfs")
def step_tmpfs_template(context, n, kb):
    init_store(context, os.path.join(context.work, "template"))
    add_items(context, n, sync_off=False)
    context.template = context.store
    if not can_mount(context, "a small tmpfs"):
        return
    context.mnt = tmpfs(context, "%dk" % kb)


@given("a template store with {n:d} items and a {mb:d} MiB ext4 image made with -m 0")
def step_ext4_template(context, n, mb):
    init_store(context, os.path.join(context.work, "template"))
    add_items(context, n, sync_off=False)
    context.template = context.store
    if not can_mount(context, "a loop-mounted ext4 image"):
        return
    if not jl.which("mkfs.ext4"):
        return context.skip("mkfs.ext4 (e2fsprogs) is not installed")
    img = os.path.join(context.work, "ext4.img")
    mnt = os.path.join(context.work, "mnt")
    os.makedirs(mnt, exist_ok=True)
    with open(img, "wb") as fh:
        fh.truncate(mb * 1024 * 1024)
    # -m 0: no blocks reserved for root, who would otherwise write into them
    r = jl.run(["mkfs.ext4", "-q", "-F", "-m", "0", img])
    if r.rc != 0:
        return context.skip("mkfs.ext4 failed: %s" % r.err.strip())
    r = jl.mount(["-o", "loop", img, mnt])
    if r.rc != 0:
        return context.skip("cannot loop-mount ext4: %s" % r.err.strip())
    context.cleanups.append(lambda: jl.umount(mnt))
    context.mnt = mnt


@when("each of {cmds} runs with the free space set to every step of {step:d} KiB from 0 to {top:d} KiB")
def step_disk_full(context, cmds, step, top):
    if context.rec.get("skip"):
        return
    import re
    commands = re.findall(r'"([^"]+)"', cmds)
    env = dict(context.env)
    env.pop("JERRY_DATA", None)
    desc = os.path.join(context.work, "desc")
    with open(desc, "w") as fh:
        fh.write(big_text("disk full"))
    before_snap = jl.snapshot(context.template)
    before_items, _ = jl.read_items(context.template)
    problems, runs, by_rc = [], 0, {}
    store = os.path.join(context.mnt, "store")
    filler = os.path.join(context.mnt, "filler")
    for cmd in commands:
        args = shlex.split(cmd)
        stdin = desc if "-" in args else None
        want_new = None
        for free_kb in range(0, top + 1, step):
            runs += 1
            where = "%s with %d KiB free" % (args[0], free_kb)
            for p in (store, filler):
                if os.path.isdir(p):
                    shutil.rmtree(p)
                elif os.path.exists(p):
                    os.unlink(p)
            shutil.copytree(context.template, store)
            if not fill_to(context.mnt, filler, free_kb * 1024):
                problems.append("%s: the filesystem is too small for this step" % where)
                continue
            inp = open(stdin, "rb").read() if stdin else None
            before_list = jl.run([context.jerry, "--data", store, "--json", "list", "--all"], env=env).out
            x = jl.run([context.jerry, "--data", store] + args, env=env, input=inp)
            key = "%s:%s" % (args[0], x.rc)
            by_rc[key] = by_rc.get(key, 0) + 1
            items, bad = jl.read_items(store)
            problems += ["%s: %s" % (where, b) for b in bad]
            num = target_of(cmd)
            if num is None:
                new = sorted(set(items) - set(before_items))
                num = new[0] if new else max(before_items) + 1
            snap = jl.snapshot(store)
            for k, raw in snap.items():
                if k != num and before_snap.get(k) != raw:
                    problems.append("%s: another item changed" % where)
            if x.rc == 0:
                if num not in items:
                    problems.append("%s: exit 0 but no item" % where)
                    context.rec["lost"] += 1
                elif want_new is None:
                    want_new = normal(items[num])
                elif normal(items[num]) != want_new:
                    problems.append("%s: exit 0 but the item differs from the full-disk-free run" % where)
            elif x.rc == 6:
                if snap.get(num) != before_snap.get(num):
                    problems.append("%s: exit 6 but the item changed" % where)
                if "space" not in x.err.lower():
                    problems.append("%s: exit 6 without saying the disk is full: %r" % (where, x.err))
                if jl.temp_files(store):
                    problems.append("%s: temp files left: %s" % (where, jl.temp_files(store)))
                after_list = jl.run([context.jerry, "--data", store, "--json", "list", "--all"], env=env)
                if after_list.rc != 0 or after_list.out != before_list:
                    problems.append("%s: exit 6 but list changed or failed: %r" % (where, after_list))
            else:
                problems.append("%s: exit %s, expected 0 or 6: %s" % (where, x.rc, x.err.strip()[:200]))
            c, d = jl.check_json(context.jerry, store, env)
            if c.rc != 0:
                problems.append("%s (exit %s): check finds %s" % (
                    where, x.rc, [(p["kind"], p["message"][:80]) for p in (d or {}).get("problems", [])]))
            os.unlink(filler)
            w = jl.run([context.jerry, "--data", store, "note", "WORK-001", "space again"], env=env)
            if w.rc != 0:
                problems.append("%s: with space again the next write failed: %r" % (where, w))
    context.fs_problems = problems
    fstype = "ext4" if os.path.exists(os.path.join(context.work, "ext4.img")) else "tmpfs"
    context.rec["tried"] = "%s on a full %s, %d free-space levels" % (
        "/".join(shlex.split(c)[0] for c in commands), fstype, top // step + 1)
    context.rec["count"] += runs
    context.rec["exits"] = {str(k): v for k, v in sorted(by_rc.items())}
    for cmd in commands:
        if "%s:6" % shlex.split(cmd)[0] not in by_rc:
            problems.append("no run of %s hit ENOSPC: the free-space steps missed its writes" % cmd)


@then("every run succeeded whole or exited 6 saying so, with nothing changed and no temp file left")
def step_fs_ok(context):
    if context.rec.get("skip"):
        return
    p = context.fs_problems
    assert not p, "%d problems:\n  %s" % (len(p), "\n  ".join(p[:15]))


# ---- FS-002: permission denied --------------------------------------------------------

WRITES = [["create", "denied"], ["update", "WORK-002", "--title", "denied"],
          ["note", "WORK-002", "denied"], ["start", "WORK-001"], ["done", "WORK-003"],
          ["reindex"], ["check", "--repair"]]
READS = [["show", "WORK-002"], ["--json", "show", "WORK-002"], ["list", "--all"],
         ["--json", "list"], ["check"]]


@given("a read-only bind mount of the store")
def step_ro_bind(context):
    if not can_mount(context, "a read-only bind mount"):
        return
    view = os.path.join(context.work, "ro")
    os.makedirs(view)
    r = jl.mount(["--bind", context.store, view])
    if r.rc != 0:
        return context.skip("cannot bind-mount: %s" % r.err.strip())
    context.cleanups.append(lambda: jl.umount(view))
    r = jl.mount(["-o", "remount,bind,ro", view])
    if r.rc != 0:
        return context.skip("cannot remount read-only: %s" % r.err.strip())
    context.access = lambda args, **kw: jl.run([context.jerry, "--data", view] + args, env=context.env, **kw)
    context.denied_word = "read-only"


@given("an unprivileged user (uid 65534) facing a store owned by root")
def step_nobody(context):
    if not jl.is_root():
        return context.skip("needs root to switch to another user")
    if not jl.which("setpriv"):
        return context.skip("setpriv (util-linux) is not installed")
    probe = jl.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "true"])
    if probe.rc != 0:
        return context.skip("setpriv cannot switch user: %s" % probe.err.strip())
    # the scratch directory must be reachable for that user
    p = context.work
    while p != "/":
        if not os.stat(p).st_mode & 0o001:
            return context.skip("%s is not searchable by other users" % p)
        p = os.path.dirname(p)
    # ... and so must the binary: the clone may be in a 0700 home (/root).
    # Today setpriv finds the program before its capabilities drop, but an
    # accident of setpriv is nothing to lean on: that user runs a copy.
    jerry = os.path.join(context.work, "jerry-nobody")
    shutil.copy(context.jerry, jerry)
    os.chmod(jerry, 0o755)
    env = dict(context.env, HOME="/")
    context.access = lambda args, **kw: jl.run(
        ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", jerry,
         "--data", context.store] + args, env=env, **kw)
    context.denied_word = "permission denied"


@when("every write command and every read command runs there")
def step_run_all(context):
    if context.rec.get("skip"):
        return
    context.before = jl.snapshot(context.store)
    context.before_list = J(context, "--json", "list", "--all").out
    context.w = [context.access(a) for a in WRITES]
    context.w += [context.access(["--json"] + a) for a in WRITES[:3]]
    context.r = [context.access(a) for a in READS]
    context.rec["tried"] = "%d writes, %d reads" % (len(context.w), len(context.r))
    context.rec["count"] = len(context.w) + len(context.r)


@then("every write exits 6 with a clear message and changes nothing")
def step_writes_denied(context):
    if context.rec.get("skip"):
        return
    bad = []
    for x in context.w:
        if x.rc != 6:
            bad.append("expected exit 6: %r" % x)
        elif x.out:
            bad.append("stdout not empty: %r" % x)
        elif "--json" in x.args:
            e = json.loads(x.err)["error"]
            if e["exit"] != 6 or e["code"] != "storage" and not e["code"]:
                bad.append("bad JSON error: %r" % x)
        elif context.denied_word not in x.err.lower() or not x.err.startswith("jerry: "):
            bad.append("message does not say %r: %r" % (context.denied_word, x.err))
    after = jl.snapshot(context.store)
    if after != context.before:
        bad.append("items changed")
        context.rec["lost"] += 1
    if J(context, "--json", "list", "--all").out != context.before_list:
        bad.append("the index changed")
    if jl.temp_files(context.store):
        bad.append("temp files: %s" % jl.temp_files(context.store))
    assert not bad, "%d problems:\n  %s" % (len(bad), "\n  ".join(bad[:10]))


@then("every read works")
def step_reads_work(context):
    if context.rec.get("skip"):
        return
    bad = [repr(x) for x in context.r if x.rc != 0 or x.err]
    assert not bad, "%d reads failed:\n  %s" % (len(bad), "\n  ".join(bad[:10]))


# ---- FS-003: a slow FUSE filesystem --------------------------------------------------

@given("a store on a FUSE filesystem that delays every call by {us:d} microseconds")
def step_fuse(context, us):
    delayfs = os.path.join(context.root, "build", "validate", "delayfs")
    if not jl.is_root():
        return context.skip("needs root to mount FUSE here")
    if not os.path.exists("/dev/fuse"):
        return context.skip("no /dev/fuse on this machine")
    if not jl.which("fusermount3"):
        return context.skip("fusermount3 (fuse3) is not installed")
    if not os.access(delayfs, os.X_OK):
        src = os.path.join(context.root, "tests", "features", "delayfs.c")
        os.makedirs(os.path.dirname(delayfs), exist_ok=True)
        cf = jl.run(["pkg-config", "--cflags", "--libs", "fuse3"])
        if cf.rc != 0:
            return context.skip("libfuse3-dev is not installed")
        b = jl.run(["cc", "-O2", "-o", delayfs, src] + cf.out.split())
        if b.rc != 0:
            return context.skip("cannot build delayfs: %s" % b.err[-300:])
    back = os.path.join(context.work, "backing")
    mnt = os.path.join(context.work, "fuse")
    os.makedirs(back)
    os.makedirs(mnt)
    log = open(os.path.join(context.work, "delayfs.log"), "w")
    p = subprocess.Popen([delayfs, back, mnt, "-f"], env=dict(os.environ, DELAYFS_US=str(us)),
                         stdout=log, stderr=log)

    def stop():
        jl.run(["fusermount3", "-u", mnt])
        try:
            p.wait(timeout=5)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
            jl.run(["fusermount3", "-uz", mnt])
    context.cleanups.append(stop)
    deadline = time.time() + 10
    while time.time() < deadline and not jl.mounted(mnt):
        if p.poll() is not None:
            return context.skip("delayfs could not mount: %s" % open(log.name).read()[-300:])
        time.sleep(0.05)
    if not jl.mounted(mnt):
        return context.skip("delayfs did not mount within 10 s")
    init_store(context, os.path.join(mnt, "store"))
    context.rec["notes"].append("FUSE delay %d us per call, no RENAME_NOREPLACE" % us)


@when("{n:d} instances append a note to one item at once with --lock-timeout {ms:d}")
def step_notes_timeout(context, n, ms):
    if context.rec.get("skip"):
        return
    assert J(context, "create", "slow").rc == 0
    cmds = [[context.jerry, "--json", "--lock-timeout", str(ms), "note", "WORK-001", "note %d" % i]
            for i in range(n)]
    context.notes_res = jl.run_many(cmds, context.work, env=context.env, timeout=300)
    context.rec["tried"] = "%d notes at once, lock timeout %d ms" % (n, ms)
    context.rec["count"] = n


@then("each exits 0 or 5, the timed-out ones name the lock and change nothing, and every acknowledged note is there")
def step_notes_ok(context):
    if context.rec.get("skip"):
        return
    ok = [x for x in context.notes_res if x.rc == 0]
    t5 = [x for x in context.notes_res if x.rc == 5]
    other = [x for x in context.notes_res if x.rc not in (0, 5)]
    assert not other, "unexpected exits: %r" % other[0]
    for x in t5:
        e = json.loads(x.err)["error"]
        assert e["exit"] == 5 and "lock" in e["message"], x
    d = J(context, "--json", "show", "WORK-001").json()
    texts = [nn["text"] for nn in d["notes"]]
    want = sorted(x.args[-1] for x in ok)
    lost = len(set(want) - set(texts))
    context.rec["lost"] += lost
    assert lost == 0, "%d acknowledged notes missing" % lost
    assert sorted(texts) == want, "notes of timed-out commands were stored: %s" % (
        set(texts) - set(want))
    assert d["version"] == 1 + len(ok), "version %d after %d notes" % (d["version"], len(ok))
    context.rec["notes"].append("%d acknowledged, %d timed out" % (len(ok), len(t5)))
    assert ok, "no note got through at all"
