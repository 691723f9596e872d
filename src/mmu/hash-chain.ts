// Hash chains over typed arrays: per bucket the first slot (`head`), per slot the next
// (`link`), -1 ending a chain. The TLBs and the walk caches find an address's entries on
// its bucket's chain instead of scanning every way.

/** Puts slot `s` at the front of bucket `b`'s chain. */
export function chainInsert(head: Int32Array, link: Int32Array, b: number, s: number): void {
  link[s] = head[b]!;
  head[b] = s;
}

/** Takes slot `s` off bucket `b`'s chain (it is on it). */
export function chainRemove(head: Int32Array, link: Int32Array, b: number, s: number): void {
  if (head[b] === s) head[b] = link[s]!;
  else {
    let p = head[b]!;
    while (link[p] !== s) p = link[p]!;
    link[p] = link[s]!;
  }
  link[s] = -1;
}
