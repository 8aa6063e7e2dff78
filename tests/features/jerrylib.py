"""Helpers shared by the behave steps: run the real jerry binary, start
many at once behind a gate, and examine a store on disk.

Nothing here knows jerry's internals beyond doc/CLI.md and doc/FORMAT.md.
"""
import glob
import json
import os
import re
import shutil
import signal
import struct
import subprocess
import tempfile
import time
from shutil import which  # noqa: F401

ITEM_RE = re.compile(r"^WORK-(\d{3,})\.json$")
TEMP_RE = re.compile(r"\.tmp-")


class Result:
    def __init__(self, args, rc, out, err):
        self.args, self.rc, self.out, self.err = args, rc, out, err

    def __repr__(self):
        return "%s -> exit %s\nstdout: %s\nstderr: %s" % (
            " ".join(map(str, self.args)), self.rc, self.out[-600:], self.err[-600:])

    def json(self):
        return json.loads(self.out)


def run(cmd, env=None, input=None, timeout=120, cwd=None):
    """Run a command; stdout, stderr and exit code kept apart."""
    p = subprocess.run(cmd, env=env, input=input, capture_output=True, timeout=timeout,
                       cwd=cwd)
    dec = lambda b: b.decode("utf-8", "replace")
    return Result(cmd, p.returncode, dec(p.stdout), dec(p.stderr))


class Gate:
    """A FIFO that holds many child processes until all are started.

    Each child runs `sh -c 'read x <FIFO; exec "$@"'`.  We hold the FIFO
    open read-write, so a child's open never blocks; its read blocks until
    release() writes one line per child.  All then go at once."""

    def __init__(self, dirpath):
        self.path = os.path.join(dirpath, "gate-%d" % os.getpid())
        if os.path.exists(self.path):
            os.unlink(self.path)
        os.mkfifo(self.path)
        self.fd = os.open(self.path, os.O_RDWR)
        self.n = 0

    def wrap(self, cmd):
        self.n += 1
        return ["sh", "-c", 'read x <"$0"; exec "$@"', self.path] + list(cmd)

    def release(self):
        os.write(self.fd, b"\n" * self.n)

    def close(self):
        try:
            os.close(self.fd)
        except OSError:
            pass
        try:
            os.unlink(self.path)
        except OSError:
            pass


def run_many(cmds, workdir, env=None, timeout=300, inputs=None):
    """Start every command behind one gate, release them together, wait for
    all.  Returns a list of Result in the order of cmds."""
    gate = Gate(workdir)
    procs = []
    files = []
    try:
        for i, cmd in enumerate(cmds):
            o = tempfile.TemporaryFile(dir=workdir)
            e = tempfile.TemporaryFile(dir=workdir)
            stdin = subprocess.DEVNULL
            if inputs and inputs[i] is not None:
                stdin = open(inputs[i], "rb")
            procs.append(subprocess.Popen(gate.wrap(cmd), stdout=o, stderr=e, stdin=stdin,
                                          env=env))
            files.append((o, e))
        gate.release()
        deadline = time.time() + timeout
        results = []
        for p, (o, e), cmd in zip(procs, files, cmds):
            try:
                rc = p.wait(timeout=max(1, deadline - time.time()))
            except subprocess.TimeoutExpired:
                p.kill()
                rc = p.wait()
                rc = "TIMEOUT"
            o.seek(0)
            e.seek(0)
            results.append(Result(cmd, rc, o.read().decode("utf-8", "replace"),
                                  e.read().decode("utf-8", "replace")))
        return results
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
        for o, e in files:
            o.close()
            e.close()
        gate.close()


# ---- the store on disk -------------------------------------------------------

def item_files(store):
    out = {}
    for f in os.listdir(os.path.join(store, "items")):
        m = ITEM_RE.match(f)
        if m:
            out[int(m.group(1))] = os.path.join(store, "items", f)
    return out


def temp_files(store):
    found = []
    for d in (store, os.path.join(store, "items"), os.path.join(store, "tmp")):
        try:
            for f in os.listdir(d):
                if TEMP_RE.search(f):
                    found.append(os.path.join(d, f))
        except OSError:
            pass
    return found


