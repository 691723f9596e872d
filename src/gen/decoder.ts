// Builds the decoder: a decision tree over fixed bits, emitted as nested
// switches. At each node the longest run of bits that every candidate fixes
// and that tells them apart is switched on; when none exists, the bit fixed in
// most candidates splits them (don't-care candidates go both ways). Leaves test
// the full mask/value in priority order.
export interface Candidate { id: number; mask: number; value: number; guard?: string }

function runs(bits: number): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < 32; ) {
    if (!((bits >>> i) & 1)) { i++; continue; }
    let j = i;
    while (j < 32 && (bits >>> j) & 1) j++;
    out.push([i, j - i]);
    i = j;
  }
  return out;
}

export function emitDecoder(cands: Candidate[], indent = '  '): string {
  return node(cands, indent, 0);
}

function leaf(cands: Candidate[], ind: string): string {
  let s = '';
  for (const c of cands) {
    const test = `(w & 0x${c.mask.toString(16)}) === ${c.value | 0}`; // & yields a signed int32
    s += c.guard ? `${ind}if (${test} && !(${c.guard})) return ${c.id};\n` : `${ind}if (${test}) return ${c.id};\n`;
  }
  return s + `${ind}return -1;\n`;
}

function node(cands: Candidate[], ind: string, depth: number): string {
  if (cands.length <= 1 || depth > 24) return leaf(cands, ind);
  const common = cands.reduce((m, c) => m & c.mask, -1) >>> 0;
  let diff = 0;
  for (const c of cands) diff |= (c.value ^ cands[0].value) & common;
  let lo: number, len: number;
  if (diff) {
    [lo, len] = runs(diff >>> 0).reduce((a, b) => (b[1] > a[1] ? b : a));
    if (len > 8) { lo += len - 8; len = 8; }
  } else {
    let best = -1, bestCount = 0;
    for (let b = 31; b >= 0; b--) {
      if ((common >>> b) & 1) continue;
      const n = cands.filter((c) => (c.mask >>> b) & 1).length;
      if (n > bestCount) { best = b; bestCount = n; }
    }
    if (best < 0) return leaf(cands, ind); // identical masks: priority order decides
    lo = best; len = 1;
  }
  const m = (1 << len) - 1;
  const buckets = new Map<string, { keys: number[]; cands: Candidate[] }>();
  for (let k = 0; k <= m; k++) {
    const sub = cands.filter((c) => {
      const cm = (c.mask >>> lo) & m;
      return (((c.value >>> lo) & cm) ^ (k & cm)) === 0;
    });
    if (!sub.length) continue;
    const key = sub.map((c) => c.id).join(',');
    const b = buckets.get(key);
    if (b) b.keys.push(k); else buckets.set(key, { keys: [k], cands: sub });
  }
  // a split that separates nothing would recurse forever
  if (buckets.size === 1 && [...buckets.values()][0].cands.length === cands.length && !diff) return leaf(cands, ind);
  let s = `${ind}switch ((w >>> ${lo}) & 0x${m.toString(16)}) {\n`;
  for (const b of buckets.values()) {
    s += b.keys.map((k) => `${ind}  case ${k}:`).join('\n') + ' {\n';
    s += node(b.cands, ind + '    ', depth + 1);
    s += `${ind}  }\n`;
  }
  return s + `${ind}}\n${ind}return -1;\n`;
}
