#!/usr/bin/env python3
"""Inject a failure into every system call a jerry command makes after its
commit point, one at a time, and hold the outcome to doc/CLI.md.

Used by t0140-committed-output.sh:

    t0140-committed-output.py TEMPLATE WORK MODE ITEM VERSION NITEMS EXPR -- ARGS...

TEMPLATE is a data directory; each run gets a fresh copy of it in WORK (so
every run makes the same system calls) and runs `$JERRY ARGS...` under
strace with JERRY_DATA=WORK.  The commit point is the rename that installs
the item file (items/WORK-NNN.json); every system call after it but the
final exit is failed in turn (`strace -e inject=NAME:error=E:when=K`, K
counting calls of NAME).  MODE is `text`, `json` (ARGS carry --json) or
`full` (stdout is /dev/full as well).  Runs with JERRY_SYNC unset, so the
directory fsync after the rename is among the calls failed.

After each run: the injected call really came after the commit; the exit
status is 0, 8 or 10 (only 10 with MODE full) and never 6; the store holds
the change exactly once (ITEM at VERSION, NITEMS item files, and EXPR true
of the item file as d); an exit 10 names ITEM and VERSION on stderr (text:
`jerry: ...` and a `hint:` line; json: one error object).

Prints `ok NAME` or `FAIL NAME: WHY` per assertion; the shell script counts
them.
"""
import json
import os
import re
import shutil
import subprocess
import sys

SYSCALL = re.compile(r'^(?:\d+ +)?([a-z_0-9]+)\(')
COMMIT = re.compile(r'^(?:\d+ +)?(?:rename|renameat|renameat2|linkat)\(.*"WORK-\d+\.json".*= 0$')
COMMIT_CALLS = 'rename,renameat,renameat2,linkat'
NOT_FAILED = {'exit', 'exit_group'}


