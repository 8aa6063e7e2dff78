// sdk.mjs - the official TypeScript SDK's Client drives `jerry mcp`:
// initialize, tools/list (and its size), every tool, refusals as the CLI
// gives them, identity shared with the CLI, paging, the result budget.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport, getDefaultEnvironment }
	from '@modelcontextprotocol/sdk/client/stdio.js';
import { JERRY, check, done, jerryEnv, cli } from './lib.mjs';

const RESULT_MAX = 25000 * 4;

async function connect(name = 'sdk-test', env = {}) {
	const transport = new StdioClientTransport({
		command: JERRY, args: ['mcp'],
		// StdioClientTransport passes only HOME, PATH, ...: JERRY_* explicitly.
		env: { ...getDefaultEnvironment(), ...jerryEnv(env) }, stderr: 'pipe',
	});
	const client = new Client({ name, version: '1.0.0' });
	await client.connect(transport);
	return { client, transport };
}

const { client } = await connect();
const call = (name, args) => client.callTool({ name, arguments: args });
const S = (r) => r.structuredContent || {};
function same(r) {
	try {
		return JSON.stringify(JSON.parse(r.content[0].text)) === JSON.stringify(r.structuredContent);
	} catch { return false; }
}
// The CLI's --json error object for the same refusal.
function cliError(args, env) {
	const r = cli(['--json', ...args], env);
	try { return JSON.parse(r.stderr).error; } catch { return { unparsed: r.stderr }; }
}

// ---- initialize and tools/list -------------------------------------------------------
check('server is jerry', client.getServerVersion()?.name === 'jerry', client.getServerVersion());
const instructions = client.getInstructions() || '';
check('instructions brief the tools', /claim/.test(instructions) && /if_version/.test(instructions),
	instructions);
check('instructions carry the state now, for this name (jerry_brief_text)',
	/you are sdk-test-\d+\)/.test(instructions) && /^items: 0 /m.test(instructions), instructions);
const list = await client.listTools();
const names = list.tools.map((t) => t.name).sort();
check('the ten tools', JSON.stringify(names) === JSON.stringify(['claim', 'create', 'dep', 'list',
	'note', 'ready', 'search', 'show', 'transition', 'update']), names);
check('every tool has input and output schemas',
	list.tools.every((t) => t.inputSchema?.type === 'object' && t.outputSchema?.type === 'object'));
const listChars = JSON.stringify({ tools: list.tools }).length;
check(`tools/list under 2,000 tokens (${Math.ceil(listChars / 4)})`, listChars / 4 < 2000);

// ---- create, show, update, note ----------------------------------------------------
let r = await call('create', { title: 'first', description: 'the first item', labels: ['x'],
	priority: 'high' });
check('create: structuredContent.item', S(r)?.item?.id === 'WORK-001' && !r.isError, r);
check('create: text is the same JSON', same(r), r);
const me = S(r).item.created_by;
check('derived name: client name and server pid', /^sdk-test-\d+$/.test(me), me);
r = await call('show', { id: '1' });
check('show', S(r).item.title === 'first' && S(r).item.description === 'the first item', r);
r = await call('update', { id: 'WORK-001', if_version: 1, title: 'first!' });
check('update with if_version', S(r).item.version === 2 && S(r).item.title === 'first!', r);
r = await call('update', { id: '1', if_version: 1, title: 'stale' });
const stale = cliError(['update', '1', '--if-version', '1', '--title', 'stale']);
check('stale if_version: isError conflict exit 4', r.isError && S(r).error.code === 'conflict' &&
	S(r).error.exit === 4 && S(r).error.current_version === 2, r);
check('the same error object as the CLI', JSON.stringify(S(r).error) === JSON.stringify(stale),
	{ mcp: S(r).error, cli: stale });
check('refusal: text is the same JSON', same(r), r);
r = await call('note', { id: '1', text: 'a note' });
check('note', S(r).item.notes.length === 1 && S(r).item.notes[0].text === 'a note', r);
r = await call('update', { id: '1' });
check('update with nothing to change: invalid, exit 2', r.isError && S(r).error.exit === 2, r);
r = await call('update', { id: '1', ifVersion: 1, title: 'x' });
check('an unknown argument is refused, not dropped', r.isError &&
	/unknown argument 'ifVersion'/.test(S(r).error.message), r);