def read_items(store):
    """Parse every items/WORK-NNN.json.  Returns (items by number, problems):
    a problem is a file that is empty, not whole JSON, or whose content does
    not match its name."""
    items, bad = {}, []
    for num, path in sorted(item_files(store).items()):
        try:
            with open(path, "rb") as fh:
                raw = fh.read()
        except OSError as e:
            bad.append("%s: unreadable: %s" % (path, e))
            continue
        if not raw:
            bad.append("%s: empty file" % path)
            continue
        try:
            d = json.loads(raw)
        except ValueError as e:
            bad.append("%s: not whole JSON (%d bytes): %s" % (path, len(raw), e))
            continue
        if not isinstance(d, dict) or d.get("id") != os.path.basename(path)[:-5]:
            bad.append("%s: content is not that item" % path)
            continue
        if not isinstance(d.get("version"), int) or d["version"] < 1:
            bad.append("%s: bad version %r" % (path, d.get("version")))
            continue
        items[num] = d
    return items, bad


def snapshot(store):
    """Bytes of every item file, for 'nothing changed' comparisons."""
    snap = {}
    for num, path in item_files(store).items():
        with open(path, "rb") as fh:
            snap[num] = fh.read()
    return snap


def sequence(store):
    with open(os.path.join(store, "sequences.json")) as fh:
        return json.load(fh)


def check_json(jerry, store, env=None, repair=False):
    args = [jerry, "--data", store, "--json", "check"] + (["--repair"] if repair else [])
    r = run(args, env=env)
    try:
        d = json.loads(r.out) if r.out.strip() else None
    except ValueError:
        d = None
    return r, d


def verify_store(jerry, store, env=None, allow_temp=False):
    """The store invariants every scenario ends with.  Returns a list of
    violations (empty = fine).  With allow_temp, temp files of dead writers
    are removed by `check --repair` first; any other problem is a failure."""
    v = []
    items, bad = read_items(store)
    v += bad
    uids = [d.get("uid") for d in items.values()]
    if len(uids) != len(set(uids)):
        v.append("duplicate uid among %d items" % len(uids))
    # sequences.json is an unsynced hint (doc/FORMAT.md): after a power cut
    # it may lag the items or be empty, never hold anything else.
    try:
        with open(os.path.join(store, "sequences.json")) as fh:
            text = fh.read()
        if text:
            seq = json.loads(text)
            if not isinstance(seq.get("WORK"), int):
                v.append("sequences.json holds no WORK number: %r" % text[:200])
    except FileNotFoundError:
        pass
    except (OSError, ValueError) as e:
        v.append("sequences.json unreadable: %s" % e)
    r, d = check_json(jerry, store, env)
    if r.rc != 0:
        kinds = [p.get("kind") for p in (d or {}).get("problems", [])]
        if allow_temp and kinds and all(k == "temp_file" for k in kinds):
            rr = run([jerry, "--data", store, "check", "--repair"], env=env)
            r2, d2 = check_json(jerry, store, env)
            if r2.rc != 0:
                v.append("check after --repair still fails: %r" % r2)
        else:
            other = [p for p in (d or {}).get("problems", []) if p.get("kind") != "temp_file"]
            v.append("jerry check failed (exit %s): %s" % (r.rc, json.dumps(other)[:1500] if other else repr(r)))
    if not allow_temp and temp_files(store):
        v.append("temp files left: %s" % temp_files(store))
    return v


# ---- OFD locks held from python ------------------------------------------------

F_OFD_SETLK = 37
F_WRLCK = 1


