// points.jsonl: one finished point a line, appended as it finishes. Each line is
// one write(2) to a file opened for appending, so a crash or Ctrl-C leaves at
// most a torn last line, which reading drops (and cuts off, so the next append
// starts a clean line). Any other line that does not parse is damage that
// el2sim did not cause: it is an error naming the line, and the file is left
// as it is for inspection.
import { closeSync, existsSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import type { PointResult } from './run-point.js';

export const POINTS_FILE = 'points.jsonl';

export class PointsFileError extends Error {}

/** The points a file holds, by id; a torn last line is cut off the file. */
export function readPoints(file: string): Map<string, PointResult> {
  const done = new Map<string, PointResult>();
  if (!existsSync(file)) return done;
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  // the text after the last newline is a line being written when the run stopped
  const torn = lines.pop() ?? '';
  const kept = text.length - torn.length;
  lines.forEach((line, i) => {
    let r: PointResult | undefined;
    try {
      r = JSON.parse(line) as PointResult;
    } catch {
      r = undefined;
    }
    if (r && typeof r.id === 'string' && r.point) {
      done.set(r.id, r);
      return;
    }
    throw new PointsFileError(`${file}:${i + 1}: not a point record (${line.length > 60 ? line.slice(0, 60) + '…' : line || 'an empty line'}); the file is left as it is: repair or remove that line, then --resume`);
  });
  if (kept < text.length) truncateSync(file, Buffer.byteLength(text.slice(0, kept)));
  return done;
}

export class PointsWriter {
  private readonly fd: number;
  constructor(file: string) {
    this.fd = openSync(file, 'a');
  }
  append(r: PointResult): void {
    writeSync(this.fd, JSON.stringify(r) + '\n');
  }
  close(): void {
    closeSync(this.fd);
  }
}