r = await call('update', { id: '1', if_version: 'two', title: 'x' });
check('a mistyped argument is refused', r.isError && S(r).error.code === 'invalid', r);
r = await call('show', { id: '99' });
check('not found: exit 3 as the CLI', r.isError && JSON.stringify(S(r).error) ===
	JSON.stringify(cliError(['show', '99'])), r);
let threw = null;
try { await call('nonesuch', {}); } catch (e) { threw = e; }
check('unknown tool: protocol error -32602', threw?.code === -32602, String(threw));

// ---- transitions ------------------------------------------------------------------
await call('create', { title: 'second' });
r = await call('transition', { id: '2', action: 'start' });
check('transition start', S(r).item.status === 'in_progress', r);
r = await call('transition', { id: '2', action: 'block', reason: 'waiting' });
check('transition block with reason', S(r).item.status === 'blocked' &&
	S(r).item.notes.some((n) => /waiting/.test(n.text)), r);
r = await call('transition', { id: '2', action: 'reopen' });
check('reopen of a blocked item refused, allowed moves listed', r.isError &&
	S(r).error.exit === 9 && Array.isArray(S(r).error.allowed), r);
r = await call('transition', { id: '2', action: 'cancel', reason: 'not needed' });
check('transition cancel', S(r).item.status === 'cancelled', r);
r = await call('transition', { id: '2', action: 'fly' });
check('unknown action: invalid', r.isError && S(r).error.code === 'invalid', r);
await call('create', { title: 'parent', type: 'story' });
await call('create', { title: 'child', parent: '3' });
r = await call('transition', { id: '3', action: 'done' });
check('done with an open child refused', r.isError && S(r).error.open_descendants?.length === 1, r);
await call('transition', { id: '4', action: 'start' });
r = await call('transition', { id: '4', action: 'done' });
check('closing the last child names the parent to close',
	S(r).parent_ready_to_close === 'WORK-003', r);
r = await call('transition', { id: '4', action: 'reopen' });
check('reopen a done item', S(r).item.status === 'in_progress', r);
await call('transition', { id: '3', action: 'start', force: true });
r = await call('transition', { id: '3', action: 'done', force: true });
check('force done over an open child', S(r).item.status === 'done', r);

// ---- dependencies ------------------------------------------------------------------
await call('create', { title: 'base' });       // 5
await call('create', { title: 'top' });        // 6
r = await call('dep', { action: 'add', id: '6', on: ['5'] });
check('dep add', JSON.stringify(S(r).item.depends_on) === '["WORK-005"]', r);
r = await call('dep', { action: 'add', id: '5', on: ['6'] });
check('dep cycle refused', r.isError && S(r).error.exit === 9, r);
r = await call('dep', { action: 'tree', id: '6' });
const cliTree = JSON.parse(cli(['--json', 'dep', 'tree', '6']).stdout);
check('dep tree: the CLI\'s nodes', JSON.stringify(S(r).nodes) === JSON.stringify(cliTree),
	{ mcp: S(r), cli: cliTree });
r = await call('claim', { action: 'claim', id: '6' });
check('claim gated by an open dependency', r.isError && S(r).error.open_dependencies?.length === 1, r);
r = await call('dep', { action: 'rm', id: '6', on: ['5'] });
check('dep rm', S(r).item.depends_on.length === 0, r);
r = await call('dep', { action: 'add', id: '6' });
check('dep add without on: invalid', r.isError && S(r).error.exit === 2, r);

// ---- claims, and the CLI finishing them by the same name ------------------------------
r = await call('ready', {});
check('ready lists pending work', S(r).items.some((i) => i.id === 'WORK-005'), r);
r = await call('claim', { action: 'next' });
const got = S(r).item;
check('claim next', got?.claim?.by === me && got.status === 'in_progress', r);
r = await call('claim', { action: 'heartbeat', id: got.id, lease: '2h' });
check('heartbeat', !r.isError && S(r).item.claim.by === me, r);
r = await call('claim', { action: 'claim', id: got.id, as: 'rival' });
check('another name cannot claim it: conflict naming the holder', r.isError &&
	S(r).error.code === 'conflict' && S(r).error.holder === me, r);
