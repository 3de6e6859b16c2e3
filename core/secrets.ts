/**
 * Secret references. A desired file never holds a secret: it names an environment variable as
 * `${env:NAME}`, resolved only when a request is about to be sent. Messages name the variable,
 * never a value.
 */
export const SECRET_REF = /^\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}$/;

/** The variable a reference names, or undefined when it is not a well-formed reference. */
export function secretRefName(value: unknown): string | undefined {
  return typeof value === 'string' ? SECRET_REF.exec(value)?.[1] : undefined;
}

export type SecretResolution = { ok: true; value: string } | { ok: false; message: string };

/**
 * Variables a secret may not name, whatever the provider: the CI's own (its job token among them)
 * and meetctl's. A reference to one would send it to the server as a setting anyone invited may
 * see, while every output shows only `(sensitive)`.
 */
const RESERVED_VARIABLE = /^(GITHUB|GH|ACTIONS|RUNNER|MEETCTL)_/;

/** Why a reference may not name this variable (`reserved`: the provider's connection variables), if so. */
export function reservedVariableReason(name: string, reserved?: RegExp): string | undefined {
  if (RESERVED_VARIABLE.test(name) || reserved?.test(name)) {
    return `\${env:${name}} names a variable of the CI or of meetctl's own connection, never a secret for a setting: use a variable of its own`;
  }
  return undefined;
}

/**
 * The value to send for a secret field, the one resolution planning and apply share. A
 * `${env:NAME}` reference is looked up in `env`: a missing or empty variable is an error naming
 * it (an empty password is never what was meant). Any other string is sent as it is: the schema
 * refuses literals in files, and a hand-edited plan is sent as written. Never echoes a value.
 */
export function resolveSecret(value: unknown, env: Readonly<Record<string, string | undefined>> = process.env, reserved?: RegExp): SecretResolution {
  if (typeof value !== 'string') return { ok: false, message: 'must be a ${env:NAME} reference' };
  const name = secretRefName(value);
  if (name === undefined) return { ok: true, value };
  const refused = reservedVariableReason(name, reserved);
  if (refused) return { ok: false, message: refused };
  const resolved = env[name];
  if (resolved === undefined) return { ok: false, message: `environment variable ${name} is not set` };
  if (resolved === '') return { ok: false, message: `environment variable ${name} is empty` };
  return { ok: true, value: resolved };
}

/** A reference a plan holds whose variable is missing: where it is and which variable, never a value. */
export interface MissingSecret {
  id: string;
  field: string;
  name: string;
}

/**
 * Every secret reference the `update` changes of a plan will send (top-level patch fields for
 * which `isSecretField` holds) whose variable is not set or empty. Checked before the first
 * request, so a plan is applied whole or not at all instead of failing halfway through.
 */
export function missingPlanSecrets(
  changes: readonly { id: string; action: string; patch: Record<string, unknown>; sensitive?: string[] }[],
  isSecretField: (field: string, change: { sensitive?: string[] }) => boolean,
  env: Readonly<Record<string, string | undefined>> = process.env,
): MissingSecret[] {
  const missing: MissingSecret[] = [];
  for (const change of changes) {
    if (change.action !== 'update' && change.action !== 'create') continue;
    for (const [field, value] of Object.entries(change.patch)) {
      if (value === null || !isSecretField(field, change)) continue;
      const name = secretRefName(value);
      // A literal (hand-edited plan) is sent as it is, as apply always did; only references are resolved.
      if (name === undefined) continue;
      const resolved = env[name];
      if (resolved === undefined || resolved === '') missing.push({ id: change.id, field, name });
    }
  }
  return missing;
}

/** One message for every missing variable, each named once. */
export function describeMissingSecrets(missing: readonly MissingSecret[]): string {
  const names = [...new Set(missing.map((m) => m.name))].sort();
  const changes = new Set(missing.map((m) => m.id)).size;
  return (
    `the plan needs environment variable${names.length === 1 ? '' : 's'} ${names.join(', ')}, not set or empty ` +
    `(${changes} change${changes === 1 ? '' : 's'} use${changes === 1 ? 's' : ''} ${names.length === 1 ? 'it' : 'them'}): ` +
    'set them and apply again; nothing was applied'
  );
}

/** Shorter secrets are not redacted: replacing every "ab" would garble the message and hide little. */
const REDACTABLE_LENGTH = 3;

/**
 * The forms an echo of a request may carry a secret in: as written, JSON-escaped, URL-encoded, and
 * JSON-escaped as other serializers write it: Go escapes `&`, `<` and `>` as \uXXXX, Python and
 * Jackson every non-ASCII character, some both, in either case of hex, some with `/` as `\/`.
 */
function echoedForms(secret: string): Set<string> {
  const json = JSON.stringify(secret).slice(1, -1);
  const escaped = (chars: RegExp, upper: boolean) =>
    json.replace(chars, (c) => {
      const hex = c.charCodeAt(0).toString(16).padStart(4, '0');
      return `\\u${upper ? hex.toUpperCase() : hex}`;
    });
  const forms = [secret, json, encodeURIComponent(secret)];
  for (const chars of [/[&<>']/g, /[\u0080-\uffff]/g, /[&<>'\u0080-\uffff]/g]) forms.push(escaped(chars, false), escaped(chars, true));
  return new Set([...forms, ...forms.map((f) => f.replaceAll('/', '\\/'))]);
}

/**
 * `text` with every secret replaced by `[redacted]`, in each form an echo of a request may carry
 * it: for messages that quote what a server sent back.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < REDACTABLE_LENGTH) continue;
    for (const form of echoedForms(secret)) out = out.split(form).join('[redacted]');
  }
  return out;
}
