// points.jsonl: one finished point a line, appended as it finishes. Each line is
// one write(2) to a file opened for appending, so a crash or Ctrl-C leaves at
// most a torn last line, which reading drops (and cuts off, so the next append
// starts a clean line). Any other line that does not parse is damage that
// el2sim did not cause: it is an error naming the line, and the file is left
// as it is for inspection. Several processes may append at once (the tasks of a
// SLURM job array): O_APPEND and one write per line keep their lines whole; a
// writer killed in the middle of its write leaves a fragment that the next
// line is glued to, and reading drops the fragment and keeps that next line.
import { closeSync, existsSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import type { PointResult } from './run-point.js';

export const POINTS_FILE = 'points.jsonl';

export class PointsFileError extends Error {}

/** Where a record starts: JSON.stringify escapes quotes inside strings, so this occurs only at a record's start. */
const RECORD_START = '{"id":"';

/** A line as a record: the whole line, or the record glued after a fragment torn by a killed writer. */
function parseLine(line: string): PointResult | undefined {
  for (let at = 0; at >= 0; at = line.indexOf(RECORD_START, at + 1)) {
    if (at > 0 && !line.startsWith(RECORD_START)) break; // only a torn record is followed by a glued one
    try {
      const r = JSON.parse(at ? line.slice(at) : line) as PointResult;
      if (r && typeof r.id === 'string' && r.point) return r;
    } catch {
      // a fragment: try the next record start
    }
  }
  return undefined;
}

/**
 * The points a file holds, by id; a torn last line is cut off the file, unless `cut` is false
 * (a reader while other processes may still append: it only leaves the partial line out).
 */
export function readPoints(file: string, opts: { cut?: boolean } = {}): Map<string, PointResult> {
  const done = new Map<string, PointResult>();
  if (!existsSync(file)) return done;
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  // the text after the last newline is a line being written when the run stopped
  const torn = lines.pop() ?? '';
  const kept = text.length - torn.length;
  lines.forEach((line, i) => {
    const r = parseLine(line);
    if (r) {
      done.set(r.id, r);
      return;
    }
    throw new PointsFileError(`${file}:${i + 1}: not a point record (${line.length > 60 ? line.slice(0, 60) + '…' : line || 'an empty line'}); the file is left as it is: repair or remove that line, then --resume`);
  });
  if (kept < text.length && opts.cut !== false) truncateSync(file, Buffer.byteLength(text.slice(0, kept)));
  return done;
}

export class PointsWriter {
  private readonly fd: number;
  constructor(file: string) {
    this.fd = openSync(file, 'a');
  }
  /** One write(2) of the whole line (the kernel may cut it short only on a full disk or a kill: then the rest follows). */
  append(r: PointResult): void {
    const line = Buffer.from(JSON.stringify(r) + '\n');
    for (let off = 0; off < line.length;) off += writeSync(this.fd, line, off, line.length - off);
  }
  close(): void {
    closeSync(this.fd);
  }
}
