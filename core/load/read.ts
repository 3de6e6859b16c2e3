/** Reading one file's text: the size limit, the UTF-8 check and the byte order mark. */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { error, type Diagnostic } from '../diagnostics.js';
import type { Position } from './source.js';

export const MAX_FILE_BYTES = 1024 * 1024;

/** Byte offset of the first invalid UTF-8 sequence, or -1. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    let need = 0;
    let min = 0;
    if (b < 0x80) {
      i += 1;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    if (i + need >= bytes.length) return i;
    let cp = b & (0xff >> (need + 2));
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if ((c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/** 1-based line and column of a byte offset (columns count characters, not bytes). */
function positionOfByte(bytes: Uint8Array, offset: number): Position {
  const before = new TextDecoder('utf-8').decode(bytes.subarray(0, offset));
  const lines = before.split('\n');
  return { line: lines.length, col: [...lines[lines.length - 1]].length + 1 };
}

/** The file's bytes, or its size when it is over MAX_FILE_BYTES (then nothing is read). One open, one fstat. */
function readSmallFile(abs: string): Uint8Array | number {
  const fd = openSync(abs, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size > MAX_FILE_BYTES) return size;
    const bytes = Buffer.allocUnsafe(size);
    let filled = 0;
    while (filled < size) {
      const n = readSync(fd, bytes, filled, size - filled, null);
      if (n === 0) break;
      filled += n;
    }
    return bytes.subarray(0, filled);
  } finally {
    closeSync(fd);
  }
}

/**
 * The text of one file, checked: over 1 MB is refused before it is read (a desired meeting is a
 * few hundred bytes); invalid UTF-8 is refused at its first bad byte. A byte order mark is an
 * error but the text is still returned without it, so its other problems show in the same run.
 */
export function readText(abs: string, file: string): { text?: string; diagnostics: Diagnostic[] } {
  // Synchronous on purpose: files are read one after another, and for thousands of small files the
  // thread-pool round trips of the promise API cost more CPU than the reading itself.
  const bytes = readSmallFile(abs);
  if (typeof bytes === 'number') {
    return {
      diagnostics: [
        error('load.tooLarge', `file is ${bytes} bytes; files over ${MAX_FILE_BYTES} bytes (1 MB) are refused`, { file, line: 1, col: 1 }),
      ],
    };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    const offset = firstInvalidUtf8(bytes);
    const pos = positionOfByte(bytes, Math.max(0, offset));
    return { diagnostics: [error('load.encoding', `file is not valid UTF-8 (byte ${offset} is not part of a UTF-8 character)`, { file, ...pos })] };
  }
  if (text.charCodeAt(0) !== 0xfeff) return { text, diagnostics: [] };
  // An error, not a warning: some YAML and diff tools treat the mark as content, so the file would
  // not mean the same everywhere. The rest is still checked, so one run shows every problem.
  return { text: text.slice(1), diagnostics: [error('load.bom', 'file starts with a UTF-8 byte order mark: save it as UTF-8 without one', { file, line: 1, col: 1 })] };
}
