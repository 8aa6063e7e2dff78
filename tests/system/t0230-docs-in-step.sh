#!/bin/bash
# doc/jerry.1 and completions/ in step with the command table.
#
# The binary is the truth: its commands come from `jerry help`, each
# command's options from `jerry CMD --help` (src/cli/commands.c makes both).
# Then, both ways:
#   - the man page: every command has an entry under COMMANDS (and a line
#     in SYNOPSIS) that names each of its options, long and short; every
#     option an entry defines is the command's; GLOBAL OPTIONS are exactly
#     the global ones; no option anywhere that the binary does not have;
#   - bash: `jerry CMD -<TAB>`, run through the completion function, offers
#     exactly the command's long options and the global ones; every option
#     that takes a value is skipped with it when finding the command;
#   - zsh: the command list, `jerry help <TAB>` and each command's
#     _arguments spec, read from the file (no zsh needed), the same way.
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/../lib.sh"

man=$root/doc/jerry.1
bashc=$root/completions/jerry.bash
zshc=$root/completions/_jerry
for f in "$man" "$bashc" "$zshc"; do
	check_true "$(basename "$f") is there" test -s "$f"
done

commands=$("$JERRY" help | awk '/^Commands:/ { on = 1; next } on && /^$/ { on = 0 } on { print $1 }')
check_true 'jerry help lists commands' test -n "$commands"

mkdir "$tmp/help" "$tmp/bash"
"$JERRY" help >"$tmp/help/_global"
for c in $commands; do
	"$JERRY" "$c" --help >"$tmp/help/$c" 2>&1 || test_fail "$c --help" "exit $?"
done

# What bash completes after "jerry WORDS... -": one option a line.
bash_complete() {
	# shellcheck disable=SC2016
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _jerry
		printf "%s\n" "${COMPREPLY[@]}"' bash "$bashc" jerry "$@"
}
bash_complete - >"$tmp/bash/_global"
for c in $commands; do
	case $c in
	dep)
		bash_complete dep add - >"$tmp/bash/dep"
		bash_complete dep tree WORK-001 - >"$tmp/bash/dep-tree" ;;
	*) bash_complete "$c" - >"$tmp/bash/$c" ;;
	esac
done

python3 - "$tmp" "$man" "$bashc" "$zshc" $commands >"$tmp/verdicts" <<'EOF'
import os
import re
import sys

tmp, man, bashc, zshc = sys.argv[1:5]
commands = sys.argv[5:]
out = []


def verdict(name, problems):
    out.append(("FAIL\t%s\t%s" % (name, "; ".join(sorted(problems)))) if problems
               else ("ok\t%s\t" % name))


def section(path, start):
    """The lines of a help text after the line `start`, up to an empty one."""
    lines, on = [], False
    for line in open(path):
        if line.startswith(start):
            on = True
            continue
        if on and not line.strip():
            break
        if on:
            lines.append(line)
    return lines


OPTION = re.compile(r"^\s+(?:-([a-zA-Z]), )?(--[a-z][a-z-]*)(?: ([A-Z]\S*))?")


def options(lines):
    """{'--long': takes_value}, {'-x'} from help option lines."""
    longs, shorts = {}, set()
    for line in lines:
        m = OPTION.match(line)
        if m:
            longs[m.group(2)] = bool(m.group(3))
            if m.group(1):
                shorts.add("-" + m.group(1))
    return longs, shorts


glong, gshort = options(section(os.path.join(tmp, "help", "_global"), "Global options"))
opts = {c: options(section(os.path.join(tmp, "help", c), "Options:")) for c in commands}
every_long = set(glong) | {o for c in commands for o in opts[c][0]}
verdict("the binary has global options", set() if glong else {"none read from jerry help"})

LONG = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*[a-z0-9](?!\w)")
SHORT = re.compile(r"(?<![\w-])-[a-zA-Z](?![\w-])")

# ---- the man page ------------------------------------------------------------------------


def unroff(s):
    s = s.replace("\\-", "-").replace("\\&", "").replace("\\c", "")
    return re.sub(r"\\f[BIRP]", "", s)


