#!/bin/bash
# jerry serve (doc/adr/0022-serve.md): the board's API over HTTP, and each
# of its safety rules - loopback only unless --listen (which warns), the
# Host check against DNS rebinding, the Origin check and the run's token
# on changes, no CORS, a content security policy - then the live events,
# a stale version's conflict with the CLI's own message, a port in use,
# and a clean stop on SIGTERM and SIGINT.  curl is the client.
. "$(dirname "$0")/../lib.sh"
jerry_init
"$JERRY" create "first task" -l ui -p high >/dev/null
"$JERRY" create "second task" >/dev/null
"$JERRY" create "waits on one" >/dev/null
"$JERRY" dep add 3 --on 1 >/dev/null

# serve_start NAME ARGS...: start `jerry serve ARGS` in the background,
# wait for its URL; sets $pid, $base (http://127.0.0.1:PORT), $port, $tok.
serve_start() {
	name=$1
	shift
	"$JERRY" serve "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
	pid=$!
	for _ in $(seq 100); do
		grep -q token= "$tmp/$name.out" 2>/dev/null && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	url=$(sed -n 's/.* at //p' "$tmp/$name.out")
	base=${url%%/\?*}
	port=${base##*:}
	tok=${url##*token=}
}

# http CURLARGS...: the status code; the body in $tmp/body, headers in $tmp/head.
http() {
	curl -s -o "$tmp/body" -D "$tmp/head" -w '%{http_code}' --max-time 20 "$@"
}

check_status() {
	if [ "$2" = "$3" ]; then
		test_ok "$1"
	else
		test_fail "$1" "HTTP status $2, wanted $3; body: $(head -c 300 "$tmp/body")"
	fi
}

serve_start main --port 0
check_true 'serve prints the URL with a token' grep -Eq '^serving .* at http://127\.0\.0\.1:[0-9]+/\?token=[0-9a-f]{32}$' "$tmp/main.out"

# ---- loopback only -----------------------------------------------------------

# The listening sockets on $port, as /proc/net/tcp{,6} hex addresses.
hexport=$(printf '%04X' "$port")
listeners() {
	awk -v p=":$hexport" '$4 == "0A" && substr($2, length($2) - 4) == p { print $2 }' \
		/proc/net/tcp /proc/net/tcp6
}
check_true 'it listens on 127.0.0.1' sh -c "$(declare -f listeners); hexport=$hexport; listeners | grep -qx '0100007F:$hexport'"
check_true 'and on nothing but loopback' sh -c "$(declare -f listeners); hexport=$hexport; ! listeners | grep -vqxE '0100007F:$hexport|0{24}01000000:$hexport'"

# ---- the page and the API ------------------------------------------------------

check_status 'the page' "$(http "$base/")" 200
check_true 'the page loads its script from the binary' grep -q 'src="/board.js"' "$tmp/body"
check_true 'a content security policy' grep -qiE "^content-security-policy: default-src 'none'; script-src 'self'" "$tmp/head"
check_status 'the script' "$(http "$base/board.js")" 200
check_true 'served as JavaScript' grep -qi '^content-type: text/javascript' "$tmp/head"
check_status 'no such page' "$(http "$base/nothing.html")" 404

check_status 'the board' "$(http "$base/api/board")" 200
json_assert 'the board by status, best first' "$tmp/body" \
	"[c['status'] for c in d['columns']] == ['pending', 'in_progress', 'blocked', 'done'] and \
	 [i['id'] for i in d['columns'][0]['items']] == ['WORK-001', 'WORK-002', 'WORK-003'] and \
	 d['columns'][0]['total'] == 3 and d['stamp']"
check_status 'a capped column' "$(http "$base/api/board?limit=1&cancelled=1")" 200
json_assert 'one card, the total, and cancelled on request' "$tmp/body" \
	"len(d['columns'][0]['items']) == 1 and d['columns'][0]['total'] == 3 and d['columns'][4]['status'] == 'cancelled'"
check_status 'filtered by label' "$(http "$base/api/board?label=ui")" 200
json_assert 'only the labelled item' "$tmp/body" "d['columns'][0]['total'] == 1"
check_status 'search' "$(http "$base/api/board?q=second")" 200
json_assert 'search finds one' "$tmp/body" "[i['id'] for i in d['columns'][0]['items']] == ['WORK-002']"
# The type and assignee filters, on an item made a bug of carol's for a moment.
"$JERRY" update 2 -t bug --assignee carol >/dev/null
check_status 'filtered by type' "$(http "$base/api/board?type=bug")" 200
json_assert 'only the bug' "$tmp/body" "[i['id'] for c in d['columns'] for i in c['items']] == ['WORK-002']"
check_status 'filtered by assignee' "$(http "$base/api/board?assignee=carol")" 200
json_assert "only carol's" "$tmp/body" "[i['id'] for c in d['columns'] for i in c['items']] == ['WORK-002']"
check_status 'filtered by type and assignee' "$(http "$base/api/board?type=task&assignee=carol")" 200
json_assert 'both must hold' "$tmp/body" "[i for c in d['columns'] for i in c['items']] == []"
"$JERRY" update 2 -t task --assignee '' >/dev/null
check_status 'ready' "$(http "$base/api/ready")" 200
json_assert 'ready: the library order, not the waiting item' "$tmp/body" \
	"[i['id'] for i in d['items']] == ['WORK-001', 'WORK-002']"
check_status 'blocked' "$(http "$base/api/blocked")" 200
json_assert 'blocked names what it waits on' "$tmp/body" \
	"d['items'][0]['id'] == 'WORK-003' and d['items'][0]['waiting_on'] == [{'id': 'WORK-001', 'status': 'pending'}]"
check_status 'an item page' "$(http "$base/api/item?id=3")" 200
json_assert 'item, dependencies both ways, history' "$tmp/body" \
	"d['item']['id'] == 'WORK-003' and [x['id'] for x in d['depends_on']] == ['WORK-001'] and \
	 d['item']['dependents'] == [] and d['history'][0]['op'] == 'create'"
check_status 'no such item' "$(http "$base/api/item?id=99")" 404
json_assert 'the library error object' "$tmp/body" "d['error']['code'] == 'not_found' and d['error']['exit'] == 3"

# ---- Host: DNS rebinding ---------------------------------------------------------

check_status 'a foreign Host is refused' "$(http -H "Host: evil.example:$port" "$base/api/board")" 403
json_assert 'saying why' "$tmp/body" "'evil.example' in d['error']['message']"
check_status 'a foreign Host without a port too' "$(http -H 'Host: evil.example' "$base/")" 403
check_status 'localhost is this server' "$(http -H "Host: localhost:$port" "$base/api/board")" 200

# ---- changes: token, Origin, JSON; no CORS ---------------------------------------------

post() {
	http -X POST -H 'Content-Type: application/json' "$@"
}
check_status 'a change without the token is refused' "$(post -d '{"title":"x"}' "$base/api/create")" 403
check_true 'saying it needs the token' grep -q "this run's token" "$tmp/body"
check_status 'a wrong token is refused' "$(post -H 'X-Jerry-Token: 0123' -d '{"title":"x"}' "$base/api/create")" 403
check_status 'a foreign Origin is refused, token or not' \
	"$(post -H "X-Jerry-Token: $tok" -H 'Origin: http://evil.example' -d '{"title":"x"}' "$base/api/create")" 403
check_status 'a cross-site fetch is refused' \
	"$(post -H "X-Jerry-Token: $tok" -H 'Sec-Fetch-Site: cross-site' -d '{"title":"x"}' "$base/api/create")" 403
check_status 'a form post (not JSON) is refused' \
	"$(http -X POST -H "X-Jerry-Token: $tok" -d 'title=x' "$base/api/create")" 415
TEST_DESC='nothing refused was created' expect_run 3 '' '*' -- "$JERRY" show 4
check_status 'CORS preflight is not answered' "$(http -X OPTIONS -H 'Origin: http://evil.example' \
	-H 'Access-Control-Request-Method: POST' "$base/api/create")" 405
check_true 'no CORS header anywhere' sh -c "! grep -qi '^access-control-' '$tmp/head'"
http -H 'Origin: http://evil.example' "$base/api/board" >/dev/null
check_true 'no CORS header on a read either' sh -c "! grep -qi '^access-control-' '$tmp/head'"

check_status 'create with token and own Origin' "$(post -H "X-Jerry-Token: $tok" \
	-H "Origin: $base" -d '{"title":"from the board","labels":["web"],"priority":"low"}' "$base/api/create")" 200
json_assert 'the created item' "$tmp/body" "d['item']['id'] == 'WORK-004' and d['item']['labels'] == ['web']"
TEST_DESC='the CLI sees it' expect_run 0 'from the board' '' -- "$JERRY" show 4

check_status 'start with the shown version' "$(post -H "X-Jerry-Token: $tok" -d '{"if_version":1}' "$base/api/item/4/start")" 200
json_assert 'in progress, version 2' "$tmp/body" "d['item']['status'] == 'in_progress' and d['item']['version'] == 2"
check_status 'a change without the version is refused' "$(post -H "X-Jerry-Token: $tok" -d '{}' "$base/api/item/4/done")" 400
check_status 'a stale version is a conflict' "$(post -H "X-Jerry-Token: $tok" -d '{"if_version":1}' "$base/api/item/4/done")" 409
cp "$tmp/body" "$tmp/conflict.json"
TEST_DESC='the CLI on the same stale version' expect_run 4 '' '*' -- "$JERRY" --json done 4 --if-version 1
python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["error"]["message"])' "$tmp/err" >"$tmp/cli.msg"
json_assert 'the same message the CLI gives' "$tmp/conflict.json" \
	"d['error']['code'] == 'conflict' and d['error']['message'] == open('$tmp/cli.msg').read().strip() and d['error']['current_version'] == 2"
check_status 'block with a reason' "$(post -H "X-Jerry-Token: $tok" -d '{"if_version":2,"reason":"waiting for review"}' "$base/api/item/4/block")" 200
check_status 'blocked, after the block' "$(http "$base/api/blocked")" 200
json_assert 'blocked says why, as jerry blocked does; an item that only waits has no reason' "$tmp/body" \
	"[(i['id'], i.get('reason', '-')) for i in d['items']] == [('WORK-003', '-'), ('WORK-004', 'waiting for review')]"
check_status 'a note' "$(post -H "X-Jerry-Token: $tok" -d '{"if_version":3,"text":"a note from the page"}' "$base/api/item/4/note")" 200
check_status 'edit title, labels, priority' "$(post -H "X-Jerry-Token: $tok" \
	-d '{"if_version":4,"title":"renamed","add_labels":["x"],"remove_labels":["web"],"priority":"high"}' "$base/api/item/4/edit")" 200
json_assert 'edited' "$tmp/body" "d['item']['title'] == 'renamed' and d['item']['labels'] == ['x'] and d['item']['priority'] == 'high'"
check_status 'a refused move' "$(post -H "X-Jerry-Token: $tok" -d '{"if_version":5}' "$base/api/item/4/reopen")" 422
json_assert 'refused, with the allowed moves' "$tmp/body" "d['error']['code'] == 'refused' and 'allowed' in d['error']"
check_status 'no such action' "$(post -H "X-Jerry-Token: $tok" -d '{"if_version":5}' "$base/api/item/4/explode")" 400
check_status 'a body that is not JSON' "$(post -H "X-Jerry-Token: $tok" -d '{nope' "$base/api/item/4/done")" 400

# A body is checked whole: a misspelt key is refused, never dropped (the
# change it carried would be reported made and not made).
check_status 'an unknown key is refused' "$(post -H "X-Jerry-Token: $tok" -d '{"if_version":5,"titel":"typo"}' "$base/api/item/4/edit")" 400
json_assert 'naming it, and what edit takes' "$tmp/body" \
	"d['error']['code'] == 'invalid' and d['error']['message'] == \"unknown key 'titel'\" and 'title' in d['error']['hint']"
check_status 'an edit of nothing is refused' "$(post -H "X-Jerry-Token: $tok" -d '{"if_version":5}' "$base/api/item/4/edit")" 400
json_assert 'as the CLI refuses it' "$tmp/body" "d['error']['message'].startswith('nothing to update')"
check_status 'create: an unknown key is refused' "$(post -H "X-Jerry-Token: $tok" -d '{"title":"urgent","priorty":"critical"}' "$base/api/create")" 400
check_status 'a value of the wrong kind is refused' "$(post -H "X-Jerry-Token: $tok" -d '{"title":["x"]}' "$base/api/create")" 400
json_assert 'saying what it must be' "$tmp/body" "d['error']['message'] == \"'title' must be a string\""
check_status 'force must be true or false' "$(post -H "X-Jerry-Token: $tok" -d '{"if_version":5,"force":1}' "$base/api/item/4/done")" 400
TEST_DESC='nothing refused made a version or an item' expect_run 0 '"version": 5' '' -- "$JERRY" --json show 4
TEST_DESC='nor an item' expect_run 3 '' '*' -- "$JERRY" show 5

# force, as the command's --force: another's live claim is refused without it.
"$JERRY" --as other claim 1 >/dev/null
check_status "another's live claim: a conflict" "$(post -H "X-Jerry-Token: $tok" -d '{"if_version":2}' "$base/api/item/1/done")" 409
check_status 'with force it is done' "$(post -H "X-Jerry-Token: $tok" -d '{"if_version":2,"force":true}' "$base/api/item/1/done")" 200
json_assert 'and the override is recorded' "$tmp/body" \
	"d['item']['status'] == 'done' and d['item']['notes'][-1]['text'] == 'forced done while claimed by other'"

# A stale claim, released from the page.
"$JERRY" --as other claim 2 --lease 1500ms >/dev/null
sleep 2
check_status 'the card shows the stale claim' "$(http "$base/api/board")" 200
json_assert 'claim_stale' "$tmp/body" \
	"[i for i in d['columns'][1]['items'] if i['id'] == 'WORK-002'][0]['claim_stale'] is True"
v=$("$JERRY" --json show 2 | python3 -c 'import json,sys; print(json.load(sys.stdin)["version"])')
check_status 'release a stale claim' "$(post -H "X-Jerry-Token: $tok" -d "{\"if_version\":$v}" "$base/api/item/2/release")" 200
json_assert 'released: pending, no claim' "$tmp/body" "d['item']['status'] == 'pending' and d['item']['claim'] is None"
check_status 'release on a stale version' "$(post -H "X-Jerry-Token: $tok" -d "{\"if_version\":$v}" "$base/api/item/2/release")" 409

# ---- live: a write by another process is an event -----------------------------

curl -s -N --max-time 20 "$base/api/events" >"$tmp/events" &
cpid=$!
for _ in $(seq 100); do grep -q '^data:' "$tmp/events" && break; sleep 0.1; done
check_true 'events begin with retry and the stamp' grep -q '^retry: 1000$' "$tmp/events"
"$JERRY" create "made by the CLI" >/dev/null
for _ in $(seq 100); do [ "$(grep -c '^event: change' "$tmp/events")" -ge 2 ] && break; sleep 0.1; done
check_true 'the CLI write is an event' sh -c "[ \$(grep -c '^event: change' '$tmp/events') -ge 2 ]"
kill "$cpid" 2>/dev/null
wait "$cpid" 2>/dev/null

TEST_DESC='the server holds no lock: check is clean' expect_run 0 '*' '' -- "$JERRY" check

# ---- a port in use, options ------------------------------------------------------------

TEST_DESC='a port in use is a clear error' expect_run 2 '' \
	"^jerry: cannot listen on 127\.0\.0\.1:$port: Address already in use$" -- "$JERRY" serve --port "$port"
TEST_DESC='a bad port' expect_run 2 '' "port number" -- "$JERRY" serve --port 70000
TEST_DESC='a bad address' expect_run 2 '' "not an IP address" -- "$JERRY" serve --listen nowhere --port 0

# ---- a clean stop ------------------------------------------------------------------

kill -TERM "$pid"
wait "$pid"
rc=$?
check_true 'SIGTERM: exit 0' test "$rc" -eq 0
check_true 'saying it stops' grep -q 'stopping' "$tmp/main.err"
check_true 'the port is free again' sh -c "$(declare -f listeners); hexport=$hexport; [ -z \"\$(listeners)\" ]"

serve_start other --listen 127.0.0.2 --port 0
check_true '--listen warns' grep -q '^warning: listening on 127\.0\.0\.2:' "$tmp/other.err"
check_status '--listen: its address is the Host' "$(http "$base/api/board")" 200
check_true 'the URL names it' grep -q 'http://127\.0\.0\.2:' "$tmp/other.out"
kill -INT "$pid"
wait "$pid"
rc=$?
check_true 'SIGINT: exit 0' test "$rc" -eq 0

# A wildcard address is every address here: a Host that is an IP address,
# localhost or this machine's name is served; any other name is still
# refused (DNS rebinding). The printed URL is one a person can open.
serve_start wild --listen 0.0.0.0 --port 0
check_true '--listen 0.0.0.0: the URL opens here' grep -Eq ' at http://127\.0\.0\.1:[0-9]+/\?token=' "$tmp/wild.out"
check_status 'and works' "$(http "$base/api/board")" 200
check_true 'the machine name for elsewhere' grep -q "^from another machine: http://$(uname -n):$port/?token=$tok\$" "$tmp/wild.err"
check_status 'an IP address as Host' "$(http -H "Host: 192.0.2.7:$port" "$base/api/board")" 200
check_status 'an IPv6 address as Host' "$(http -H "Host: [2001:db8::1]:$port" "$base/api/board")" 200
check_status 'localhost as Host' "$(http -H "Host: localhost:$port" "$base/api/board")" 200
check_status "this machine's name as Host" "$(http -H "Host: $(uname -n):$port" "$base/api/board")" 200
check_status 'any other name is refused' "$(http -H "Host: evil.example:$port" "$base/api/board")" 403
check_status 'a name made of an address is refused' "$(http -H "Host: 192.0.2.7.evil.example:$port" "$base/api/board")" 403
check_status 'another port is refused' "$(http -H "Host: 127.0.0.1:1" "$base/api/board")" 403
kill -TERM "$pid"
wait "$pid"

# ---- one program per job ---------------------------------------------------------
# `jerry serve` runs jerry-serve (beside jerry, else where make install puts
# it): the command agents start all day loads neither libmicrohttpd nor TLS.
check_true 'jerry itself does not load libmicrohttpd' sh -c "! ldd '$JERRY' | grep -q microhttpd"
check_true 'jerry-serve does' sh -c "ldd '$(dirname "$JERRY")/jerry-serve' | grep -q microhttpd"
serve_start exec --port 0
check_true 'the server keeps the pid jerry was started with' \
	sh -c "tr '\\0' ' ' </proc/$pid/cmdline | grep -q '^[^ ]*/jerry-serve serve --port 0'"
kill -TERM "$pid"
wait "$pid"
mkdir "$tmp/alone" && cp "$JERRY" "$tmp/alone/jerry" || exit 1
libexec=$(cat "$(dirname "$JERRY")/libexecdir" 2>/dev/null)/jerry
if [ -e "$libexec/jerry-serve" ]; then
	test_ok "# skipped: the missing program (one is installed in $libexec)"
else
	TEST_DESC='without jerry-serve: a clear error, naming where it looked' expect_run 1 '' \
		"^jerry: the board's program jerry-serve is not installed \\(looked in $tmp/alone and $libexec\\)\$" \
		-- "$tmp/alone/jerry" serve --port 0
	TEST_DESC='and as JSON' expect_run 1 '' '"code":"internal"' -- "$tmp/alone/jerry" --json serve --port 0
fi

test_done
