/**
 * The plain-YAML fast path (core/load/plain-yaml.ts) against the full parser: whenever it answers,
 * the full parser finds no error or warning in the text and its data is the same.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { describe, expect, test } from 'vitest';
import { parsePlainYaml } from '../../core/load/plain-yaml.js';
import { EXAMPLES } from '../support/cli.js';

function fullParse(text: string): unknown {
  const docs = parseAllDocuments(text, { uniqueKeys: true, prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [];
  const problems = list.flatMap((d) => [...d.errors, ...d.warnings]).map((e) => e.code);
  const withContent = list.filter((d) => d.contents !== null);
  return { problems, documents: withContent.length, data: withContent[0]?.toJS({ maxAliasCount: 100 }) };
}

function expectAgrees(text: string): boolean {
  const fast = parsePlainYaml(text);
  if (fast === undefined) return false;
  expect(fullParse(text), JSON.stringify(text)).toEqual({ problems: [], documents: 1, data: fast });
  return true;
}

function yamlFilesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return yamlFilesUnder(path);
    return /\.ya?ml$/.test(name) ? [path] : [];
  });
}

// Block YAML built from the pieces where plain and not-quite-plain YAML differ: a tree rendered
// with some indentation, then (often) one line shifted, replaced or added.
const keyArb = fc.oneof({ arbitrary: fc.constantFrom('id', 'title', 'a', 'b', 'k1', '_k'), weight: 12 }, fc.constantFrom('null', 'True', '__proto__', 'x-y', '"q"', '1'));
const plainValueArb = fc.constantFrom('x', 'hello world', 'true', '7', '2027-05-14T14:30:00', "'it''s'", '"double"', '[]', '');
const oddValueArb = fc.constantFrom(
  'x', 'hello world', 'a  b', '~', 'null', 'Null', 'NULL', 'true', 'False', 'TRUE', 'yes', 'no', 'on',
  '0', '7', '007', '123456789012345', '1234567890123456', '-1', '+1', '1.5', '1.', '.5', '1e3', '0x1F', '0o17', '.inf', '.NaN', '1_000',
  '2027-05-14T14:30:00', '2027-05-14', '12:30', 'FREQ=WEEKLY;BYDAY=MO', 'a: b', 'a:b', 'a #c', 'a#c', '#c', 'end:', ':x', '-x', '- x',
  "'single'", "'it''s'", "'open", '"double"', '"esc\\n"', '"a" b', '[]', '{}', '[a]', '{a: 1}', 'a[1]', 'a, b', '&anchor x', '*alias',
  '!tag x', '|', '>', '? x', '@x', '`x', '%x', 'é ü 中', 'a\tb', 'a\rb', '\u00a0x', 'x ', '',
);
const valueArb = fc.oneof({ arbitrary: plainValueArb, weight: 6 }, oddValueArb);
type Tree = string | { map: [string, Tree][] } | { list: Tree[] };
const { tree: treeArb } = fc.letrec<{ tree: Tree; map: { map: [string, Tree][] }; list: { list: Tree[] } }>((tie) => ({
  tree: fc.oneof({ depthSize: 'small' }, valueArb, tie('map'), tie('list')),
  map: fc.array(fc.tuple(keyArb, tie('tree')), { minLength: 1, maxLength: 4 }).map((map) => ({ map })),
  list: fc.array(tie('tree'), { minLength: 1, maxLength: 3 }).map((list) => ({ list })),
}));

function render(map: [string, Tree][], step: number, pad: string, out: string[]): void {
  for (const [key, value] of map) {
    if (typeof value === 'string') out.push(`${pad}${key}:${value === '' ? '' : ` ${value}`}`);
    else {
      out.push(`${pad}${key}:`);
      renderBlock(value, step, pad + ' '.repeat(step), out);
    }
  }
}
function renderBlock(value: Exclude<Tree, string>, step: number, pad: string, out: string[]): void {
  if ('map' in value) return render(value.map, step, pad, out);
  for (const item of value.list) {
    if (typeof item === 'string') out.push(`${pad}- ${item}`);
    else if ('map' in item) {
      const inner: string[] = [];
      render(item.map, step, '', inner);
      out.push(`${pad}- ${inner[0]}`, ...inner.slice(1).map((l) => `${pad}  ${l}`));
    } else {
      out.push(`${pad}-`);
      renderBlock(item, step, pad + ' '.repeat(step), out);
    }
  }
}
const mutationArb = fc.tuple(fc.constantFrom('none', 'none', 'shift', 'replace', 'insert', 'comment', 'marker', 'wide-indent', 'wide-end'), fc.nat(), fc.constantFrom(-2, -1, 1, 2), valueArb);
// White space to JavaScript's trim() but not to YAML, whose white space is only space and tab
// (what a file copied from a web page or a word processor is indented with).
const WIDE_SPACES = ['\u00a0', '\u1680', '\u2003', '\u202f', '\u205f', '\u3000'];
const textArb = fc.tuple(fc.array(fc.tuple(keyArb, treeArb), { minLength: 1, maxLength: 5 }), fc.constantFrom(1, 2, 4), mutationArb, fc.boolean()).map(
  ([map, step, [mutation, at, shift, value], finalNewline]) => {
    const lines: string[] = [];
    render(map, step, '', lines);
    const i = at % lines.length;
    if (mutation === 'shift') lines[i] = shift > 0 ? ' '.repeat(shift) + lines[i] : lines[i].slice(Math.min(-shift, lines[i].length - lines[i].trimStart().length));
    if (mutation === 'replace') lines[i] = `${lines[i].slice(0, lines[i].length - lines[i].trimStart().length)}${value}`;
    if (mutation === 'insert') lines.splice(i, 0, `${' '.repeat(at % 5)}${value}`);
    if (mutation === 'comment') lines.splice(i, 0, `${' '.repeat(at % 5)}# ${value}`, '');
    if (mutation === 'marker') lines.splice(i, 0, at % 2 === 0 ? '---' : '...');
    const wide = WIDE_SPACES[at % WIDE_SPACES.length];
    if (mutation === 'wide-indent') lines[i] = lines[i].replace(/^ +/, (pad) => (shift > 0 ? wide.repeat(pad.length) : `${wide}${pad.slice(1)}`));
    if (mutation === 'wide-end') lines[i] = `${lines[i]}${wide}`;
    return lines.join('\n') + (finalNewline ? '\n' : '');
  },
);

describe('parsePlainYaml', () => {
  test('agrees with the full parser on the examples and the corpus, and takes most of them', () => {
    const files = [...yamlFilesUnder(EXAMPLES), ...yamlFilesUnder(join(import.meta.dirname, '../validate/corpus'))];
    const taken = files.filter((f) => expectAgrees(readFileSync(f, 'utf8')));
    expect(taken.length).toBeGreaterThan(files.length / 3);
  });

  test('agrees with the full parser on generated block YAML', () => {
    let taken = 0;
    fc.assert(
      fc.property(textArb, (text) => {
        if (expectAgrees(text)) taken++;
      }),
      { numRuns: 20_000 },
    );
    // Enough of the generated files are plain that the comparison is not vacuous.
    expect(taken).toBeGreaterThan(1_000);
  });

  test('takes what yaml.stringify writes for a meeting', () => {
    const text = [
      'id: 00321ae04debf9bfbe07c28b131d69f1',
      'title: Finance Review 2624',
      'start: 2027-05-14T14:30:00',
      'joinBeforeHostMinutes: 5',
      'enabledJoinBeforeHost: false',
      'meetingOptions:',
      '  enabledChat: false',
      'integrationTags:',
      '  - team-a',
      'occurrences:',
      '  - id: 00321ae04debf9bfbe07c28b131d69f1_20270521T090000Z',
      "    title: 'Review: special'",
      '',
    ].join('\n');
    expect(expectAgrees(text)).toBe(true);
  });
});
