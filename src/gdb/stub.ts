// `--gdb [HOST:]PORT`: a GDB remote stub on a boot or vm run. It listens before
// the machine starts; with --gdb-wait the machine stops before its first
// instruction until a debugger connects and continues it.
import type { DebugHook } from '../machine/debug-run.js';
import { GdbSession } from './session.js';
import { GdbLink, parseGdbAddress } from './transport.js';

export interface GdbStubOptions {
  /** `[HOST:]PORT` (HOST defaults to localhost; PORT 0 picks a free port). */
  address: string;
  wait: boolean;
  log?: (msg: string) => void;
}

export class GdbAddressError extends Error {}

/** Listens and returns the hook that runs the machine under the stub (`listenPort` says where). */
export function gdbStub(o: GdbStubOptions): DebugHook & { listenPort: number; session: GdbSession } {
  const a = parseGdbAddress(o.address);
  if (!a) throw new GdbAddressError(`--gdb: '${o.address}' is not [HOST:]PORT (e.g. 1234 or localhost:1234)`);
  const link = new GdbLink(a.host, a.port);
  o.log?.(`gdb stub listening on ${a.host}:${link.listenPort}${o.wait ? ' (waiting for gdb before the first instruction)' : ''}`);
  const session = new GdbSession(link, { wait: o.wait, log: o.log });
  return {
    listenPort: link.listenPort,
    session,
    wrapDecoder: session.runner.wrapDecoder,
    run: (m, maxInsns) => {
      session.attach(m);
      return session.runner.run(m, maxInsns);
    },
  };
}
