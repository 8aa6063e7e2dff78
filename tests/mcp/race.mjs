// race.mjs - 8 `jerry mcp` servers and 8 `jerry` command loops on one
// store keep every promise the command keeps: exactly one winner per
// claim, no lost write, `check` clean; and a server killed with SIGKILL
// in the middle of its calls leaves the store as a killed command would.
import { spawn } from 'node:child_process';
import { Raw, JERRY, check, done, cli } from './lib.mjs';

const ITEMS = 24, NOTES = 8, ACTORS = 8;

for (let i = 1; i <= ITEMS; i++) cli(['create', `item ${i}`]);

// A command loop as a shell runs it: one process per command, output kept.
function loop(script, name) {
	return new Promise((res) => {
		const p = spawn('bash', ['-c', script], { env: { ...process.env, J: JERRY, ME: name },
			stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '';
		p.stdout.on('data', (d) => { out += d; });
		p.stderr.on('data', () => {});
		p.on('exit', () => res(out));
	});
}
// Every actor tries every item, each starting at another place.
const order = (k) => Array.from({ length: ITEMS }, (_, i) => ((i + k * 3) % ITEMS) + 1);

const servers = Array.from({ length: ACTORS }, () => new Raw());
await Promise.all(servers.map((s, k) => s.init('2025-11-25', `racer${k}`)));

const mcpRuns = servers.map(async (s, k) => {
	const won = [];
	let id = 1;
	for (const n of order(k)) {
		const m = await s.tool(id++, 'claim', { action: 'claim', id: String(n) });
		if (m?.result && !m.result.isError) won.push(n);
		else if (m?.result?.structuredContent?.error?.exit !== 4)
			check(`racer${k} claim ${n}: a win or a conflict`, false, m);
	}
	for (let i = 0; i < NOTES; i++) {
		const m = await s.tool(id++, 'note', { id: '1', text: `mcp ${k} note ${i}` });
		if (!m?.result || m.result.isError) check(`racer${k} note ${i}`, false, m);
	}
	return won;
});
const cliRuns = Array.from({ length: ACTORS }, (_, k) => loop(`
	for n in ${order(k + ACTORS).join(' ')}; do
		"$J" --as "$ME" claim "$n" >/dev/null 2>&1 && echo "won $n"
	done
	for i in $(seq 1 ${NOTES}); do "$J" --as "$ME" note 1 "cli $ME note $i" >/dev/null || echo lost; done
`, `shell${k}`).then((out) => {
	check(`shell${k}: every note acknowledged`, !/lost/.test(out), out);
	return [...out.matchAll(/^won (\d+)$/gm)].map((x) => Number(x[1]));
}));
const wins = [...await Promise.all(mcpRuns), ...await Promise.all(cliRuns)];
await Promise.all(servers.map((s) => s.end()));

const count = new Map();
wins.flat().forEach((n) => count.set(n, (count.get(n) || 0) + 1));
const bad = [...Array(ITEMS).keys()].map((i) => i + 1).filter((n) => count.get(n) !== 1);
check('exactly one winner per claim among 8 servers and 8 command loops', bad.length === 0,
	bad.map((n) => `WORK-${n}: ${count.get(n) || 0} winners`).join(', '));
const item1 = JSON.parse(cli(['--json', 'show', '1']).stdout);
check(`no lost write: ${2 * ACTORS * NOTES} notes on WORK-001`,
	item1.notes.length === 2 * ACTORS * NOTES, `${item1.notes.length} notes`);
let c = cli(['check']);
check('check clean after the race', c.status === 0, c);

// ---- kill -9 in the middle of calls ----------------------------------------------------
for (let round = 0; round < 3; round++) {
	const s = new Raw();
	await s.init('2025-11-25', `doomed${round}`);
	for (let i = 1; i <= 40; i++)
		s.send(JSON.stringify({ jsonrpc: '2.0', id: i, method: 'tools/call', params: {
			name: i % 2 ? 'create' : 'note',
			arguments: i % 2 ? { title: `doomed ${round}.${i}` } : { id: '2', text: `n ${i}` } } }));
	const acked = [];
	for (let i = 0; i < 3 + round * 5; i++) {
		const l = await s.next();
		if (l) acked.push(JSON.parse(l));
	}
	s.proc.kill('SIGKILL');
	const e = await s.exited;
	check(`round ${round}: killed by SIGKILL`, e.sig === 'SIGKILL', e);
	c = cli(['check']);
	check(`round ${round}: check clean after kill -9`, c.status === 0, c);
	const missing = acked.filter((m) => m.result?.structuredContent?.item?.created_by?.startsWith('doomed'))
		.filter((m) => cli(['show', m.result.structuredContent.item.id]).status !== 0);
	check(`round ${round}: every acknowledged create is there`, missing.length === 0, missing);
}
c = cli(['create', 'after the kills']);
check('the store takes writes after the kills', c.status === 0, c);
done();
