// The debugger's TCP connection, served by a worker thread so that the machine
// can stop *inside* an instruction boundary (the main thread blocked, the CPU's
// state exactly as execution left it) and still talk to GDB: the worker owns
// the socket; the main thread waits on a shared counter (Atomics.wait) and
// takes the worker's messages synchronously (receiveMessageOnPort). Sending is
// a postMessage that the worker's event loop writes to the socket.
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';

/** What the worker reports. */
export type LinkEvent =
  | { kind: 'listening'; port: number }
  | { kind: 'error'; message: string }
  | { kind: 'connect'; peer: string }
  | { kind: 'data'; bytes: Uint8Array }
  | { kind: 'close' };

// Plain JavaScript (the worker is not compiled): a TCP server for one debugger at a time.
const WORKER = `
const { workerData } = require('node:worker_threads');
const net = require('node:net');
const { port, signal, host, listenPort } = workerData;
const sig = new Int32Array(signal);
let sock = null;
function post(m) { port.postMessage(m); Atomics.add(sig, 0, 1); Atomics.notify(sig, 0); }
const server = net.createServer((s) => {
  if (sock) { s.end('$E01#a6'); return; }
  sock = s;
  s.setNoDelay(true);
  post({ kind: 'connect', peer: String(s.remoteAddress) + ':' + String(s.remotePort) });
  s.on('data', (d) => post({ kind: 'data', bytes: new Uint8Array(d) }));
  s.on('close', () => { if (sock === s) { sock = null; post({ kind: 'close' }); } });
  s.on('error', () => {});
});
server.on('error', (e) => post({ kind: 'error', message: e.message }));
server.listen(listenPort, host, () => post({ kind: 'listening', port: server.address().port }));
port.on('message', (m) => {
  if (m.kind === 'send') { if (sock) sock.write(Buffer.from(m.text, 'latin1')); }
  else if (m.kind === 'drop') { if (sock) sock.end(); }
  else if (m.kind === 'stop') { server.close(); if (sock) sock.destroy(); port.close(); }
});
`;

export class GdbLink {
  private readonly sig = new Int32Array(new SharedArrayBuffer(4));
  private readonly port: MessagePort;
  private readonly worker: Worker;
  /** The TCP port listened on (the one asked for, or the system's choice for 0). */
  readonly listenPort: number;

  /** Listens on host:port; throws when the port cannot be bound. */
  constructor(readonly host: string, port: number) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(WORKER, { eval: true, workerData: { port: port2, signal: this.sig.buffer, host, listenPort: port }, transferList: [port2] });
    this.worker.unref();
    const first = this.next(10_000);
    if (!first) { this.close(); throw new Error(`--gdb: no answer from the listener on ${host}:${port}`); }
    if (first.kind === 'error') { this.close(); throw new Error(`--gdb: cannot listen on ${host}:${port}: ${first.message}`); }
    if (first.kind !== 'listening') throw new Error(`--gdb: unexpected ${first.kind} before listening`);
    this.listenPort = first.port;
  }

  /** The next event, waiting at most `timeoutMs` (undefined when none came). */
  next(timeoutMs = Infinity): LinkEvent | undefined {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const seen = Atomics.load(this.sig, 0);
      const m = receiveMessageOnPort(this.port);
      if (m) return m.message as LinkEvent;
      const left = deadline - Date.now();
      if (left <= 0) return undefined;
      Atomics.wait(this.sig, 0, seen, left === Infinity ? undefined : left);
    }
  }

  /** An event if one is waiting, without blocking. */
  poll(): LinkEvent | undefined {
    return receiveMessageOnPort(this.port)?.message as LinkEvent | undefined;
  }

  send(text: string): void {
    this.port.postMessage({ kind: 'send', text });
  }

  /** Closes the current connection (after what was sent is flushed). */
  drop(): void {
    this.port.postMessage({ kind: 'drop' });
  }

  close(): void {
    try { this.port.postMessage({ kind: 'stop' }); } catch { /* already closed */ }
    void this.worker.terminate();
    this.port.close();
  }
}

/** `[HOST:]PORT` of --gdb; HOST defaults to localhost. */
export function parseGdbAddress(text: string): { host: string; port: number } | undefined {
  const m = /^(?:(.*):)?(\d+)$/.exec(text.trim());
  if (!m) return undefined;
  const port = Number(m[2]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) return undefined;
  const host = m[1] === undefined || m[1] === '' ? 'localhost' : m[1].replace(/^\[(.*)\]$/, '$1');
  return { host, port };
}
