import { createServer, type IncomingMessage, type Server } from 'node:http';
import { once } from 'node:events';

export interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

export type Responder = (req: Received, n: number) => { status: number; headers?: Record<string, string>; body?: string };

/** A webhook receiver on 127.0.0.1 whose answers the test scripts. */
export async function startReceiver(
  respond: Responder,
): Promise<{ url: string; received: Received[]; setResponder(r: Responder): void; close(): Promise<void>; server: Server }> {
  const received: Received[] = [];
  let responder = respond;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const r = { headers: req.headers, body };
      received.push(r);
      const answer = responder(r, received.length);
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body ?? '');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    server,
    setResponder: (r) => (responder = r),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
