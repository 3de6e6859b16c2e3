/**
 * A server — or a proxy in front of it — may quote the request in its error: the Authorization
 * header, the body with the passwords resolved. Every message meetctl builds from such an answer
 * reaches reports, saved plans, GitHub annotations and PR comments, so none may carry a secret.
 * The stand-in is a loopback proxy in front of the real emulator that answers some requests with
 * a Webex-shaped error echoing them; everything else it forwards.
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { builtinSeed, startEmulator, type Emulator } from '../../emulator/index.js';
import { runCli, tempDir, type CliResult } from '../support/cli.js';
import { startProxy, type Proxy } from '../support/proxy.js';
import { driftSecrets, examplesWithSecrets, findLeaks } from '../support/secrets.js';

const TOKEN = 'tok_Echo+/=Admin.Value-19d2e0';
const SALES_PASSWORD = 'Pw+1/Echo=Sync&?x';
const PANELIST_PASSWORD = 'Panel/Echo+Pw=2#yz';
const SECRETS = { TOKEN, SALES_PASSWORD, PANELIST_PASSWORD };

/** Which requests the proxy answers itself, echoing them: none, every write, or every read of meetings. */
let echo: 'none' | 'writes' | 'reads' = 'none';
let emu: Emulator;
let proxy: Proxy;
let baseUrl: string;
let tree: string;
let work: string;

function echoes(req: IncomingMessage): boolean {
  if (echo === 'writes') return req.method === 'PATCH' || req.method === 'PUT' || req.method === 'POST';
  // Reads of meetings: a GET of one, and a list of full pages (drift lists the series; the preflight's one-item list passes).
  return echo === 'reads' && req.method === 'GET' && (/^\/v1\/meetings\/[0-9a-f]{32}/.test(req.url ?? '') || /^\/v1\/meetings\?.*max=100/.test(req.url ?? ''));
}

/** A Webex-shaped 400 quoting the request, token and body included, for the requests `echoes` picks. */
function echoAnswer(req: IncomingMessage, body: Buffer): { status: number; body: unknown } | undefined {
  if (!echoes(req)) return undefined;
  const quoted = `${req.method} ${req.url} auth=${req.headers.authorization} body=${body.toString('utf8')}`;
  return { status: 400, body: { message: `Echo: ${quoted}`, errors: [{ description: `Rejected ${quoted}` }], trackingId: 'ECHO-1' } };
}

const outputs: { name: string; text: string }[] = [];
async function run(name: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const res = await runCli(args, { WEBEX_BASE_URL: baseUrl, WEBEX_ACCESS_TOKEN: TOKEN, SALES_SYNC_PASSWORD: SALES_PASSWORD, LAUNCH_PANELIST_PASSWORD: PANELIST_PASSWORD, ...env });
  outputs.push({ name: `${name} stdout`, text: res.stdout }, { name: `${name} stderr`, text: res.stderr });
  return res;
}

const drift = () => driftSecrets(emu);

beforeAll(async () => {
  emu = await startEmulator({ seed: { ...builtinSeed(), tokens: [{ token: TOKEN, admin: true }] } });
  proxy = await startProxy(emu.baseUrl, { answer: echoAnswer });
  baseUrl = proxy.baseUrl;
  work = tempDir('meetctl-echo-');
  tree = join(work, 'meetings');
  examplesWithSecrets(tree);
}, 60_000);

afterAll(async () => {
  await proxy.close();
  await emu.close();
});

const leaks = () => outputs.flatMap(({ name, text }) => findLeaks(name, text, SECRETS));

describe('a server that quotes the request in its errors', () => {
  test('apply in every format: the echoed token and passwords are redacted, the rest of the message is kept', async () => {
    echo = 'writes';
    const results: CliResult[] = [];
    for (const format of ['text', 'json', 'markdown', 'github']) {
      drift();
      results.push(await run(`apply ${format}`, ['apply', '--dir', tree, '--auto-approve', '--format', format]));
    }
    echo = 'none';
    for (const r of results) expect(r.code).toBe(1);
    expect(results[0].stdout).toMatch(/Echo: PATCH \/v1\/meetings\/1d824a4a205042eba9574e00b711b226.* auth=Bearer \[redacted\] body=\{.*"password":"\[redacted\]"/);
    expect(results[3].stderr).toMatch(/::error .*Bearer \[redacted\]/);
    expect(leaks()).toEqual([]);
  }, 60_000);

  test('plan, a saved plan and drift whose reads are answered with the echo: the token is redacted', async () => {
    echo = 'reads';
    const planFile = join(work, 'plan.json');
    const results = [
      await run('plan text', ['plan', '--dir', tree]),
      await run('plan json', ['plan', '--dir', tree, '--format', 'json']),
      await run('plan markdown', ['plan', '--dir', tree, '--format', 'markdown']),
      await run('plan --out', ['plan', '--dir', tree, '--out', planFile]),
      await run('drift', ['drift', '--dir', tree]),
    ];
    echo = 'none';
    outputs.push({ name: 'saved plan', text: readFileSync(planFile, 'utf8') });
    expect(results[0].stdout).toMatch(/Echo: GET \/v1\/meetings\/[0-9a-f]{32}.* auth=Bearer \[redacted\]/);
    expect(results.map((r) => r.code)).toEqual([1, 1, 1, 1, 1]);
    expect(leaks()).toEqual([]);
  }, 60_000);
});
