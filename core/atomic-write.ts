/**
 * Atomic file writes inside a chosen directory. A reader sees the old file or the new one, never
 * half of either: the content goes to a temporary file in the same directory (so the rename never
 * crosses file systems), is fsynced, then renamed over the target. Writes that would land outside
 * the directory, or follow a symbolic link to somewhere the user did not name, are refused.
 */
import { randomBytes } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import { link, lstat, mkdir, open, realpath, rename, unlink } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';

export type AtomicWriteErrorCode =
  | 'atomicWrite.badPath'
  | 'atomicWrite.outside'
  | 'atomicWrite.symlink'
  | 'atomicWrite.exists'
  | 'atomicWrite.notAFile'
  | 'atomicWrite.io';

export interface AtomicWriteError {
  code: AtomicWriteErrorCode;
  message: string;
  file: string;
}

export type AtomicWriteResult = { ok: true; path: string } | { ok: false; error: AtomicWriteError };

export interface AtomicWriteOptions {
  /** Permission bits of the written file, applied exactly (not filtered by the umask). Default 0o644. */
  mode?: number;
  /** Replace an existing regular file. Without it an existing file is left alone (`atomicWrite.exists`). */
  overwrite?: boolean;
}

const DEFAULT_FILE_MODE = 0o644;

function failure(code: AtomicWriteErrorCode, file: string, message: string): AtomicWriteResult {
  return { ok: false, error: { code, file, message } };
}

/** True when `child` is `parent` or lies below it (both absolute, already resolved). */
function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * A path relative to the target directory that names a file below it: no absolute paths, no
 * `..` or empty segments, no hidden (dot) segments, no NUL.
 */
export function checkRelativePath(relativePath: string): string | undefined {
  if (relativePath === '' || relativePath.includes('\0')) return 'the file name is empty or contains NUL';
  if (isAbsolute(relativePath) || /^[A-Za-z]:/.test(relativePath)) return 'the file name must be relative to the target directory';
  const segments = relativePath.split(/[\\/]/);
  for (const segment of segments) {
    if (segment === '' || segment === '.' || segment === '..') return `the file name "${relativePath}" has an empty, "." or ".." segment`;
    if (segment.startsWith('.')) return `the file name "${relativePath}" has a hidden (dot) segment`;
  }
  return undefined;
}

async function lstatOrUndefined(path: string) {
  try {
    return await lstat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Write `content` to `root/relativePath`. Parent folders below `root` are created; `root` itself
 * must exist. Errors come back as values with a code, never thrown.
 */
export async function writeFileAtomic(
  root: string,
  relativePath: string,
  content: string | Uint8Array,
  opts: AtomicWriteOptions = {},
): Promise<AtomicWriteResult> {
  const target = resolve(root, relativePath);
  const pathProblem = checkRelativePath(relativePath);
  if (pathProblem) return failure('atomicWrite.badPath', target, `refusing to write: ${pathProblem}`);

  let realRoot: string;
  try {
    realRoot = await realpath(root);
  } catch (err) {
    return failure('atomicWrite.io', target, `cannot write ${target}: the directory ${root} is not usable (${(err as Error).message})`);
  }
  const lexicalRoot = resolve(root);
  if (!isInside(lexicalRoot, target)) return failure('atomicWrite.outside', target, `refusing to write ${target}: it is outside ${root}`);

  const parent = dirname(target);
  let realParent: string;
  try {
    await mkdir(parent, { recursive: true });
    // A symlinked folder below the root could lead anywhere; compare real locations.
    realParent = await realpath(parent);
  } catch (err) {
    return failure('atomicWrite.io', target, `cannot write ${target}: ${(err as Error).message}`);
  }
  if (!isInside(realRoot, realParent)) {
    return failure('atomicWrite.outside', target, `refusing to write ${target}: its folder resolves outside ${root} (a symbolic link?)`);
  }
  return writeInFolder(realParent, target, content, opts, target);
}

/**
 * Write `content` to `path`, a file the user named, in a folder that exists. The same atomicity
 * and refusals as `writeFileAtomic`, without confinement to a root; messages say "… write
 * `label`" (default: the path).
 */
export async function writeNamedFileAtomic(
  path: string,
  content: string | Uint8Array,
  opts: AtomicWriteOptions & { label?: string } = {},
): Promise<AtomicWriteResult> {
  const label = opts.label ?? path;
  let realParent: string;
  try {
    realParent = await realpath(dirname(path));
  } catch (err) {
    return failure('atomicWrite.io', path, `cannot write ${label}: ${(err as Error).message}`);
  }
  return writeInFolder(realParent, path, content, opts, label);
}

/** The temporary files of the writes in progress. */
const inProgress = new Set<string>();

/**
 * Remove the temporary files of the writes in progress, for a process about to end on a signal:
 * each target keeps what it held (old or new), and no temporary file is left beside it.
 */
export function removeTemporaryFiles(): void {
  for (const tmp of inProgress) {
    try {
      unlinkSync(tmp);
    } catch {
      // Renamed into place already, or never created.
    }
  }
  inProgress.clear();
}

/**
 * The write itself, into `realParent` (already resolved): a private temporary file beside the
 * target, fsynced, then renamed over it (or linked, when not overwriting), then the folder fsynced.
 */
async function writeInFolder(
  realParent: string,
  target: string,
  content: string | Uint8Array,
  opts: AtomicWriteOptions,
  label: string,
): Promise<AtomicWriteResult> {
  const mode = opts.mode ?? DEFAULT_FILE_MODE;
  let tmp: string | undefined;
  let name: string | undefined;
  try {
    const existing = await lstatOrUndefined(target);
    if (existing?.isSymbolicLink()) return failure('atomicWrite.symlink', target, `refusing to write ${label}: it is a symbolic link`);
    if (existing && !existing.isFile()) return failure('atomicWrite.notAFile', target, `refusing to write ${label}: it exists and is not a regular file`);
    if (existing && !opts.overwrite) return failure('atomicWrite.exists', target, `${label} already exists`);

    tmp = name = join(realParent, `.${basename(target)}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
    inProgress.add(name);
    const handle = await open(tmp, 'wx', 0o600);
    try {
      await handle.writeFile(content);
      // chmod after open: the mode given to open() is filtered by the umask, and callers ask for an exact mode.
      await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    const final = join(realParent, basename(target));
    if (opts.overwrite) {
      await rename(tmp, final);
    } else {
      // link() fails if the name appeared since the check above: no silent overwrite in a race.
      try {
        await link(tmp, final);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') return failure('atomicWrite.exists', target, `${label} already exists`);
        throw err;
      }
      await unlink(tmp);
    }
    tmp = undefined;
    await syncDirectory(realParent);
    return { ok: true, path: target };
  } catch (err) {
    return failure('atomicWrite.io', target, `cannot write ${label}: ${(err as Error).message}`);
  } finally {
    if (tmp !== undefined) await unlink(tmp).catch(() => undefined);
    if (name !== undefined) inProgress.delete(name);
  }
}

/** Make the rename durable; some platforms cannot open a directory, which is fine to ignore. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // best effort
  }
}
