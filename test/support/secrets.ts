/** What the security tests share: the built-in meetings with secrets to send, and what they look for in every output. */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Emulator } from '../../emulator/index.js';
import { EXAMPLES } from './cli.js';

export const SALES = '1d824a4a205042eba9574e00b711b226';
export const LAUNCH = '4a2f7c9e8b1d4e6fa3c5b7d9e1f2a3b4';

/** Every form a secret could leak in: raw, URL-encoded, JSON-escaped, base64/base64url at any alignment. */
export function leakForms(secret: string): string[] {
  const forms = new Set([secret, encodeURIComponent(secret), encodeURI(secret), JSON.stringify(secret).slice(1, -1), new URLSearchParams({ s: secret }).toString().slice(2)]);
  for (let offset = 0; offset < 3; offset++) {
    for (const encoding of ['base64', 'base64url'] as const) {
      const encoded = Buffer.from('x'.repeat(offset) + secret).toString(encoding);
      // Drop the characters the prefix and the padding influence; what is left only a leak can produce.
      forms.add(encoded.slice(offset === 0 ? 0 : 4, -4));
    }
  }
  return [...forms];
}

/** Which secrets, in any of their forms, an output holds: `name: SECRET as "form"` for each. */
export function findLeaks(name: string, text: string, secrets: Record<string, string>): string[] {
  const hits: string[] = [];
  for (const [secretName, secret] of Object.entries(secrets)) {
    for (const form of leakForms(secret)) if (text.includes(form)) hits.push(`${name}: ${secretName} as ${JSON.stringify(form)}`);
  }
  return hits;
}

/** The example meetings in `tree`, the webinar with a panelist password reference too. */
export function examplesWithSecrets(tree: string): void {
  cpSync(EXAMPLES, tree, { recursive: true });
  const launch = join(tree, 'webinars/product-launch.yaml');
  writeFileSync(launch, `${readFileSync(launch, 'utf8')}panelistPassword: \${env:LAUNCH_PANELIST_PASSWORD}\n`);
}

/** The live meetings away from the files again, passwords included: the next command has them to send. */
export function driftSecrets(emu: Emulator): void {
  emu.editMeeting(SALES, { title: 'Sales Sync', password: 'Old-Passw0rd' });
  emu.editMeeting(LAUNCH, { title: 'Product Launch', panelistPassword: 'Old-Panel1st' });
}