let c = cli(['--as', me, 'done', got.id]);
check('the CLI finishes an MCP claim by the same name', c.status === 0, c);
c = cli(['--as', 'shell-agent', 'claim', '6']);
check('a CLI claim', c.status === 0, c);
r = await call('transition', { id: '6', action: 'done' });
check('someone else cannot finish a CLI claim', r.isError && S(r).error.exit === 4, r);
r = await call('claim', { action: 'heartbeat', id: '6', as: 'shell-agent' });
check('as: the CLI\'s name extends its claim', !r.isError, r);
const token = JSON.parse(cli(['--json', 'show', '6']).stdout).claim.token;
r = await call('transition', { id: '6', action: 'done', token, as: 'helper' });
check('token proves the claim under another name', S(r)?.item?.status === 'done', r);
c = cli(['--as', 'shell-agent', 'claim', '5']);
r = await call('claim', { action: 'release', id: '5', as: 'shell-agent' });
check('release', S(r).item.status === 'pending' && S(r).item.claim === null, r);
r = await call('show', { id: '1', as: '' });
check('an empty as: invalid', r.isError && S(r).error.exit === 2, r);
r = await call('claim', { action: 'claim' });
check('claim without id: invalid', r.isError && S(r).error.exit === 2, r);
r = await call('claim', { action: 'next', lease: 'forever' });
check('a bad lease: invalid', r.isError && S(r).error.exit === 2, r);

// ---- list, search, paging, the result budget ----------------------------------------
const big = 'long words and more words; '.repeat(2400);      // ~64 KiB
for (let i = 0; i < 30; i++)
	await call('create', { title: `bulk ${i}`, description: big.slice(0, 60000), labels: ['bulk'] });
let ids = [], pages = 0, cursor, biggest = 0;
do {
	r = await call('list', { label: 'bulk', limit: 7, ...(cursor ? { cursor } : {}) });
	ids.push(...S(r).items.map((i) => i.id));
	cursor = S(r).next_cursor;
	pages++;
} while (cursor && pages < 20);
check('list pages through every item once', ids.length === 30 && new Set(ids).size === 30 &&
	pages === 5, { pages, n: ids.length });
ids = []; pages = 0; cursor = undefined;
do {
	r = await call('search', { text: 'more words', ...(cursor ? { cursor } : {}) });
	biggest = Math.max(biggest, JSON.stringify(r).length);
	ids.push(...S(r).items.map((i) => i.id));
	cursor = S(r).next_cursor;
	pages++;
} while (cursor && pages < 40);
check(`search of long descriptions is paged under 25,000 tokens (largest ${biggest} chars)`,
	biggest <= RESULT_MAX && pages > 1 && ids.length === 30 && new Set(ids).size === 30,
	{ pages, n: ids.length, biggest });
r = await call('list', { cursor: 'ready.o3' });
check('a cursor of another tool is refused', r.isError && S(r).error.exit === 2, r);
// One item bigger than a result: its oldest notes go, then its description is cut.
for (let i = 0; i < 6; i++)
	cli(['note', '7', big.slice(0, 60000)]);
r = await call('show', { id: '7' });
const size = JSON.stringify(r).length;
check(`a huge item fits one result (${size} chars), and says what it left out`,
	size <= RESULT_MAX && S(r).item.notes_omitted > 0, { size, keys: Object.keys(S(r).item) });

// ---- identity: JERRY_INSTANCE, else the library's CLAUDE_CODE_SESSION_ID name --------------
for (const [env, want] of [[{ JERRY_INSTANCE: 'agent-x' }, 'agent-x'],
	[{ CLAUDE_CODE_SESSION_ID: '0f3c9a7e-5b1d-4c2a-9e8f-1234567890ab' }, 'claude-0f3c9a7e']]) {
	const o = await connect('other-client', env);
	r = await o.client.callTool({ name: 'note', arguments: { id: '1', text: 'who?' } });
	check(`${Object.keys(env)[0]} names the actor: ${want}`, S(r).item?.updated_by === want, r);
	await o.client.close();
}

// ---- no store: the CLI's refusal ----------------------------------------------------
const lost = await connect('lost', { JERRY_DATA: '/nonexistent/jerry-data' });
check('no store: the instructions say so', /cannot be read now/.test(lost.client.getInstructions()),
	lost.client.getInstructions());
r = await lost.client.callTool({ name: 'ready', arguments: {} });
check('no store: not_found, exit 3', r.isError && S(r).error.exit === 3, r);
await lost.client.close();

c = cli(['check']);
check('check is clean after it all', c.status === 0, c);
await client.close();
done();
