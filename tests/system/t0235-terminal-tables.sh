#!/bin/bash
# Text tables for people (issue 13, doc/CLI.md "Text tables"):
#   - widths are display columns (wcwidth): CJK and emoji are two wide;
#   - on a terminal (a real one, or COLUMNS) a row fits its width and the
#     title, the last column, takes the room the others leave;
#   - piped, no row is padded past its text, none ends in a blank;
#   - labels are shown; an empty result says so to a person at a terminal;
#   - show's times are relative ("3m ago"); --json and --exact-time keep
#     exact ones.
. "$(dirname "$0")/../lib.sh"
jerry_init
export LC_ALL=C.UTF-8

LONG='A very long title that goes on and on about a race in the synchronisation layer when two agents take the same item at the same moment'
"$JERRY" create '修复登录页面的超时问题并添加重试逻辑' -l ui -l 后端 --assignee carol >/dev/null  # 1
"$JERRY" create 'Emoji 🚀 rocket launch checklist' -p high --assignee '山田太郎さん' >/dev/null  # 2
"$JERRY" create "$LONG" -t bug -p critical >/dev/null                                            # 3
"$JERRY" create 'short and assigned' --assignee bob >/dev/null                                   # 4

# cols.py FILE: each line's width in display columns, one a line.
# aligned.py FILE: every column the header starts begins there in every row
# too - the two columns before it are blank in each row (a cell measured
# short would run into them).
cat >"$tmp/cols.py" <<'EOF'
import sys, unicodedata
def width(s):
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
def cells(s):
    out = []
    for c in s:
        out += [c] + [None] * (width(c) - 1)
    return out
lines = open(sys.argv[2], encoding="utf-8").read().split("\n")[:-1]
if sys.argv[1] == "widths":
    for l in lines:
        print(width(l))
else:
    head = lines[0]
    starts = [width(head[:i]) for i in range(1, len(head)) if head[i] != " " and head[i - 1] == " "]
    bad = [l for l in lines[1:] for c in starts
           if len(cells(l)) > c and cells(l)[c - 1] != " " or len(cells(l)) > c and cells(l)[c - 2] != " "]
    if bad:
        print("out of line: %r" % bad)
        sys.exit(1)
EOF
widest() { python3 "$tmp/cols.py" widths "$1" | sort -n | tail -1; }
row_width() { grep "^$2 " "$1" | python3 "$tmp/cols.py" widths /dev/stdin; }

# ---- piped ----------------------------------------------------------------------
expect_run 0 '^ID +STATUS +PRI +TYPE +ASSIGNEE +TITLE$' '' -- "$JERRY" list
check_true 'piped: CJK cells keep the columns in line' python3 "$tmp/cols.py" aligned "$tmp/out"
check_true 'piped: no row ends in a blank' sh -c '! grep -q " $" "$1/out"' sh "$tmp"
check_true "piped: a short row is not padded to the longest title ($(row_width "$tmp/out" WORK-004) columns)" \
	test "$(row_width "$tmp/out" WORK-004)" -lt 80
check_true 'piped: a long title is whole' grep -qF "$LONG" "$tmp/out"
check_true 'labels follow the title' grep -Eq '^WORK-001 .*修复登录页面的超时问题并添加重试逻辑  #ui #后端$' "$tmp/out"

# ---- COLUMNS: laid out for a terminal that wide -----------------------------------
for cols in 80 70; do
	TEST_DESC="list at COLUMNS=$cols" expect_run 0 '^ID' '' -- env COLUMNS=$cols "$JERRY" list
	check_true "COLUMNS=$cols: no line is wider (widest $(widest "$tmp/out"))" test "$(widest "$tmp/out")" -le $cols
	check_true "COLUMNS=$cols: the long title takes all the room ($(row_width "$tmp/out" WORK-003))" \
		test "$(row_width "$tmp/out" WORK-003)" -eq $cols
	check_true "COLUMNS=$cols: cut with an ellipsis" grep -Eq '^WORK-003 .*…$' "$tmp/out"
	check_true "COLUMNS=$cols: columns in line" python3 "$tmp/cols.py" aligned "$tmp/out"
done
check_true 'COLUMNS=70: a CJK title is cut at a character, labels after it' \
	grep -Eq '^WORK-001 .* 修复[^ ]*…  #ui' "$tmp/out"
TEST_DESC='blocked at COLUMNS=50' expect_run 0 '*' '' -- env COLUMNS=50 "$JERRY" blocked
"$JERRY" dep add 4 --on 3 >/dev/null
TEST_DESC='blocked at COLUMNS=50' expect_run 0 '^    waits on WORK-003 \(pending\) A very' '' -- env COLUMNS=50 "$JERRY" blocked
check_true "blocked at COLUMNS=50: lines fit (widest $(widest "$tmp/out"))" test "$(widest "$tmp/out")" -le 50

