// A memory-mapped device on the physical bus. The bus hands it offsets
// relative to its base; values travel as bigint so 8-byte accesses need no
// special path. What an unsupported size or offset does is the device's own
// business, as on the real machine (each device documents it).

export interface Device {
  readonly name: string;
  readonly base: number;
  readonly size: number;
  read(offset: number, size: 1 | 2 | 4 | 8): bigint;
  write(offset: number, size: 1 | 2 | 4 | 8, value: bigint): void;
}
