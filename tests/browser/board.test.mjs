// board.test.mjs JERRY OUTDIR - jerry serve in a real browser (tests/browser/run.sh).
//
// Debian's chromium, headless, driven by playwright-core (pinned in
// package-lock.json; it downloads nothing): load the board, see a card move
// when a CLI process starts and finishes it, create and move an item through
// the page, get a conflict on a stale page, and keep a screenshot of each
// view in OUTDIR.  Prints "ok   browser: NAME" / "FAIL browser: NAME" and, last,
// "browser: N passed, N failed".  Waits are bounded (30 s) but nothing is
// timed: the machine is shared.
import { chromium } from 'playwright-core';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [jerry, outdir] = process.argv.slice(2);
if (!jerry || !outdir) {
  console.error('usage: node board.test.mjs JERRY OUTDIR');
  process.exit(2);
}
mkdirSync(outdir, { recursive: true });
const tmp = mkdtempSync(join(tmpdir(), 'jerry-browser-'));
const env = { ...process.env, JERRY_DATA: join(tmp, '.jerry', 'data'), JERRY_SYNC: 'off', HOME: tmp };
delete env.JERRY_PROJECT;
delete env.JERRY_INSTANCE;
const cli = (...args) => execFileSync(jerry, args, { env, cwd: tmp, encoding: 'utf8' }).trim();

let passed = 0;
let failed = 0;
async function step(name, fn) {
  // "FAIL browser: a-slug (the name)": the line tests/record.sh lists for make check
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  try {
    await fn();
    passed++;
    console.log('ok   browser: ' + slug);
  } catch (e) {
    failed++;
    console.log('FAIL browser: ' + slug + '\n#   ' + String(e && e.message ? e.message : e).split('\n').join('\n#   '));
  }
}
function assert(cond, what) {
  if (!cond) throw new Error(what);
}

cli('init');
cli('create', 'Wire the login page', '-t', 'feature', '-p', 'high', '-l', 'web');
cli('create', 'Fix the flaky upload test', '-t', 'bug', '-p', 'critical', '-l', 'ci');
cli('create', 'Write the release notes', '-l', 'docs');
cli('create', 'Ship it');
cli('dep', 'add', '4', '--on', '3');
cli('--as', 'agent-1', 'claim', '2');

// Start `jerry serve --port PORT`; resolves to [process, URL].
function serve(port) {
  const proc = spawn(jerry, ['serve', '--port', String(port)], { env, cwd: tmp, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('jerry serve printed no URL: ' + out)), 15000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/ at (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        resolve([proc, m[1]]);
      }
    });
    proc.on('exit', (code) => reject(new Error('jerry serve exited ' + code)));
  });
}
const stopped = (proc) => new Promise((resolve) => (proc.exitCode !== null || proc.signalCode !== null
  ? resolve() : proc.on('exit', resolve)));
let [server, url] = await serve(0);

const root = typeof process.getuid === 'function' && process.getuid() === 0;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: [...(root ? ['--no-sandbox'] : []), '--disable-dev-shm-usage', '--disable-gpu'],
});
const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
context.setDefaultTimeout(30000);
const page = await context.newPage();
const errors = [];
page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
page.on('pageerror', (e) => errors.push(String(e)));

const card = (status, id) => page.locator(`section.column[data-status="${status}"] .card[data-id="${id}"]`);

