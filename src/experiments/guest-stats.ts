// A workload's own figures: lines `stat: name=value name=value …` in the
// guest's output (names [a-z_]+, values unsigned decimal integers), which
// become the stats `guest.<name>`. A workload measures what the machine's
// totals cannot separate, such as the cycles of its timed loop alone
// (PMCCNTR_EL0 around it) and the loads that loop made.

export interface GuestStats {
  /** By name; a name on several lines (phases, processes) holds the sum, so a ratio of two stays the ratio of the totals. */
  stats: Record<string, number>;
  /** Each malformed stat line, as `line N: 'text': why`. */
  problems: string[];
}

const PREFIX = 'stat:';
const FIELD = /^([a-z_]+)=(\d+)$/;

export function parseGuestStats(output: string): GuestStats {
  const sums = new Map<string, number>(); // a Map: a name such as __proto__ is only a name
  const problems: string[] = [];
  output.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (!line.startsWith(PREFIX)) return;
    const fields = line.slice(PREFIX.length).trim().split(/\s+/).filter(Boolean);
    const bad = (why: string) => problems.push(`line ${i + 1}: '${line}': ${why}`);
    if (!fields.length) return bad('no name=value');
    const parsed: [string, number][] = [];
    for (const f of fields) {
      const m = FIELD.exec(f);
      if (!m) return bad(`'${f}' is not name=value (a name of a-z and _, an unsigned decimal integer)`);
      const value = Number(m[2]);
      // beyond 2^53 a double no longer holds every integer: the figure would be silently wrong
      if (!Number.isSafeInteger(value)) return bad(`${m[1]}=${m[2]} is larger than ${Number.MAX_SAFE_INTEGER}`);
      parsed.push([m[1]!, value]);
    }
    // the whole line or nothing of it: a half-read line would pair figures of different things
    for (const [k, v] of parsed) sums.set(k, (sums.get(k) ?? 0) + v);
  });
  return { stats: Object.fromEntries(sums), problems };
}
