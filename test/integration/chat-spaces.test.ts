import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatActorRefusal } from '../../src/bot/replies.js';
import { identifyChatActor } from '../../src/use-cases/chat-actors.js';
import { insertPartner, setPartnerState } from '../../src/db/repositories/partners.js';
import { upsertStaff } from '../../src/db/repositories/staff.js';
import { nodeIds } from '../../src/platform/node-ids.js';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';

describe(`chat spaces belong to a partner on ${testDbKind()}`, () => {
  let h: TestHarness;
  /** The actor, or the reply the transport sends the person refused. */
  const resolve = async (email: string, spaceId: string) => {
    const r = await identifyChatActor(h.db, { email, spaceId, title: 'room', now: h.clock.now() });
    return r.ok ? { ok: true, actor: r.value } : { ok: false, refusal: chatActorRefusal(r.problems[0]!, email.trim().toLowerCase()) };
  };

  beforeAll(async () => {
    h = await createTestHarness();
    await insertPartner(h.db, { id: 'sub-1', orgId: 'ORG-SUB-1', name: 'Reseller One', parentId: h.partnerId, createdAt: h.clock.now() });
    await upsertStaff(h.db, { id: nodeIds.uuid(), partnerId: h.partnerId, email: 'ops@partner.example', role: 'operator' });
    await upsertStaff(h.db, { id: nodeIds.uuid(), partnerId: 'sub-1', email: 'ann@reseller.example', role: 'admin' });
  });
  afterAll(() => h.close());

  it("binds a space to the first staff member's partner and refuses another partner's staff there", async () => {
    const first = await resolve('OPS@partner.example', 'room-1');
    expect(first).toMatchObject({
      ok: true,
      actor: { label: 'staff:ops@partner.example', role: 'operator', partner: { id: h.partnerId } },
    });
    expect(await resolve('ann@reseller.example', 'room-1')).toMatchObject({
      ok: false,
      refusal: expect.stringContaining('belongs to another partner'),
    });
    expect(await resolve('ann@reseller.example', 'room-2')).toMatchObject({ ok: true, actor: { role: 'admin', partner: { id: 'sub-1' } } });
    expect(await resolve('nobody@else.example', 'room-1')).toMatchObject({
      ok: false,
      refusal: expect.stringContaining('staff add nobody@else.example'),
    });
    const spaces = await h.db.selectFrom('bot_spaces').select(['space_id', 'partner_id', 'bound_by']).orderBy('space_id').execute();
    expect(spaces).toEqual([
      { space_id: 'room-1', partner_id: h.partnerId, bound_by: 'staff:ops@partner.example' },
      { space_id: 'room-2', partner_id: 'sub-1', bound_by: 'staff:ann@reseller.example' },
    ]);
  });

  it('refuses the staff of a suspended partner', async () => {
    await setPartnerState(h.db, 'sub-1', 'suspended');
    expect(await resolve('ann@reseller.example', 'room-2')).toMatchObject({ ok: false, refusal: expect.stringContaining('suspended') });
  });
});