def words_of(line):
    """The words of a line, its macro and quotes taken away."""
    return unroff(re.sub(r"^\.[A-Z]+\s*", "", line)).replace('"', " ").split()


NUMBER = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8}
lines = open(man).read().splitlines()
sec, depth, prev = None, 0, ""
order = []           # COMMANDS entries in order, for a paragraph "All five take ..."
blocks = {}          # command -> the text of its entry (and of paragraphs about it)
defined = {}         # command -> the options its entry lists as items
synopsis, globals_defined = set(), set()
cur = []             # the commands the current text is about
for line in lines:
    w = words_of(line)
    if line.startswith(".SH"):
        sec, cur, depth = line[3:].strip().strip('"'), [], 0
    elif line.startswith(".RS"):
        depth += 1
    elif line.startswith(".RE"):
        depth -= 1
    elif sec == "COMMANDS" and depth == 0 and prev == ".TP" and w:
        cur = [w[0]]
        blocks.setdefault(w[0], [])
        defined.setdefault(w[0], set())
        if w[0] not in order:
            order.append(w[0])
    elif sec == "COMMANDS" and depth == 0 and prev == ".IP" and w[:1] == ["All"] and \
            w[2:3] == ["take"] and w[1] in NUMBER:
        cur = order[-NUMBER[w[1]]:]
    elif sec == "COMMANDS" and depth == 1 and prev == ".TP" and w and w[0].startswith("-"):
        for c in cur:
            defined[c] |= set(LONG.findall(" ".join(w))) | set(SHORT.findall(" ".join(w)))
    elif sec == "GLOBAL OPTIONS" and prev == ".TP":
        globals_defined |= set(LONG.findall(" ".join(w))) | set(SHORT.findall(" ".join(w)))
    if sec == "SYNOPSIS" and line.startswith(".B") and w[:1] == ["jerry"] and len(w) > 1:
        synopsis |= {w[1]} | {x for i, x in enumerate(w) if i and w[i - 1] == "|"}
    if sec == "COMMANDS":
        for c in cur:
            blocks[c].append(unroff(line))
    prev = line

verdict("jerry.1: a COMMANDS entry for every command",
        {"no entry for %s" % c for c in commands if c not in blocks})
verdict("jerry.1: no COMMANDS entry the binary does not have",
        {"%s is not a command" % c for c in blocks if c not in commands})
verdict("jerry.1: every command in SYNOPSIS",
        {"%s missing" % c for c in commands if c not in synopsis} |
        {"%s is not a command" % c for c in synopsis if c not in commands})
for c in commands:
    if c not in blocks:
        continue
    text = "\n".join(blocks[c])
    said = set(LONG.findall(text)) | set(SHORT.findall(text))
    longs, shorts = opts[c]
    verdict("jerry.1: the entry of %s names each of its options" % c,
            {"%s not named" % o for o in set(longs) | shorts if o not in said})
    verdict("jerry.1: the entry of %s defines only its own options" % c,
            {"%s is not an option of %s" % (o, c) for o in defined[c]
             if o not in longs and o not in shorts})
verdict("jerry.1: GLOBAL OPTIONS are the global options",
        {"%s not described" % o for o in set(glong) | gshort if o not in globals_defined} |
        {"%s is not a global option" % o for o in globals_defined
         if o not in glong and o not in gshort})
# Shell examples (.nf ... .fi) count only in their jerry commands: not git log --format.
kept, literal = [], False
for line in lines:
    if line.startswith(".nf"):
        literal = True
    elif line.startswith(".fi"):
        literal = False
    elif literal:
        kept += [seg for seg in re.split(r"\||;|&&|\$\(", line) if seg.split()[:1] == ["jerry"]]
    elif not line.startswith('.\\"'):
        kept.append(line)
verdict("jerry.1: no option the binary does not have",
        {o for o in set(LONG.findall(unroff("\n".join(kept)))) if o not in every_long})

# ---- bash ----------------------------------------------------------------------------------


def completed(name):
    return set(open(os.path.join(tmp, "bash", name)).read().split())


