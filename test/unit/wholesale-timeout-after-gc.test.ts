import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { UpstreamError } from '../../src/ports.js';
import { createWholesaleClient } from '../../src/webex/wholesale-client.js';
import { createFixedToken } from '../../src/webex/wholesale-tokens.js';

// A full garbage collection on demand, as `node --expose-gc` gives it, without restarting the worker.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const TIMEOUT_MS = 400;
/** How long a test waits for the client's own timeout before calling the call hung. */
const HUNG_AFTER_MS = 6_000;

let server: Server | undefined;
afterEach(async () => {
  const closing = server;
  server = undefined;
  if (!closing) return;
  closing.closeAllConnections();
  await new Promise((resolve) => closing.close(resolve));
});

/** A Webex that takes every request and never answers it (`answerHeaders`: sends a 200's headers, then nothing). */
async function silentWebex(answerHeaders: boolean): Promise<string> {
  server = createServer((_req, res) => {
    if (answerHeaders) {
      res.writeHead(200, { 'content-type': 'application/json', trackingid: 'TRACK-SILENT' });
      res.write('{"items": [');
    }
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
}

/** The call's outcome, with garbage collected every 50 ms while it runs: 'hung' if it outlived its timeout by far. */
async function settleWithGarbageCollected<T>(call: Promise<T>): Promise<unknown> {
  const collecting = setInterval(collectGarbage, 50);
  let deadline: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      call.then(
        () => 'answered',
        (error: unknown) => error,
      ),
      new Promise((resolve) => {
        deadline = setTimeout(() => resolve('hung'), HUNG_AFTER_MS);
      }),
    ]);
  } finally {
    clearInterval(collecting);
    clearTimeout(deadline);
  }
}

const clientOf = (apiUrl: string) =>
  createWholesaleClient({
    apiUrl,
    tokens: createFixedToken('t'),
    logger: pino({ level: 'silent' }),
    timeoutMs: TIMEOUT_MS,
    concurrency: 1,
    maxAttempts: 1,
    backoff: { baseMs: 1, capMs: 1 },
  });

describe('a Webex call that gets no answer ends at its timeout, whatever the garbage collector does meanwhile', () => {
  it('a POST Webex holds fails as unavailable and ambiguous after the timeout, not never', async () => {
    const client = clientOf(await silentWebex(false));
    const outcome = await settleWithGarbageCollected(
      client.createCustomer({
        provisioningId: 'prov-1',
        externalId: 'crm-silent',
        packages: ['webex_meetings'],
        address: { addressLine1: '1 Main St', city: 'Austin', stateOrProvince: 'TX', zipOrPostalCode: '78701', country: 'US' },
        customerInfo: { name: 'Acme', primaryEmail: 'it@silent.example' },
      }),
    );
    expect(outcome).toBeInstanceOf(UpstreamError);
    expect(outcome).toMatchObject({ kind: 'unavailable', details: { ambiguous: true } });
    expect((outcome as Error).message).toBe(`Webex Wholesale POST /wholesale/customers: no answer within ${TIMEOUT_MS} ms`);
  });

  it('an answer whose body stops half-way fails too, instead of waiting for the rest forever', async () => {
    const client = clientOf(await silentWebex(true));
    const outcome = await settleWithGarbageCollected(client.findCustomerByExternalId('crm-silent'));
    expect(outcome).not.toBe('hung');
    expect(outcome).toBeInstanceOf(Error);
  });
});
