import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import { vi } from 'vitest';

/**
 * A TCP proxy on a port the OS picks, in front of a real server, that a test can cut (every
 * connection reset, new ones refused) or freeze (nothing forwarded either way, connections kept
 * open: a server that stops answering) and then restore.
 */
export interface TcpProxy {
  port: number;
  cut(): void;
  freeze(): void;
  restore(): void;
  close(): Promise<void>;
  /**
   * The local ports (PostgreSQL's `client_port`) of the proxy's connections to the server that the latest
   * freeze held and that have closed since: connections the service gave up on while the database was frozen.
   */
  heldConnectionsClosed(): number[];
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let mode: 'open' | 'cut' | 'frozen' = 'open';
  const pairs = new Set<[Socket, Socket]>();
  const held = new WeakSet<[Socket, Socket]>();
  const heldClosed: number[] = [];
  const server = createServer((client) => {
    client.on('error', () => undefined);
    if (mode === 'cut') {
      client.destroy();
      return;
    }
    const upstream = connect(target.port, target.host);
    upstream.on('error', () => undefined);
    let upstreamPort: number | undefined;
    upstream.on('connect', () => (upstreamPort = upstream.localPort));
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    client.pipe(upstream);
    upstream.pipe(client);
    if (mode === 'frozen') {
      held.add(pair);
      for (const socket of pair) socket.pause();
    }
    const drop = () => {
      if (pairs.has(pair) && held.has(pair) && upstreamPort !== undefined) heldClosed.push(upstreamPort);
      pairs.delete(pair);
      // destroy, not end: bytes a frozen proxy still holds must never reach the server late.
      client.destroy();
      upstream.destroy();
    };
    client.on('close', drop);
    upstream.on('close', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    cut() {
      mode = 'cut';
      for (const pair of pairs) for (const socket of pair) socket.destroy();
      pairs.clear();
    },
    freeze() {
      mode = 'frozen';
      heldClosed.length = 0;
      for (const pair of pairs) {
        held.add(pair);
        for (const socket of pair) socket.pause();
      }
    },
    restore() {
      mode = 'open';
      for (const pair of pairs) for (const socket of pair) socket.resume();
    },
    heldConnectionsClosed: () => [...heldClosed],
    async close() {
      for (const pair of pairs) for (const socket of pair) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Waits until the service has closed at least one connection a freeze held and PostgreSQL has ended the
 * session behind every such connection: by then whatever the freeze held back has reached the server and
 * run, or been dropped with its session (the observable end of "anything held back has had its chance").
 * `direct` is a connection that bypasses the proxy.
 */
export async function waitUntilHeldSessionsEnded(proxy: TcpProxy, direct: Kysely<Database>, timeoutMs = 15_000): Promise<void> {
  await vi.waitFor(
    async () => {
      const ports = proxy.heldConnectionsClosed();
      if (ports.length === 0) throw new Error('no connection the freeze held has been closed by the service');
      const open = await sql<{ n: number }>`
        select count(*)::int as n from pg_stat_activity where datname = current_database() and client_port = any(${ports}::int[])`.execute(
        direct,
      );
      if (open.rows[0]!.n > 0) throw new Error(`${open.rows[0]!.n} server sessions of connections the freeze held are still open`);
    },
    { timeout: timeoutMs, interval: 50 },
  );
}
