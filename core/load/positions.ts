/** Source positions of a parsed YAML document: offsets to lines, and field paths to offsets. */
import type { Document, LineCounter, Pair } from 'yaml';
import type { PathPart, Position, SourceFile } from './source.js';
import { yamlPackage } from './yaml-package.js';

export function nodeStart(node: unknown, lc: Lines): Position | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? lc.linePos(range[0]) : undefined;
}

function findPair(map: unknown, key: PathPart): Pair | undefined {
  const { isMap, isScalar } = yamlPackage();
  if (!isMap(map)) return undefined;
  return map.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
}

/** What positions are computed with: offsets to 1-based line and column. */
export type Lines = Pick<LineCounter, 'linePos'>;

/**
 * The line starts of `text`, found when a position is first asked for: most files report nothing,
 * and letting the parser record every line start costs a tenth of the parse. The parser starts a
 * line after each `\n` (of `\n` or `\r\n`), and so does this.
 */
export function linesOf(text: string): Lines {
  let counter: LineCounter | undefined;
  return {
    linePos(offset) {
      if (counter === undefined) {
        counter = new (yamlPackage().LineCounter)();
        counter.addNewLine(0);
        for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) counter.addNewLine(i + 1);
      }
      return counter.linePos(offset);
    },
  };
}

/** Build the `locate` of a parsed document. */
export function locator(doc: Document, lc: Lines): SourceFile['locate'] {
  const { isMap, isSeq } = yamlPackage();
  return (path, at = 'value') => {
    let node: unknown = doc.contents;
    let position = nodeStart(node, lc) ?? { line: 1, col: 1 };
    for (let i = 0; i < path.length; i++) {
      const part = path[i];
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = findPair(node, part);
        if (!pair) return position;
        const keyPos = nodeStart(pair.key, lc);
        const range = (pair.value as { range?: [number, number, number] } | null)?.range;
        const valuePos = range && range[1] > range[0] ? nodeStart(pair.value, lc) : undefined;
        // An empty value (`agenda:`) has no node of its own: point at its key.
        position = (last && at === 'key' ? keyPos : (valuePos ?? keyPos)) ?? position;
        node = pair.value;
      } else if (isSeq(node) && typeof part === 'number' && part >= 0 && part < node.items.length) {
        node = node.items[part];
        position = nodeStart(node, lc) ?? position;
      } else {
        return position;
      }
    }
    return position;
  };
}
