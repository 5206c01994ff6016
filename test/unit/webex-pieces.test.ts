import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { keepWebexStarted } from '../../src/webex/keep-webex-started.js';
import { createKeyedQueue } from '../../src/webex/keyed-queue.js';
import { createSendQueue } from '../../src/webex/send-queue.js';
import { createWebexClient } from '../../src/webex/webex-client.js';
import { stripBotMention } from '../../src/webex/strip-bot-mention.js';
import { startFakeWebex, type FakeWebex } from '../support/fake-webex.js';

const log = pino({ level: 'silent' });

describe('which Webex transport the configuration selects', () => {
  it.each([
    [{}, 'off'],
    [{ WEBEX_BOT_TOKEN: 'bot-token-0123456789abcdef' }, 'websocket'],
    [
      { WEBEX_BOT_TOKEN: 'bot-token-0123456789abcdef', PUBLIC_URL: 'https://desk.example', WEBEX_WEBHOOK_SECRET: 'secret-0123456789abc' },
      'webhook',
    ],
    [{ PUBLIC_URL: 'https://desk.example' }, 'off'],
  ])('%j → %s', (env, mode) => {
    expect(loadConfig(env).WEBEX_MODE).toBe(mode);
  });

  it('refuses webhook mode without a secret, and a token with spaces', () => {
    expect(() => loadConfig({ WEBEX_BOT_TOKEN: 'bot-token-0123456789abcdef', PUBLIC_URL: 'https://desk.example' })).toThrow(
      /WEBEX_WEBHOOK_SECRET: required when PUBLIC_URL and WEBEX_BOT_TOKEN are set/,
    );
    expect(() => loadConfig({ WEBEX_BOT_TOKEN: 'bot token with spaces 0123' })).toThrow(/WEBEX_BOT_TOKEN: must not contain spaces/);
    expect(() => loadConfig({ HYDRA_SERVICE_URL: 'ftp://x' })).toThrow(/HYDRA_SERVICE_URL/);
  });
});

describe('stripping the bot mention from a group message', () => {
  it.each([
    [
      'Desk status acme',
      '<p><spark-mention data-object-type="person" data-object-id="BOT1">Desk</spark-mention> status acme</p>',
      'status acme',
    ],
    [
      'Wholesale status acme',
      '<p><spark-mention data-object-type="person" data-object-id="BOT1">Wholesale</spark-mention> status acme</p>',
      'status acme',
    ],
    ['Desk Bot help', undefined, 'help'],
    ['desk help', undefined, 'help'],
    ['help', undefined, 'help'],
    ['Deskhelp', undefined, 'help'],
  ])('%s → %s', (text, html, expected) => {
    expect(stripBotMention(text, html, 'BOT1', 'Desk Bot')).toBe(expected);
  });
});

describe('the per-space send queue against the Webex REST API', () => {
  let webex: FakeWebex;
  beforeAll(async () => {
    webex = await startFakeWebex();
  });
  afterAll(() => webex.close());

  it('waits Retry-After on 429, then sends the same message, keeping the order', async () => {
    const room = webex.addRoom('direct', 'A');
    const waits: number[] = [];
    const queue = createSendQueue(
      createWebexClient({ baseUrl: webex.apiUrl, token: 'fake-bot-token-0123456789' }),
      log,
      async (ms) => void waits.push(ms),
    );
    const before = webex.posted.length;
    webex.rateLimitNext(2, 7);
    await queue.send(room.id, [{ markdown: 'one' }, { markdown: 'two' }]);
    expect(waits).toEqual([7_000, 7_000]);
    expect(webex.posted.slice(before).map((p) => p.markdown)).toEqual(['one', 'two']);
  });

  it('holds only the rate-limited space; others carry on', async () => {
    const a = webex.addRoom('direct', 'A2');
    const b = webex.addRoom('direct', 'B2');
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let holding = false;
    const queue = createSendQueue(createWebexClient({ baseUrl: webex.apiUrl, token: 'fake-bot-token-0123456789' }), log, () => {
      holding = true;
      return held;
    });
    const before = webex.posted.length;
    webex.rateLimitNext(1, 30);
    const sendA = queue.send(a.id, [{ markdown: 'to A' }]);
    await vi.waitFor(() => expect(holding).toBe(true)); // A got its 429 and waits out Retry-After
    await queue.send(b.id, [{ markdown: 'to B' }]);
    expect(webex.posted.slice(before).map((p) => p.markdown)).toEqual(['to B']);
    release();
    await sendA;
    await queue.idle();
    expect(webex.posted.slice(before).map((p) => p.markdown)).toEqual(['to B', 'to A']);
  });

  it('sends files as multipart, and never sends the token to another origin', async () => {
    const room = webex.addRoom('direct', 'Files');
    const client = createWebexClient({ baseUrl: webex.apiUrl, token: 'fake-bot-token-0123456789' });
    await client.createMessage(room.id, {
      markdown: '📎 r.csv',
      files: [{ name: 'r.csv', contentType: 'text/csv', content: 'A,B\n1,2\n' }],
    });
    expect(webex.posted.at(-1)!.file).toMatchObject({ name: 'r.csv', contentType: 'text/csv', content: 'A,B\n1,2\n' });
    await expect(client.downloadFile('http://attacker.example/v1/contents/1')).rejects.toThrow(/refusing to send the bot token/);
    await expect(client.createMessage('no-such-room', { markdown: 'x' })).rejects.toThrow(/404.*Could not find a room/);
  });
});

