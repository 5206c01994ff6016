import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCommand } from '../../src/cli/run-cli-command.js';
import { signDownload } from '../../src/platform/download-signature.js';
import { nodeIds } from '../../src/platform/node-ids.js';
import { createSecretBox, SecretsKeyError } from '../../src/platform/secret-box.js';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';

const KEY_1 = randomBytes(32).toString('base64');
const KEY_2 = randomBytes(32).toString('hex');

/** Download-link signing keys: sealed under SECRETS_KEY, rotated by the CLI, re-encrypted on a key change. */
describe(`download-link keys at rest and rotated on ${testDbKind()}`, () => {
  let h: TestHarness;
  let reportId: string;

  const secrets = () => h.db.selectFrom('app_secrets').select(['name', 'value', 'retire_after']).orderBy('name').execute();
  const link = async (): Promise<URL> => {
    const report = await (await h.call('GET', `/v1/wholesale/billing/reports/${reportId}`)).json();
    return new URL(report.tempDownloadURL);
  };
  const download = (u: URL) => h.call('GET', `${u.pathname}${u.search}`, undefined, { token: null });
  const cli = (args: string[], box = h.box) => runCliCommand(h.useCases, args, {}, { clock: h.clock, ids: nodeIds, box });

  beforeAll(async () => {
    h = await createTestHarness({ start: '2026-06-15T12:00:00Z', env: { SECRETS_KEY: KEY_1 } });
    const res = await h.call('POST', '/v1/wholesale/billing/reports', { billingStartDate: '2026-05-01', billingEndDate: '2026-05-31' });
    expect(res.status, await res.clone().text()).toBe(200);
    reportId = (await res.json()).id;
    await h.worker.drain();
  });
  afterAll(() => h?.close());

  it('stores the signing key encrypted: the stored value never contains the key', async () => {
    const rows = await secrets();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.value).toMatch(/^enc:v1:/);
    expect(rows[0]?.value).not.toContain(h.downloadSecret);
    expect(h.box.open(rows[0]?.value ?? '')).toBe(h.downloadSecret);
  });

  it('after `secrets rotate` new links use the new key, and links signed before stay valid until they expire', async () => {
    const before = await link();
    expect((await download(before)).status).toBe(200);
    const rotated = await cli(['secrets', 'rotate']);
    expect(rotated.exitCode, rotated.output).toBe(0);
    const rows = await secrets();
    expect(rows).toHaveLength(2);
    const current = rows.find((r) => r.name === 'download_url');
    const newKey = h.box.open(current?.value ?? '');
    expect(newKey).not.toBe(h.downloadSecret);
    for (const row of rows) expect(row.value).not.toContain(h.box.open(row.value));

    h.clock.advance(31_000); // every instance re-reads the keys within 30 s
    const after = await link();
    const expires = Number(after.searchParams.get('expires'));
    expect(after.searchParams.get('signature')).toBe(signDownload(newKey, reportId, expires));
    expect(after.searchParams.get('signature')).not.toBe(signDownload(h.downloadSecret, reportId, expires));
    expect((await download(after)).status).toBe(200);
    expect((await download(before)).status).toBe(200);

    h.clock.advance(28 * 60_000); // 28.5 minutes after `before` was handed out
    expect((await download(before)).status).toBe(200);
    h.clock.advance(2 * 60_000);
    expect((await download(before)).status).toBe(403);
    // Once retired, the old key signs nothing that is accepted, even a link within its lifetime.
    h.clock.advance(60_000);
    const now = Math.floor(h.clock.now().getTime() / 1000);
    const oldKeyLink = new URL(
      `http://desk.test/v1/downloads/billing-reports/${reportId}?expires=${now + 600}&signature=${signDownload(h.downloadSecret, reportId, now + 600)}`,
    );
    const refused = await download(oldKeyLink);
    expect(refused.status).toBe(403);
    expect((await refused.json()).errors[0].errorCode).toBe(2026);
    expect((await download(await link())).status).toBe(200);
  });

  it('`secrets reencrypt` moves every stored secret to a new SECRETS_KEY, opening them with SECRETS_KEY_PREVIOUS', async () => {
    await cli(['secrets', 'rotate']); // two rows: the current key and a retired one
    const plain = (await secrets()).map((r) => h.box.open(r.value));
    const onlyNew = createSecretBox({ current: KEY_2 });
    const sealedUnderOld = (await secrets())[0]?.value ?? '';
    expect(() => onlyNew.open(sealedUnderOld)).toThrow(SecretsKeyError);

    const done = await cli(['secrets', 'reencrypt'], createSecretBox({ current: KEY_2, previous: KEY_1 }));
    expect(done.exitCode, done.output).toBe(0);
    expect(done.output).toContain('2 of 2');
    const rows = await secrets();
    expect(rows.map((r) => onlyNew.open(r.value))).toEqual(plain);
    for (const row of rows) expect(onlyNew.isCurrent(row.value)).toBe(true);
    try {
      createSecretBox({ current: KEY_1 }).open(rows[0]?.value ?? '');
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toContain('SECRETS_KEY');
      expect((error as Error).message).not.toContain(KEY_1);
    }
    expect((await cli(['secrets', 'reencrypt'], createSecretBox({}))).exitCode).toBe(1);
  });
});