verdict("jerry.bash: jerry -<TAB> offers the global options",
        {"%s missing" % o for o in glong if o not in completed("_global")} |
        {"%s offered" % o for o in completed("_global") if o not in glong})
for c in commands:
    want = set(opts[c][0]) | (set(glong) if c != "help" else set())
    got = completed(c)
    verdict("jerry.bash: jerry %s -<TAB> offers its options" % (c + " add" if c == "dep" else c),
            {"%s missing" % o for o in want if o not in got} |
            {"%s offered" % o for o in got if o not in want})
verdict("jerry.bash: jerry dep tree ID -<TAB> offers only the global options",
        {"%s offered" % o for o in completed("dep-tree") if o not in glong})
m = re.search(r"case \$\{words\[i\]\} in(.*?)\(\(i\+\+\)\)", open(bashc).read(), re.S)
skipped = set(re.findall(r"(?<![\w-])--?[a-zA-Z][a-z-]*", m.group(1))) if m else set()
valued = {o for o, v in glong.items() if v}
for c in commands:
    valued |= {o for o, v in opts[c][0].items() if v}
    for line in section(os.path.join(tmp, "help", c), "Options:"):
        mm = re.match(r"^\s+-([a-zA-Z]), --[a-z-]+ [A-Z]", line)
        if mm:
            valued.add("-" + mm.group(1))
verdict("jerry.bash: every option with a value is skipped with its value",
        {"%s not skipped" % o for o in valued if o not in skipped} |
        {"%s skipped but takes no value" % o for o in skipped if o not in valued})

# ---- zsh -----------------------------------------------------------------------------------

z = open(zshc).read()
m = re.search(r"\bcommands=\((.*?)\n\t\)", z, re.S)
zcmds = re.findall(r"'([a-z-]+):", m.group(1)) if m else []
verdict("_jerry: the command list is the binary's",
        {"%s missing" % c for c in commands if c not in zcmds} |
        {"%s is not a command" % c for c in zcmds if c not in commands})
m = re.search(r"'1:command:\(([^)]*)\)'", z)
hcmds = m.group(1).split() if m else []
verdict("_jerry: jerry help <TAB> offers every command",
        {"%s missing" % c for c in commands if c not in hcmds} |
        {"%s is not a command" % c for c in hcmds if c not in commands})
m = re.search(r"\bglobal_opts=\((.*?)\n\t\)", z, re.S)
zglobal = set(LONG.findall(m.group(1))) if m else set()
verdict("_jerry: the global options are the binary's",
        {"%s missing" % o for o in glong if o not in zglobal} |
        {"%s is not a global option" % o for o in zglobal if o not in glong})
body = z[z.index("case $words[1] in"):] if "case $words[1] in" in z else ""
zblocks = {}
for m in re.finditer(r"\n\t\t([a-z|-]+)\)\n(.*?)\n\t\t\t;;", body, re.S):
    for c in m.group(1).split("|"):
        zblocks[c] = m.group(2)
for c in commands:
    if c not in zblocks:
        verdict("_jerry: %s has its arguments" % c, {"no case for %s" % c})
        continue
    longs, shorts = opts[c]
    # Options only from the quoted _arguments specs; shorts as in {-t+,--type=}.
    specs = " ".join(re.findall(r"'[^']*'|\{[^}]*\}", zblocks[c].replace("'\\''", "")))
    zl = set(LONG.findall(specs)) - set(glong)
    zs = {"-" + s for s in re.findall(r"\{-([a-zA-Z])\+?,", specs)}
    verdict("_jerry: %s completes its options" % c,
            {"%s missing" % o for o in set(longs) | shorts if o not in zl | zs} |
            {"%s is not an option of %s" % (o, c) for o in zl | zs
             if o not in longs and o not in shorts})
verdict("_jerry: no case for a command the binary does not have",
        {"%s is not a command" % c for c in zblocks if c not in commands})

print("\n".join(out))
EOF
check_true 'the checks ran' test -s "$tmp/verdicts"
while IFS=$'\t' read -r v name detail; do
	if [ "$v" = ok ]; then
		test_ok "$name"
	else
		test_fail "$name" "$detail"
	fi
done <"$tmp/verdicts"

test_done
