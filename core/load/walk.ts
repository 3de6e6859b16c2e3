/**
 * Finding the YAML files of a tree: sorted, dot entries and node_modules skipped. Symbolic links
 * are followed only when their target stays inside the directory.
 */
import { readdir, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { error, warning, type Diagnostic } from '../diagnostics.js';
import { compareStrings } from '../order.js';

function isYamlFile(name: string): boolean {
  return name.endsWith('.yaml') || name.endsWith('.yml');
}

export interface Found {
  abs: string;
  rel: string;
}

/** Every YAML file under `root`, sorted by relative path; dot entries and node_modules are skipped. */
export async function findYamlFiles(root: string, rootReal: string, diagnostics: Diagnostic[], shownDir: string): Promise<Found[]> {
  const out: Found[] = [];
  const visited = new Set<string>([rootReal]);
  const inside = (real: string) => real === rootReal || real.startsWith(rootReal.endsWith(sep) ? rootReal : rootReal + sep);

  async function walk(absDir: string, relDir: string): Promise<void> {
    const entries = await readdir(absDir, { withFileTypes: true });
    entries.sort((a, b) => compareStrings(a.name, b.name));
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const abs = join(absDir, entry.name);
      const rel = relDir === '' ? entry.name : `${relDir}/${entry.name}`;
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        let real: string;
        try {
          real = await realpath(abs);
        } catch {
          if (isYamlFile(entry.name)) diagnostics.push(error('load.brokenLink', 'symbolic link points nowhere', { file: join(shownDir, rel) }));
          continue;
        }
        if (!inside(real)) {
          diagnostics.push(warning('load.linkOutside', `skipped: symbolic link points outside ${shownDir}`, { file: join(shownDir, rel) }));
          continue;
        }
        const st = await stat(real);
        isDir = st.isDirectory();
        isFile = st.isFile();
        if (isDir) {
          if (visited.has(real)) continue;
          visited.add(real);
        }
      } else if (isDir) {
        visited.add(await realpath(abs));
      }
      if (isDir) await walk(abs, rel);
      else if (isFile && isYamlFile(entry.name)) out.push({ abs, rel });
    }
  }

  await walk(root, '');
  return out.sort((a, b) => compareStrings(a.rel, b.rel));
}
