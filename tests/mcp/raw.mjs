// raw.mjs - raw lines on `jerry mcp`'s stdin: garbage, a truncated
// message, a huge one, an unknown method, notifications, batches (only in
// 2025-03-26), a request after each bad one, version negotiation, the
// size of tools/list, and an exit at the end of input.  Every line out
// must be one JSON-RPC message.
import { Raw, check, done, cli } from './lib.mjs';

const rpc = (id, method, params) => JSON.stringify({ jsonrpc: '2.0', id, method,
	...(params ? { params } : {}) });
const isErr = (m, code, id) => m && m.error?.code === code && m.id === id;
const alive = async (s, id) => {
	const m = await s.call(id, 'ping');
	return m?.id === id && JSON.stringify(m.result) === '{}';
};

// ---- version negotiation ------------------------------------------------------------
for (const [asked, agreed] of [['2025-11-25', '2025-11-25'], ['2025-06-18', '2025-06-18'],
	['2025-03-26', '2025-03-26'], ['2024-11-05', '2024-11-05'], ['1999-01-01', '2025-11-25']]) {
	const s = new Raw();
	const m = await s.init(asked);
	check(`initialize ${asked} -> ${agreed}`, m?.result?.protocolVersion === agreed &&
		m.result.serverInfo.name === 'jerry' && m.result.capabilities.tools, m);
	const e = await s.end();
	check(`end of input: exit 0 (${asked})`, e.code === 0, e);
}

const s = new Raw();
const out = [];          // every line the server wrote, checked at the end
const next = async (ms) => { const l = await s.next(ms); if (l !== null) out.push(l); return l; };
const send = (t) => s.send(t);
const recv = async (ms) => { const l = await next(ms); return l === null ? null : JSON.parse(l); };

// ---- before initialize: ping works, a batch is refused ------------------------------
send(rpc(1, 'ping'));
check('ping before initialize', (await recv())?.id === 1);
send(JSON.stringify([JSON.parse(rpc(2, 'ping'))]));
check('a batch before a version is agreed: -32600', isErr(await recv(), -32600, null));

send(rpc(3, 'initialize', { protocolVersion: '2025-06-18', capabilities: {},
	clientInfo: { name: 'raw', version: '1' } }));
const init = await recv();
check('initialize', init?.result?.protocolVersion === '2025-06-18', init);
send(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));

// ---- bad lines, each followed by a good request ----------------------------------------
send('this is not json');
check('garbage: -32700 with a null id', isErr(await recv(), -32700, null));
send(rpc(4, 'ping'));
check('a request after garbage is answered', (await recv())?.id === 4);
send('{"jsonrpc":"2.0","id":5,"method":"pi');
check('truncated message: -32700', isErr(await recv(), -32700, null));
send(rpc(6, 'ping'));
check('a request after a truncated one', (await recv())?.id === 6);
send('{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"create","arguments":'
	+ '{"title":"' + 'x'.repeat(6 << 20) + '"}}}');
check('a 6 MiB line: -32700, too long', isErr(await recv(), -32700, null));
check('alive after a huge line', await alive(s, 8));
send(rpc(9, 'tools/call', { name: 'create', arguments: { title: 'y'.repeat(1 << 20) } }));
let m = await recv();
check('a 1 MiB title: a tool refusal (invalid, exit 2), not a protocol error',
	m?.id === 9 && m.result?.isError && m.result.structuredContent.error.exit === 2, m);
send(rpc(10, 'resources/list'));
check('unknown method: -32601 with its id', isErr(await recv(), -32601, 10));
send(JSON.stringify({ jsonrpc: '2.0', method: 'no/such/notification' }));
send(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/cancelled',
	params: { requestId: 1 } }));
check('notifications are never answered', await recv(1500) === null);
send(rpc(11, 'ping'));
check('a request after notifications', (await recv())?.id === 11);
send('{"jsonrpc":"1.0","id":12,"method":"ping"}');
check('wrong jsonrpc version: -32600', isErr(await recv(), -32600, 12));
send('{"jsonrpc":"2.0","id":null,"method":"ping"}');
check('a null id: -32600', isErr(await recv(), -32600, null));
send('{"jsonrpc":"2.0","id":13}');
check('no method: -32600', isErr(await recv(), -32600, 13));
send('"just a string"');
check('not an object: -32600', isErr(await recv(), -32600, null));
send(rpc(14, 'tools/call', { arguments: {} }));
check('tools/call without a name: -32602', isErr(await recv(), -32602, 14));
send('{"jsonrpc":"2.0","id":15,"method":"tools/call","params":[1]}');
check('params not an object: -32602', isErr(await recv(), -32602, 15));
send(rpc(16, 'initialize', {}));
check('initialize without protocolVersion: -32602', isErr(await recv(), -32602, 16));
send('{"jsonrpc":"2.0","id":17,"method":"ping","id":18}');
check('a duplicate key: -32700', isErr(await recv(), -32700, null));
send('[]');
check('a batch in 2025-06-18: -32600', isErr(await recv(), -32600, null));
send('');
send('   ');
send(rpc(19, 'ping'));
check('blank lines are skipped', (await recv())?.id === 19);
send(rpc('str-id', 'ping'));
check('a string id comes back', (await recv())?.id === 'str-id');

// ---- tools/list and a result's size --------------------------------------------------
send(rpc(20, 'tools/list'));
const tl = await next();
check(`tools/list is under 2,000 tokens: ${tl?.length} chars`, tl && tl.length / 4 < 2000);
check('tools/list: ten tools', JSON.parse(tl).result.tools.length === 10);

const e = await s.end();
check('exit 0 at the end of input', e.code === 0, e);
check('nothing on stderr', s.stderr === '', s.stderr);
check('every line out is one JSON-RPC 2.0 message', out.every((l) => {
	try { return JSON.parse(l).jsonrpc === '2.0'; } catch { return false; }
}), out.filter((l) => { try { JSON.parse(l); return false; } catch { return true; } }));

// ---- batches in 2025-03-26 ------------------------------------------------------------
const b = new Raw();
await b.init('2025-03-26');
b.send(JSON.stringify([JSON.parse(rpc(1, 'ping')),
	{ jsonrpc: '2.0', method: 'notifications/initialized' },
	JSON.parse(rpc(2, 'tools/call', { name: 'create', arguments: { title: 'from a batch' } })),
	JSON.parse(rpc(3, 'nope')), 42]));
m = JSON.parse(await b.next());
check('a batch: one array, no answer to its notification', Array.isArray(m) && m.length === 4, m);
check('batch answers in order', m[0]?.id === 1 && m[1]?.result?.structuredContent?.item &&
	m[2]?.error?.code === -32601 && m[3]?.error?.code === -32600, m);
b.send('[]');
check('an empty batch: -32600', isErr(JSON.parse(await b.next()), -32600, null));
b.send(JSON.stringify([{ jsonrpc: '2.0', method: 'notifications/initialized' }]));
b.send(rpc(4, 'ping'));
check('a batch of notifications only: no answer', JSON.parse(await b.next())?.id === 4);
b.send(JSON.stringify([JSON.parse(rpc(5, 'initialize', { protocolVersion: '2025-03-26' }))]));
m = JSON.parse(await b.next());
check('initialize in a batch: -32600', Array.isArray(m) && m[0]?.error?.code === -32600, m);
await b.end();

const c = cli(['check']);
check('check is clean', c.status === 0, c);
done();