describe('the per-space order of work', () => {
  it("runs one key's tasks in the order given, other keys beside them, and goes on after a failure", async () => {
    const queue = createKeyedQueue();
    const done: string[] = [];
    const task =
      (name: string, ms: number, fail = false) =>
      async () => {
        await new Promise((r) => setTimeout(r, ms));
        done.push(name);
        if (fail) throw new Error(name);
      };
    const runs = [
      queue.run('a', task('a1', 30)),
      queue.run('a', task('a2', 1, true)),
      queue.run('b', task('b1', 5)),
      queue.run('a', task('a3', 1)),
    ];
    const results = await Promise.allSettled(runs);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(done).toEqual(['b1', 'a1', 'a2', 'a3']);
    await queue.idle();
  });
});

describe('keeping the Webex bot started', () => {
  const timings = { retryMs: 5, slowWarnMs: 20, abandonAfterMs: 30 };

  function capturingLogger() {
    const lines: { level: number; msg: string }[] = [];
    return { lines, logger: pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) }) };
  }

  /** A transport whose start attempts settle the way the test says, one outcome per attempt. */
  function scriptedWebex(outcomes: ('refuse' | 'start' | 'hang')[]) {
    const calls = { start: 0, stop: 0 };
    const hung: { resolve: () => void }[] = [];
    return {
      calls,
      hung,
      start() {
        const outcome = outcomes[Math.min(calls.start++, outcomes.length - 1)];
        if (outcome === 'refuse') return Promise.reject(new Error('401 Unauthorized'));
        if (outcome === 'start') return Promise.resolve();
        return new Promise<void>((resolve) => hung.push({ resolve }));
      },
      async stop() {
        calls.stop++;
      },
    };
  }

  it('retries a refused start until Webex accepts it, logging each refusal', async () => {
    const { lines, logger } = capturingLogger();
    const webex = scriptedWebex(['refuse', 'refuse', 'start']);
    const starter = keepWebexStarted(webex, logger, timings);
    await vi.waitFor(() => expect(webex.calls.start).toBe(3));
    await starter.cancel();
    expect(lines.filter((l) => l.msg.startsWith('webex bot did not start; retrying'))).toHaveLength(2);
    expect(webex.calls.stop).toBe(0);
  });

  it('stops retrying once cancelled, and a refusal that lands after cancel is not logged', async () => {
    // On a fake clock: "no more attempts" is checked after ten retry periods have passed, not slept for.
    vi.useFakeTimers();
    try {
      const { lines, logger } = capturingLogger();
      const webex = scriptedWebex(['refuse']);
      const starter = keepWebexStarted(webex, logger, timings);
      await vi.advanceTimersByTimeAsync(timings.retryMs * 2);
      expect(webex.calls.start).toBeGreaterThanOrEqual(2);
      await starter.cancel();
      const attempts = webex.calls.start;
      const refusals = lines.length;
      await vi.advanceTimersByTimeAsync(timings.retryMs * 10);
      expect(webex.calls.start).toBe(attempts);
      expect(lines).toHaveLength(refusals);
    } finally {
      vi.useRealTimers();
    }
  });

  it('warns while a start goes unanswered, abandons it at shutdown, and stops it if it starts later', async () => {
    const { lines, logger } = capturingLogger();
    const webex = scriptedWebex(['hang']);
    const starter = keepWebexStarted(webex, logger, timings);
    await vi.waitFor(() =>
      expect(lines.map((l) => l.msg)).toContain(
        'webex bot is still waiting for Webex to answer (check network access to HYDRA_SERVICE_URL)',
      ),
    );
    expect(webex.calls.start).toBe(1);
    await starter.cancel();
    expect(lines.at(-1)).toMatchObject({ level: 40, msg: 'webex bot start still waiting for Webex at shutdown; abandoning it' });
    expect(webex.calls.stop).toBe(0);
    webex.hung[0]!.resolve();
    await vi.waitFor(() => expect(webex.calls.stop).toBe(1));
    expect(webex.calls.start).toBe(1);
  });

  it('waits for an attempt that settles before the abandon limit', async () => {
    const { lines, logger } = capturingLogger();
    const webex = scriptedWebex(['hang']);
    const starter = keepWebexStarted(webex, logger, { ...timings, abandonAfterMs: 60_000 });
    setTimeout(() => webex.hung[0]!.resolve(), 10);
    await starter.cancel();
    expect(webex.calls.stop).toBe(1);
    expect(lines.map((l) => l.msg)).not.toContain('webex bot start still waiting for Webex at shutdown; abandoning it');
  });
});
