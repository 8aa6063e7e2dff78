#!/bin/bash
# The exit-code tables in the docs agree with the binary's own table.
#
# The library's exit table (src/domain/error.c) is the one source: `jerry
# help exit-codes --json` prints it.  Each doc that has a table of exit
# statuses must list exactly its statuses, each once, in order:
#   - README.md's "| exit | meaning | what to do |" table,
#   - doc/CLI.md's "## Exit codes (fixed)" table,
#   - doc/jerry.1's EXIT STATUS section (.TP / .B N entries),
#   - skills/jerry/SKILL.md's "## React to exit codes" table, which leaves
#     out what an agent has no advice for (exit 1), as prime's guide does;
#   - prime's guide (text and --json), built from the table.
# doc/CLI.md's table also names each status's --json error codes.
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/../lib.sh"

expect_run 0 '*' '' -- "$JERRY" --json help exit-codes
cp "$tmp/out" "$tmp/table.json"
json_assert 'help exit-codes --json: the statuses 0..10, each code once' "$tmp/table.json" \
	'sorted({r["exit"] for r in d}) == list(range(11)) and len({r["code"] for r in d}) == len(d)'
expect_run 0 '^10 +output_failed +' '' -- "$JERRY" help exit-codes

# The statuses, one a line, in the order the table has them (unique).
python3 -c '
import json, sys
rows = json.load(open(sys.argv[1]))
seen, advised = [], []
for r in rows:
    if r["exit"] not in seen:
        seen.append(r["exit"])
    if r["advice"] and r["exit"] not in advised:
        advised.append(r["exit"])
open(sys.argv[2], "w").write("".join("%d\n" % s for s in seen))
open(sys.argv[3], "w").write("".join("%d\n" % s for s in advised))
' "$tmp/table.json" "$tmp/all" "$tmp/advised" || test_fail 'read the table' "python3 failed"

# The first column of the markdown table after the line matching HEAD.
md_table() {
	awk -v head="$2" '
		index($0, head) { on = 1; next }
		on && /^\|/ { rows = 1; split($0, f, "|"); gsub(/ /, "", f[2]); if (f[2] ~ /^[0-9]+$/) print f[2]; next }
		on && rows { exit }
	' "$1"
}

# The .B N entries of the man page's EXIT STATUS section.
man_table() {
	awk '
		/^\.SH/ { on = ($0 ~ /^\.SH "?EXIT STATUS"?$/); next }
		on && prev ~ /^\.TP/ && /^\.B [0-9]+$/ { print $2 }
		{ prev = $0 }
	' "$1"
}

same() {
	if cmp -s "$2" "$3"; then
		test_ok "$1"
	else
		test_fail "$1" "binary: $(tr '\n' ' ' <"$2"); doc: $(tr '\n' ' ' <"$3")"
	fi
}

md_table "$root/README.md" '| exit | meaning |' >"$tmp/readme"
same 'README.md: the exit-code table lists every status, in order' "$tmp/all" "$tmp/readme"
md_table "$root/doc/CLI.md" '## Exit codes (fixed)' >"$tmp/clidoc"
same 'doc/CLI.md: the exit-code table lists every status, in order' "$tmp/all" "$tmp/clidoc"
man_table "$root/doc/jerry.1" >"$tmp/man"
same 'doc/jerry.1: EXIT STATUS lists every status, in order' "$tmp/all" "$tmp/man"
md_table "$root/skills/jerry/SKILL.md" '## React to exit codes' >"$tmp/skill"
same 'SKILL.md: the table lists every status an agent acts on, in order' "$tmp/advised" "$tmp/skill"

jerry_init
# prime's guide: "Exit codes: 0 ok; 2 ...;" wrapped over lines; the numbers in order.
guide_codes() {
	sed -n '/^Exit codes:/,/^[^ E]/p' "$1" | sed 's/^Exit codes://' |
		grep -oE '(^ *|; )[0-9]+ ' | grep -oE '[0-9]+'
}
expect_run 0 '^Exit codes: 0 ok;' '' -- "$JERRY" --as a prime
guide_codes "$tmp/out" >"$tmp/prime"
same 'prime: the guide gives advice for every status the table advises on' "$tmp/advised" "$tmp/prime"
expect_run 0 '*' '' -- "$JERRY" --as a --json prime
python3 -c 'import json, sys; sys.stdout.write(json.load(open(sys.argv[1]))["guide"])' \
	"$tmp/out" >"$tmp/guide"
guide_codes "$tmp/guide" >"$tmp/prime_json"
same 'prime --json: the same guide' "$tmp/advised" "$tmp/prime_json"

# doc/CLI.md's name column: the --json "code" of each status, as the table has them.
python3 -c '
import json, sys
names = {}
for r in json.load(open(sys.argv[1])):
    names.setdefault(r["exit"], []).append(r["code"])
print("\n".join("%d %s" % (k, ", ".join(v)) for k, v in names.items()))
' "$tmp/table.json" >"$tmp/names"
awk '
	index($0, "## Exit codes (fixed)") { on = 1; next }
	on && /^\|/ { rows = 1; n = split($0, f, "|"); gsub(/^ +| +$/, "", f[2]); gsub(/^ +| +$/, "", f[3])
		if (f[2] ~ /^[0-9]+$/) print f[2] " " f[3]; next }
	on && rows { exit }
' "$root/doc/CLI.md" >"$tmp/clinames"
same 'doc/CLI.md: each status names the codes the table gives it' "$tmp/names" "$tmp/clinames"

test_done