try {
  await step('the board loads, by status', async () => {
    await page.goto(url);
    await card('pending', 'WORK-001').waitFor();
    await card('in_progress', 'WORK-002').waitFor();
    const claim = await card('in_progress', 'WORK-002').locator('.claim').textContent();
    assert(/held by agent-1 · \d+m left/.test(claim), 'the claim and its lease: ' + claim);
    await page.locator('#live.on').waitFor();
    await page.screenshot({ path: join(outdir, 'board.png') });
  });

  await step('a card moves when a CLI process starts and finishes it', async () => {
    cli('--as', 'agent-2', 'start', '1');
    await card('in_progress', 'WORK-001').waitFor();
    cli('--as', 'agent-2', 'done', '1');
    await card('done', 'WORK-001').waitFor();
    assert(await card('pending', 'WORK-001').count() === 0, 'no longer pending');
  });

  await step('the ready queue and what waits', async () => {
    await page.click('#nav-ready');
    await page.locator('.list .card[data-id="WORK-003"]').waitFor();
    assert(await page.locator('.list .card[data-id="WORK-004"]').count() === 0, 'WORK-004 waits, not ready');
    await page.screenshot({ path: join(outdir, 'ready.png') });
    await page.click('#nav-blocked');
    await page.locator('.waits', { hasText: 'waits on WORK-003 (pending)' }).waitFor();
    await page.screenshot({ path: join(outdir, 'blocked.png') });
  });

  await step('filters and search', async () => {
    await page.click('#nav-board');
    const only = (id) => page.waitForFunction((want) => {
      const cards = document.querySelectorAll('.card');
      return cards.length === 1 && cards[0].dataset.id === want;
    }, id);
    await page.fill('#f-label', 'ci');
    await only('WORK-002');
    await page.fill('#f-label', '');
    await page.fill('#f-q', 'release notes');
    await only('WORK-003');
    assert(await card('pending', 'WORK-003').count() === 1, 'in its column');
    await page.fill('#f-q', '');
    await page.waitForFunction(() => document.querySelectorAll('.card').length === 4);
  });

  await step('create and move an item through the page', async () => {
    await page.fill('#c-title', 'Made in the browser');
    await page.selectOption('#c-priority', 'high');
    await page.fill('#c-labels', 'web, ui');
    await page.click('#c-submit');
    await card('pending', 'WORK-005').waitFor();
    await card('pending', 'WORK-005').click();
    await page.locator('article.item-page[data-id="WORK-005"]').waitFor();
    await page.click('#a-start');
    await page.locator('#i-status', { hasText: 'in_progress' }).waitFor();
    await page.fill('#a-reason', 'waiting for the designer');
    await page.click('#a-block');
    await page.locator('#i-status', { hasText: 'blocked' }).waitFor();
    // The blocked view says why, as `jerry blocked` does.
    await page.click('#nav-blocked');
    await page.locator('.waits', { hasText: 'marked blocked: waiting for the designer' }).waitFor();
    await page.click('.list .card[data-id="WORK-005"]');
    await page.locator('article.item-page[data-id="WORK-005"]').waitFor();
    await page.fill('#a-note', 'the designer replied');
    await page.click('#a-note-add');
    await page.locator('.notes li', { hasText: 'the designer replied' }).waitFor();
    await page.click('#a-start');
    await page.locator('#i-status', { hasText: 'in_progress' }).waitFor();
    await page.click('#a-done');
    await page.locator('#i-status', { hasText: 'done' }).waitFor();
    await page.screenshot({ path: join(outdir, 'item.png'), fullPage: true });
    const item = JSON.parse(cli('--json', 'show', '5'));
    assert(item.status === 'done' && item.labels.join() === 'ui,web' && item.priority === 'high',
      'the CLI sees the page\'s changes: ' + JSON.stringify(item));
    assert(item.notes.some((n) => n.text === 'blocked: waiting for the designer'), 'the block reason is a note');
  });

  await step('a refused move shows the CLI\'s message', async () => {
    await page.click('#a-block');
    await page.locator('#message', { hasText: "cannot move 'WORK-005' from done to blocked" }).waitFor();
    await page.locator('#message', { hasText: 'hint: from done an item can move to: in_progress' }).waitFor();
  });

  await step('a stale page gets a conflict and a refresh, never an overwrite', async () => {
    const stale = await context.newPage();
    // This page has lost the server's events: it keeps what it showed.
    await stale.route('**/api/events', (r) => r.abort());
    await stale.goto(url + '#/item/WORK-003');
    await stale.locator('article.item-page[data-version="1"]').waitFor();
    cli('--as', 'agent-3', 'update', '3', '--title', 'Write the release notes for 1.0');
    await stale.fill('#e-title', 'An older idea of the title');
    await stale.click('#a-edit');
    await stale.locator('#message', { hasText: "cannot update 'WORK-003': version 1 is stale (now 2)" }).waitFor();
    await stale.locator('article.item-page[data-version="2"]').waitFor();
    const title = await stale.locator('#e-title').inputValue();
    assert(title === 'Write the release notes for 1.0', 'the page shows the current title: ' + title);
    const item = JSON.parse(cli('--json', 'show', '3'));
    assert(item.title === 'Write the release notes for 1.0' && item.version === 2, 'nothing overwritten');
    await stale.screenshot({ path: join(outdir, 'conflict.png') });
    await stale.close();
  });

  await step('a page that lost the server reconnects and catches up', async () => {
    await page.goto(url);
    await page.locator('#live.on').waitFor();
    const port = new URL(url).port;
    server.kill('SIGTERM');
    await stopped(server);
    await page.locator('#live.off').waitFor();
    cli('create', 'Written while the board was away');
    [server, url] = await serve(port);
    await card('pending', 'WORK-006').waitFor();
    await page.locator('#live.on').waitFor();
  });

  await step('no script errors in the page', async () => {
    // The conflict's and the refused move's answers (409, 422) are logged by the browser.
    // So is the event stream's loss when the server stopped (the only
    // chunked response) and while it was away.
    const real = errors.filter((e) =>
      !/status of 4(09|22)|ERR_CONNECTION_REFUSED|ERR_INCOMPLETE_CHUNKED_ENCODING|api\/events/.test(e));
    assert(real.length === 0, real.join('\n'));
  });
} finally {
  await browser.close();
  server.kill('SIGTERM');
  await stopped(server);
  await step('jerry serve stops cleanly on SIGTERM', async () => {
    assert(server.exitCode === 0, 'exit ' + server.exitCode + ' signal ' + server.signalCode);
  });
  rmSync(tmp, { recursive: true, force: true });
}
console.log(`browser: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