# ---- a real terminal: script(1) gives jerry a pty 80 columns wide ---------------------
# tty CMD...: run jerry under a pseudo-terminal of 80 columns, stdout and
# stderr both to the terminal; $tmp/out gets what it showed, without CRs.
tty() {
	script -qec "stty cols 80 rows 40; $*" /dev/null </dev/null | tr -d '\r' >"$tmp/out"
}
export NO_COLOR=1
tty "\"$JERRY\" list"
check_true 'tty: the header is there' grep -Eq '^ID +STATUS +PRI +TYPE +ASSIGNEE +TITLE$' "$tmp/out"
check_true "tty 80: no line is wider (widest $(widest "$tmp/out"))" test "$(widest "$tmp/out")" -le 80
check_true "tty 80: the long title takes all the room ($(row_width "$tmp/out" WORK-003))" \
	test "$(row_width "$tmp/out" WORK-003)" -eq 80
check_true 'tty 80: columns in line' python3 "$tmp/cols.py" aligned "$tmp/out"
tty "\"$JERRY\" list --label nosuchlabel"
check_true 'tty: an empty list says so' grep -qx 'no items match' "$tmp/out"
tty "\"$JERRY\" ready --type epic"
check_true 'tty: nothing ready says so' grep -qx 'nothing is ready' "$tmp/out"
tty "\"$JERRY\" search 'no such text'"
check_true 'tty: an empty search says so' grep -qx 'no items match' "$tmp/out"
unset NO_COLOR
# Piped, the same empty results are silent (doc/CLI.md: nothing at all).
expect_run 0 '' '' -- "$JERRY" list --label nosuchlabel
expect_run 0 '' '' -- "$JERRY" ready --type epic

# ---- show: times for people ------------------------------------------------------------
"$JERRY" note 2 'a note' >/dev/null
"$JERRY" claim 2 --as dana >/dev/null
expect_run 0 '^created: +(just now|[0-9]+[smh] ago) by ' '' -- "$JERRY" show 2
check_true 'show: the note is dated for people' grep -Eq '^  \[(just now|[0-9]+[smh] ago)\] [^ ]+: a note$' "$tmp/out"
check_true 'show: the claim says when its lease ends' grep -Eq '^claim: +dana, lease ends in [0-9]+m$' "$tmp/out"
check_true 'show: no RFC 3339 time in the card' sh -c '! grep -Eq "[0-9]{4}-[0-9]{2}-[0-9]{2}T" "$1/out"' sh "$tmp"
TEST_DESC='show --json' expect_run 0 '"created_at": "[0-9]{4}-[0-9]{2}-[0-9]{2}T' '' -- "$JERRY" show 2 --json
# --exact-time: a person's way back to the exact stamps, in the same places.
TS='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z'
expect_run 0 "^created: +$TS by " '' -- "$JERRY" show 2 --exact-time
check_true 'show --exact-time: the note and the lease exact too' \
	sh -c "grep -Eq '^  \[$TS\] [^ ]+: a note\$' '$tmp/out' && grep -Eq '^claim: +dana, lease ends $TS\$' '$tmp/out'"
check_true 'show --exact-time: nothing relative' sh -c '! grep -Eq "just now| ago|in [0-9]" "$1/out"' sh "$tmp"

# ---- summary: each section a table ------------------------------------------------------
"$JERRY" --as '山田太郎' claim 1 >/dev/null
# starts.py FILE RE: the display column where RE's match ends, on every line it matches.
cat >"$tmp/starts.py" <<'EOF'
import re, sys, unicodedata
def width(s):
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
for l in open(sys.argv[1], encoding="utf-8"):
    m = re.match(sys.argv[2], l)
    if m:
        print(width(l[:m.end()]))
EOF
# same_start RE: RE matches at least two lines of $tmp/out, all ending at one column.
same_start() {
	python3 "$tmp/starts.py" "$tmp/out" "$1" >"$tmp/starts"
	test "$(wc -l <"$tmp/starts")" -ge 2 && test "$(sort -u "$tmp/starts" | wc -l)" -eq 1
}
expect_run 0 '^claimed:$' '' -- "$JERRY" summary
check_true 'summary: a CJK claimer keeps the lease column in line' \
	same_start '  WORK-[0-9]+ +[a-z_]+ +by [^ ]+ +(?=lease)'
check_true 'summary: changed rows keep the title column in line' \
	same_start '  WORK-[0-9]+ +[a-z_]+ +v[0-9]+ +[^ ]+ +(just now|[0-9]+[smhdwy] ago) +'
TEST_DESC='summary at COLUMNS=80' expect_run 0 '^next up:$' '' -- env COLUMNS=80 "$JERRY" summary
check_true "summary at COLUMNS=80: no line is wider (widest $(widest "$tmp/out"))" test "$(widest "$tmp/out")" -le 80

test_done
