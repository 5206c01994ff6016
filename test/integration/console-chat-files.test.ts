import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerBody, defaultTemplateId, provisionCustomer } from '../support/api-fixtures.js';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';

/** The console chat takes the files docs/operations.md ("Limits") promises (up to 2 MB), though other JSON bodies stop at 256 KiB. */
describe(`files attached in the console chat on ${testDbKind()}`, () => {
  let h: TestHarness;
  beforeAll(async () => {
    h = await createTestHarness();
    const body = customerBody(await defaultTemplateId(h), { externalId: 'big-import' });
    const parameters = (body.provisioningParameters ?? {}) as Record<string, unknown>;
    await provisionCustomer(h, { ...body, provisioningParameters: { ...parameters, packages: { limits: { webex_meetings: 20_000 } } } });
  });
  afterAll(() => h.close());

  const send = (content: string) =>
    h.call('POST', '/v1/console/messages', { text: 'import users', files: [{ name: 'users.csv', content }] });

  it('proposes an import of 10,000 users (a file of about 400 KB) sent through the console chat', async () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => `u${i}@big.example,big-import,webex_meetings,Ann,Lee${i}`);
    const content = `email,customer,package,first_name,last_name\n${rows.join('\n')}\n`;
    expect(content.length).toBeGreaterThan(256 * 1024);
    const res = await send(content);
    const body = await res.text();
    expect(res.status, body.slice(0, 300)).toBe(200);
    const replies = (JSON.parse(body) as { replies: { markdown: string }[] }).replies.map((r) => r.markdown).join('\n');
    expect(replies).toContain('Import **10,000 users** from users.csv');
  });

  it('refuses a file over 2 MB with a message that says so, and a body past the route’s own cap with 413', async () => {
    const tooBig = await send('x'.repeat(2_000_001));
    expect(tooBig.status).toBe(400);
    expect(await tooBig.text()).toMatch(/a file holds at most 2000000 bytes/);
    const huge = await send('x'.repeat(7 * 1024 * 1024));
    expect(huge.status).toBe(413);
    // Other console routes keep the 256 KiB JSON limit.
    const other = await h.call('POST', '/v1/console/customers', { name: 'x'.repeat(300 * 1024) });
    expect(other.status).toBe(413);
  });
});
