import { connect, createServer, type AddressInfo, type Socket } from 'node:net';

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
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let mode: 'open' | 'cut' | 'frozen' = 'open';
  const pairs = new Set<[Socket, Socket]>();
  const server = createServer((client) => {
    client.on('error', () => undefined);
    if (mode === 'cut') {
      client.destroy();
      return;
    }
    const upstream = connect(target.port, target.host);
    upstream.on('error', () => undefined);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    client.pipe(upstream);
    upstream.pipe(client);
    if (mode === 'frozen') for (const socket of pair) socket.pause();
    const drop = () => {
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
      for (const pair of pairs) for (const socket of pair) socket.pause();
    },
    restore() {
      mode = 'open';
      for (const pair of pairs) for (const socket of pair) socket.resume();
    },
    async close() {
      for (const pair of pairs) for (const socket of pair) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
