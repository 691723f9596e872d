// points.jsonl: one finished point a line, appended as it finishes. Each line is
// one write(2) to a file opened for appending, so a crash or Ctrl-C leaves at
// most a torn last line, which reading drops (and cuts off, so the next append
// starts a clean line).
import { closeSync, existsSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import type { PointResult } from './run-point.js';

export const POINTS_FILE = 'points.jsonl';

/** The points a file holds, by id; a torn last line is cut off the file. */
export function readPoints(file: string): Map<string, PointResult> {
  const done = new Map<string, PointResult>();
  if (!existsSync(file)) return done;
  const text = readFileSync(file, 'utf8');
  let good = 0;
  for (let start = 0, end; (end = text.indexOf('\n', start)) >= 0; start = end + 1) {
    let r: PointResult;
    try {
      r = JSON.parse(text.slice(start, end)) as PointResult;
    } catch {
      break;
    }
    done.set(r.id, r);
    good = end + 1;
  }
  if (good < text.length) truncateSync(file, Buffer.byteLength(text.slice(0, good)));
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