def main():
    tmpl, work, mode, item, version, nitems, expr = sys.argv[1:8]
    assert sys.argv[8] == '--'
    args = sys.argv[9:]
    version, nitems = int(version), int(nitems)
    jerry = os.environ['JERRY']
    env = dict(os.environ, JERRY_DATA=work)
    # With fsync on: the directory sync after the rename is part of the walk.
    env.pop('JERRY_SYNC', None)
    # A sanitizer build: LeakSanitizer cannot work under ptrace (it stops the
    # world the same way), so it would fail every traced run.
    env['ASAN_OPTIONS'] = (env.get('ASAN_OPTIONS', '') + ':detect_leaks=0').lstrip(':')
    trace = work + '.trace'
    name = ' '.join(args)

    def run(inject=None):
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(tmpl, work, symlinks=True)
        cmd = ['strace', '-f', '-qq', '-o', trace]
        if inject:
            # Only the failed call and the commit are traced: --seccomp-bpf
            # lets every other call run untouched (a sanitizer build makes
            # thousands).  when=K counts calls of that name all the same.
            call, k = inject
            err = 'ENOSPC' if call in ('write', 'writev', 'pwrite64') else 'EIO'
            cmd += ['--seccomp-bpf', '-e', 'trace=%s,%s' % (call, COMMIT_CALLS),
                    '-e', 'inject=%s:error=%s:when=%d' % (call, err, k)]
        cmd += ['--', jerry] + args
        out_path = '/dev/full' if mode == 'full' else work + '.out'
        with open(out_path, 'w') as out:
            p = subprocess.run(cmd, stdout=out, stderr=subprocess.PIPE, env=env,
                               stdin=subprocess.DEVNULL, timeout=60)
        stdout = ''
        if mode != 'full':
            with open(out_path) as f:
                stdout = f.read()
        with open(trace) as f:
            lines = f.read().splitlines()
        return p.returncode, stdout, p.stderr.decode('utf-8', 'replace'), lines

    def after_commit(lines):
        """(call, k) for each call after the commit point; k counts calls of that name."""
        seen, calls, committed = {}, [], False
        for line in lines:
            m = SYSCALL.match(line)
            if not m:
                continue
            call = m.group(1)
            seen[call] = seen.get(call, 0) + 1
            if committed and call not in NOT_FAILED:
                calls.append((call, seen[call]))
            if COMMIT.match(line):
                committed = True
        return committed, calls

    def store_problem():
        path = os.path.join(work, 'items', item + '.json')
        files = [f for f in os.listdir(os.path.join(work, 'items')) if f.endswith('.json')]
        if len(files) != nitems:
            return '%d item files, not %d' % (len(files), nitems)
        try:
            with open(path) as f:
                d = json.load(f)
        except (OSError, ValueError) as e:
            return 'cannot read %s: %s' % (path, e)
        if d['version'] != version:
            return '%s is at version %d, not %d' % (item, d['version'], version)
        if not eval(expr, {'d': d}):
            return 'not true of %s: %s' % (item, expr)
        return None

    def outcome_problem(rc, stdout, stderr, stderr_failed):
        allowed = (10,) if mode == 'full' else (0, 8, 10)
        if rc not in allowed:
            return 'exit %d, not one of %s; stderr: %s' % (rc, allowed, stderr.strip())
        if rc == 0 and mode == 'text' and stdout.split(' ')[0].strip() != item:
            return 'exit 0 without the result on stdout: %r' % stdout
        # A failed write of stderr cannot be reported: the status is all there is.
        if stderr_failed:
            return None
        if rc == 8 and 'durable' not in stderr:
            return 'exit 8 without the durability warning: %s' % stderr.strip()
        if rc != 10:
            return None
        if mode == 'json':
            try:
                e = json.loads(stderr)['error']
            except (ValueError, KeyError) as x:
                return 'stderr is not one JSON error object (%s): %s' % (x, stderr)
            if (e.get('code'), e.get('exit'), e.get('item'), e.get('version')) != \
                    ('output_failed', 10, item, version):
                return 'wrong error object: %s' % stderr.strip()
            return None
        want = re.compile(r'^jerry: .*%s.*version %d\), but its result could not be written'
                          % (re.escape(item), version), re.M)
        if not want.search(stderr) or not re.search(r'^hint: the change is made', stderr, re.M):
            return 'exit 10 without item, version and hint on stderr: %s' % stderr.strip()
        return None

    def report(what, problem):
        # One line each: the shell script reads them line by line.
        problem = problem and ' | '.join(problem.splitlines())
        print('FAIL %s: %s' % (what, problem) if problem else 'ok %s' % what)

    rc, stdout, stderr, lines = run()
    committed, calls = after_commit(lines)
    want_rc = 10 if mode == 'full' else 0
    report('%s [%s]: runs (exit %d) and commits' % (name, mode, want_rc),
           None if rc == want_rc and committed else
           'exit %d, commit seen: %s; stderr: %s' % (rc, committed, stderr.strip()))
    report('%s [%s]: some system calls after the commit' % (name, mode),
           None if len(calls) >= 5 else 'only %s' % calls)
    for call, k in calls:
        what = '%s [%s]: %s #%d fails after the commit' % (name, mode, call, k)
        rc, stdout, stderr, lines = run((call, k))
        injected = [i for i, l in enumerate(lines) if l.endswith('(INJECTED)')]
        commits = [i for i, l in enumerate(lines) if COMMIT.match(l)]
        if not injected or not commits or injected[0] < commits[0]:
            report(what, 'the failure did not land after the commit (injected at %s, commit at %s)'
                   % (injected[:1], commits[:1]))
            continue
        stderr_failed = re.match(r'^(?:\d+ +)?write\(2,', lines[injected[0]]) is not None
        report(what, outcome_problem(rc, stdout, stderr, stderr_failed) or store_problem())


if __name__ == '__main__':
    main()
