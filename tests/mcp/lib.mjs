// lib.mjs - what the MCP tests share: assertions in the system tests'
// format ("ok - NAME", "FAIL - NAME", a last line "# passed N failed N"),
// a raw line client of `jerry mcp`, and the `jerry` command.
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';

export const JERRY = process.env.JERRY;
if (!JERRY) {
	console.log('FAIL - JERRY is not set (run through tests/system/t026*-mcp-*.sh)');
	process.exit(1);
}

let passed = 0, failed = 0;
export function check(name, cond, detail) {
	if (cond) {
		passed++;
		if (process.env.TEST_VERBOSE) console.log(`ok - ${name}`);
	} else {
		failed++;
		console.log(`FAIL - ${name}`);
		if (detail !== undefined)
			console.log(String(typeof detail === 'string' ? detail : JSON.stringify(detail))
				.slice(0, 1500).replace(/^/gm, '#   '));
	}
	return cond;
}
export function done() {
	console.log(`# passed ${passed} failed ${failed}`);
	process.exit(failed ? 1 : 0);
}

// The JERRY_* variables, which a client must pass on explicitly.
export function jerryEnv(extra = {}) {
	const env = {};
	for (const [k, v] of Object.entries(process.env))
		if (k.startsWith('JERRY_') && k !== 'JERRY_INSTANCE') env[k] = v;
	return { ...env, ...extra };
}

// `jerry ARGS...`: {status, stdout, stderr}.
export function cli(args, env = {}) {
	const r = spawnSync(JERRY, args, { encoding: 'utf8', env: { ...process.env, ...env },
		maxBuffer: 64 << 20 });
	return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// A `jerry mcp` process spoken to line by line.
export class Raw {
	constructor(env = {}, args = ['mcp']) {
		this.proc = spawn(JERRY, args, { env: { ...process.env, ...env },
			stdio: ['pipe', 'pipe', 'pipe'] });
		this.lines = [];
		this.waiters = [];
		this.stderr = '';
		this.exited = new Promise((res) => this.proc.on('exit', (code, sig) => res({ code, sig })));
		this.proc.stderr.on('data', (d) => { this.stderr += d; });
		this.proc.stdin.on('error', () => {});
		const rl = createInterface({ input: this.proc.stdout });
		rl.on('line', (l) => {
			const w = this.waiters.shift();
			if (w) w(l); else this.lines.push(l);
		});
		// The server's stdout closed: nothing more will come, so no one waits.
		rl.on('close', () => {
			this.closed = true;
			for (const w of this.waiters.splice(0)) w(null);
		});
	}
	send(text) { this.proc.stdin.write(text + '\n'); }
	// The next line, or null after ms milliseconds (a notification's silence).
	next(ms = 20000) {
		if (this.lines.length) return Promise.resolve(this.lines.shift());
		if (this.closed) return Promise.resolve(null);
		return new Promise((res) => {
			const w = (l) => { clearTimeout(t); res(l); };
			const t = setTimeout(() => {
				const i = this.waiters.indexOf(w);
				if (i >= 0) this.waiters.splice(i, 1);
				res(null);
			}, ms);
			this.waiters.push(w);
		});
	}
	async call(id, method, params) {
		this.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
		const l = await this.next();
		return l === null ? null : JSON.parse(l);
	}
	async init(version = '2025-06-18', name = 'raw-test') {
		return this.call(0, 'initialize', { protocolVersion: version, capabilities: {},
			clientInfo: { name, version: '1' } });
	}
	async tool(id, name, args) {
		return this.call(id, 'tools/call', { name, arguments: args });
	}
	end() { this.proc.stdin.end(); return this.exited; }
}