def ofd_lock_child(path, start, length=1):
    """Fork a child that takes an OFD write lock on path[start:start+length]
    and waits.  Returns its pid once the lock is held."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(r)
            import fcntl
            fd = os.open(path, os.O_RDWR)
            fl = struct.pack("hh4xqqi4x", F_WRLCK, 0, start, length, 0)
            fcntl.fcntl(fd, F_OFD_SETLK, fl)
            os.write(w, b"1")
            while True:
                time.sleep(3600)
        finally:
            os._exit(1)
    os.close(w)
    got = os.read(r, 1)
    os.close(r)
    if got != b"1":
        os.waitpid(pid, 0)
        raise RuntimeError("lock child failed to take %s byte %d" % (path, start))
    return pid


def kill_wait(pid):
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        os.kill(pid, signal.SIGCONT)
    except ProcessLookupError:
        pass
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass


# ---- mounts -----------------------------------------------------------------------

def is_root():
    return os.geteuid() == 0


def mount(args):
    return run(["mount"] + args)


def umount(path, lazy_retry=True):
    for i in range(50):
        r = run(["umount", path])
        if r.rc == 0 or "not mounted" in r.err:
            return True
        time.sleep(0.1)
    if lazy_retry:
        run(["umount", "-l", path])
    return False


def mounted(path):
    path = os.path.realpath(path)
    with open("/proc/self/mounts") as fh:
        return any(l.split()[1] == path for l in fh)


def copytree(src, dst):
    shutil.copytree(src, dst, symlinks=True)


# ---- helpers that take the behave context ----------------------------------------

BIG = 48 * 1024  # a description this size makes each write take a while


def J(context, *args, binary=None, env=None, input=None, timeout=120):
    """Run jerry on the scenario's store."""
    return run([binary or context.jerry, "--data", context.store] + list(args),
                  env=env or context.env, input=input, timeout=timeout)


def big_text(tag, size=BIG):
    unit = "%s lorem ipsum dolor sit amet. " % tag
    return (unit * (size // len(unit) + 1))[:size]


def init_store(context, store=None):
    if store:
        context.store = store
        context.env["JERRY_DATA"] = store
    r = J(context, "init")
    assert r.rc == 0, "jerry init failed: %r" % r


def add_items(context, n, sync_off=True):
    """n items; WORK-002 gets labels, a note and a big description; WORK-003
    is in progress.  Setup only, so without fsync when sync_off."""
    env = dict(context.env)
    if sync_off:
        env["JERRY_SYNC"] = "off"
    for i in range(1, n + 1):
        r = J(context, "create", "item %d" % i, env=env)
        assert r.rc == 0, r
        if i == 2:
            r = J(context, "update", "WORK-002", "--add-label", "alpha", "--add-label", "beta",
                  "--description", "-", input=big_text("seed").encode(), env=env)
            assert r.rc == 0, r
            r = J(context, "note", "WORK-002", "first note", env=env)
            assert r.rc == 0, r
        if i == 3:
            r = J(context, "start", "WORK-003", env=env)
            assert r.rc == 0, r


def violations_fail(context, v, what):
    if v:
        context.rec["notes"].append("%s: %s" % (what, v[0][:200]))
    assert not v, "%s:\n  %s" % (what, "\n  ".join(v[:20]))




VOLATILE = ("uid", "created_at", "updated_at", "created_by", "updated_by", "completed_at")


def normal(d):
    """An item without the fields that differ between two runs of one command."""
    if d is None:
        return None
    d = {k: v for k, v in d.items() if k not in VOLATILE}
    d["notes"] = [n.get("text") for n in d.get("notes", [])]
    if isinstance(d.get("claim"), dict):
        # the lease end and the claim token (random) differ from run to run
        d["claim"] = {k: v for k, v in d["claim"].items() if k not in ("expires_at", "token")}
    return d


def changed_item(before_snap, store):
    """The one item a command created or changed (for commands such as
    `claim --next` that do not name it)."""
    after = snapshot(store)
    changed = [k for k, raw in after.items() if before_snap.get(k) != raw]
    assert len(changed) == 1, "expected one changed item, got %s" % changed
    return changed[0]


def target_of(cmd):
    m = re.search(r"WORK-\d+", cmd)
    return int(m.group(0)[5:]) if m else None


def fresh_copy(context, name):
    d = os.path.join(context.work, name)
    if os.path.exists(d):
        shutil.rmtree(d)
    shutil.copytree(context.template, d)
    return d




def snapshot_raw(store):
    """Every entry of items/ by name: its bytes, or its link target."""
    out = {}
    d = os.path.join(store, "items")
    for f in os.listdir(d):
        p = os.path.join(d, f)
        if os.path.islink(p):
            out[f] = "symlink -> " + os.readlink(p)
        elif os.path.isfile(p):
            with open(p, "rb") as fh:
                out[f] = fh.read()
    return out
