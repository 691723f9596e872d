// points.jsonl with several writers at once (the tasks of a SLURM job array):
// every line stays whole, a writer killed mid-write costs only its own point,
// and squeue's task lines are read as the tasks they name. No cluster needed.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PointsFileError, readPoints } from '../../src/experiments/points-file.js';
import { parseTasks } from '../../src/experiments/slurm.js';

const root = mkdtempSync(join(tmpdir(), 'el2sim-append-'));
const WRITERS = 6, LINES = 250;

/** A child process appending LINES records through PointsWriter, of sizes from a few bytes to ~200 KiB. */
function writer(file: string, w: number): Promise<number | null> {
  const code = `
    const { PointsWriter } = await import(${JSON.stringify(new URL('../../src/experiments/points-file.ts', import.meta.url).pathname)});
    const out = new PointsWriter(${JSON.stringify(file)});
    for (let i = 0; i < ${LINES}; i++) {
      const size = i % 50 === 0 ? 200_000 : (i * 977) % 9000;
      out.append({ id: 'w${w}_' + i, point: { id: 'w${w}_' + i }, stop: 'poweroff', uart: String.fromCharCode(97 + ${w}).repeat(size) + '{"id":"not a start"}' });
    }
    out.close();`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: 'inherit' });
  return new Promise((r) => child.once('exit', r));
}

describe('points.jsonl with concurrent writers', () => {
  it(`${WRITERS} processes appending ${LINES} lines each at once leave every line whole`, async () => {
    const file = join(root, 'points.jsonl');
    const codes = await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(file, w)));
    expect(codes).toEqual(Array(WRITERS).fill(0));
    const text = readFileSync(file, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(WRITERS * LINES);
    for (const l of lines) expect(() => JSON.parse(l)).not.toThrow();
    const got = readPoints(file);
    expect(got.size).toBe(WRITERS * LINES);
    // each record's text is its own writer's
    for (const [id, r] of got) expect(r.uart.replace('{"id":"not a start"}', '')).toMatch(new RegExp(`^${String.fromCharCode(97 + Number(id[1]))}*$`));
  }, 120_000);

  it('a line torn by a killed writer costs its own point only: the record glued after it is kept', () => {
    const rec = (id: string) => JSON.stringify({ id, point: { id }, stop: 'poweroff', uart: 'a {"id":"x"} b' });
    const file = join(root, 'glued.jsonl');
    writeFileSync(file, `${rec('a')}\n${rec('torn').slice(0, 25)}${rec('b')}\n${rec('c')}\n`);
    expect([...readPoints(file).keys()]).toEqual(['a', 'b', 'c']);
    // garbage that is not a torn record is still an error
    writeFileSync(file, `${rec('a')}\ngarbage${rec('b')}\n`);
    expect(() => readPoints(file)).toThrow(PointsFileError);
  });

  it('a reader while others append leaves a partial last line alone', () => {
    const file = join(root, 'partial.jsonl');
    const text = `${JSON.stringify({ id: 'a', point: { id: 'a' } })}\n{"id":"b","poi`;
    writeFileSync(file, text);
    expect([...readPoints(file, { cut: false }).keys()]).toEqual(['a']);
    expect(readFileSync(file, 'utf8')).toBe(text);
    readPoints(file); // the owner of the run cuts it
    expect(readFileSync(file, 'utf8')).toBe(text.slice(0, text.indexOf('\n') + 1));
  });
});

describe('squeue and sacct task lines', () => {
  it('one task a line, pending ranges expanded, sacct\'s "CANCELLED by 0" read as CANCELLED, other jobs ignored', () => {
    expect(parseTasks('12_0|COMPLETED\n12_1|RUNNING\n12_[2-4%2]|PENDING\n12_5|CANCELLED by 0\n13_0|RUNNING\n12_[7,9]|PENDING\n', '12')).toEqual([
      { task: '0', state: 'COMPLETED' }, { task: '1', state: 'RUNNING' },
      { task: '2', state: 'PENDING' }, { task: '3', state: 'PENDING' }, { task: '4', state: 'PENDING' },
      { task: '5', state: 'CANCELLED' }, { task: '7', state: 'PENDING' }, { task: '9', state: 'PENDING' },
    ]);
  });
});
