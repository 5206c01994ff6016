import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerBody, defaultTemplateId } from '../support/api-fixtures.js';
import { signInAtProvider, startLocalOidcProvider, type LocalOidcProvider } from '../support/local-oidc-provider.js';
import { MAX_SIGN_INS_PER_CLIENT } from '../../src/use-cases/console-sessions.js';
import { createTestHarness, type TestHarness } from '../support/test-app.js';
import { testDbKind } from '../support/test-db.js';

const DESK = 'http://desk.test';

const errorCodes = async (res: Response) => ((await res.json()) as { errors: { errorCode: number }[] }).errors.map((e) => e.errorCode);

describe(`console sign-in through an OpenID provider on ${testDbKind()}`, () => {
  let idp: LocalOidcProvider;
  let h: TestHarness;
  let seq = 0;

  beforeAll(async () => {
    idp = await startLocalOidcProvider({ redirectUris: [`${DESK}/auth/callback`] });
    idp.addPerson('ann', { email: 'Ann.Admin@partner.example', email_verified: true, name: 'Ann Admin' });
    idp.addPerson('vic', { email: 'vic.viewer@partner.example', email_verified: true });
    idp.addPerson('olga', { email: 'olga.operator@partner.example', email_verified: true });
    idp.addPerson('stranger', { email: 'stranger@elsewhere.example', email_verified: true });
    idp.addPerson('unverified', { email: 'ann.admin@partner.example', email_verified: false });
    idp.addPerson('silent', { email: 'ann.admin@partner.example' }); // no email_verified claim at all
    // One desk for the file (a fresh database per test would cost CI seconds each); every test signs in anew.
    // TRUST_PROXY: a test speaks as several client addresses through X-Forwarded-For.
    h = await createTestHarness({
      env: { OIDC_ISSUER: idp.issuer, OIDC_CLIENT_ID: idp.clientId, OIDC_CLIENT_SECRET: idp.clientSecret, TRUST_PROXY: 'true' },
    });
    const staff = [
      ['ann.admin@partner.example', 'admin'],
      ['vic.viewer@partner.example', 'viewer'],
      ['olga.operator@partner.example', 'operator'],
    ] as const;
    await h.db
      .insertInto('staff')
      .values(staff.map(([email, role], i) => ({ id: `staff-${i}`, partner_id: h.partnerId, email, role })))
      .execute();
  });
  afterAll(async () => {
    await h?.close();
    await idp?.close();
  });

  /** The browser's round trip: the desk's /auth/login → the provider's login and consent → the desk's callback. */
  async function signIn(login: string, returnTo?: string) {
    const start = await h.app.request(`/auth/login${returnTo ? `?returnTo=${encodeURIComponent(returnTo)}` : ''}`);
    expect(start.status).toBe(302);
    const authorization = new URL(start.headers.get('location')!);
    expect(authorization.origin).toBe(idp.issuer);
    const back = await signInAtProvider(authorization.href, login);
    const callback = await h.app.request(`${back.pathname}${back.search}`);
    return { authorization, back, callback, cookie: /^(wd_session=[^;]+)/.exec(callback.headers.get('set-cookie') ?? '')?.[1] };
  }

  const asPerson = (cookie: string, csrf?: string, extra: Record<string, string> = {}) => ({
    cookie,
    'content-type': 'application/json',
    ...(csrf ? { 'x-csrf-token': csrf } : {}),
    ...extra,
  });

  async function sessionOf(cookie: string) {
    const res = await h.app.request('/auth/session', { headers: { cookie } });
    return { status: res.status, body: (await res.json()) as Record<string, string> };
  }

  it('signs a staff member in with the authorization code and PKCE, into a Strict, HttpOnly session cookie', async () => {
    const { authorization, callback, cookie } = await signIn('ann', '/#customers');
    // The request the provider saw: code flow, PKCE S256, state and nonce, the registered redirect.
    expect(authorization.searchParams.get('response_type')).toBe('code');
    expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorization.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(authorization.searchParams.get('state')).toBeTruthy();
    expect(authorization.searchParams.get('nonce')).toBeTruthy();
    expect(authorization.searchParams.get('redirect_uri')).toBe(`${DESK}/auth/callback`);
    expect(callback.status).toBe(303);
    expect(callback.headers.get('location')).toBe('/#customers');
    const setCookie = callback.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(setCookie).toMatch(/Path=\//);
    expect(cookie).toBeDefined();
    const session = await sessionOf(cookie!);
    expect(session.status).toBe(200);
    expect(session.body).toMatchObject({ kind: 'person', email: 'ann.admin@partner.example', role: 'admin', name: 'Ann Admin' });
    expect(session.body.csrfToken).toMatch(/^[\w-]{43}$/);
    const audit = await h.db.selectFrom('audit_log').select(['actor', 'action']).where('action', '=', 'console.signed_in').execute();
    expect(audit).toContainEqual({ actor: 'staff:ann.admin@partner.example', action: 'console.signed_in' });
  });

  it('records the person, not a token, on what they change; a change needs the CSRF token and the desk’s own origin', async () => {
    const { cookie } = await signIn('ann');
    const { body: session } = await sessionOf(cookie!);
    const provisioningId = await defaultTemplateId(h);
    const body = JSON.stringify(customerBody(provisioningId, { externalId: `oidc-${++seq}` }));
    const withoutCsrf = await h.app.request('/v1/wholesale/customers', { method: 'POST', headers: asPerson(cookie!), body });
    expect(withoutCsrf.status).toBe(403);
    expect((await errorCodes(withoutCsrf))[0]).toBe(3010);
    const wrongCsrf = await h.app.request('/v1/wholesale/customers', { method: 'POST', headers: asPerson(cookie!, 'x'.repeat(43)), body });
    expect(wrongCsrf.status).toBe(403);
    const crossSite = await h.app.request('/v1/wholesale/customers', {
      method: 'POST',
      headers: asPerson(cookie!, session.csrfToken, { origin: 'https://evil.example' }),
      body,
    });
    expect(crossSite.status).toBe(403);
    const external = JSON.parse(body).externalId as string;
    expect(await h.db.selectFrom('customers').select('id').where('external_id', '=', external).execute()).toHaveLength(0);

    const created = await h.app.request('/v1/wholesale/customers', {
      method: 'POST',
      headers: asPerson(cookie!, session.csrfToken, { origin: DESK }),
      body,
    });
    expect(created.status).toBe(202);
    const audit = await h.db.selectFrom('audit_log').select('actor').where('action', '=', 'customer.create').execute();
    expect(audit).toEqual([{ actor: 'staff:ann.admin@partner.example' }]); // the only customer of this file
    // Reading needs no CSRF token: a cross-site page cannot read the answer anyway.
    expect((await h.app.request('/v1/wholesale/customers', { headers: { cookie: cookie! } })).status).toBe(200);
  });

  it('signs out: the session cookie no longer works, on any route', async () => {
    const { cookie } = await signIn('olga');
    const { body: session } = await sessionOf(cookie!);
    const out = await h.app.request('/auth/logout', { method: 'POST', headers: asPerson(cookie!, session.csrfToken) });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toMatch(/wd_session=;/);
    const after = await h.app.request('/v1/wholesale/customers', { headers: { cookie: cookie! } });
    expect(after.status).toBe(401);
    expect((await errorCodes(after))[0]).toBe(4002);
    expect((await sessionOf(cookie!)).status).toBe(401);
    const audit = await h.db.selectFrom('audit_log').select('actor').where('action', '=', 'console.signed_out').execute();
    expect(audit).toEqual([{ actor: 'staff:olga.operator@partner.example' }]);
  });

  it('ends a session after the idle limit, and at the absolute limit however busy it is', async () => {
    const idle = (await signIn('vic')).cookie!;
    h.clock.advance(29 * 60_000);
    expect((await sessionOf(idle)).status).toBe(200);
    h.clock.advance(29 * 60_000); // used 29 minutes ago: still alive
    expect((await sessionOf(idle)).status).toBe(200);
    h.clock.advance(31 * 60_000);
    const expired = await sessionOf(idle);
    expect(expired.status).toBe(401);
    expect(expired.body.message).toMatch(/without use/);

    const busy = (await signIn('vic')).cookie!;
    // Used every quarter of an hour for 11 h 45 min, then once more a millisecond before 12 h.
    for (let quarter = 0; quarter < 47; quarter++) {
      h.clock.advance(15 * 60_000);
      expect((await sessionOf(busy)).status).toBe(200);
    }
    h.clock.advance(15 * 60_000 - 1);
    expect((await sessionOf(busy)).status).toBe(200);
    h.clock.advance(1);
    const capped = await sessionOf(busy);
    expect(capped.status).toBe(401);
    expect(capped.body.message).toMatch(/time limit/);
  });

  it('gives a viewer read access only: the server refuses a write sent anyway, from the API and from chat', async () => {
    const { cookie } = await signIn('vic');
    const { body: session } = await sessionOf(cookie!);
    expect(session.role).toBe('viewer');
    expect((await h.app.request('/v1/wholesale/customers', { headers: { cookie: cookie! } })).status).toBe(200);
    const provisioningId = await defaultTemplateId(h);
    const write = await h.app.request('/v1/wholesale/customers', {
      method: 'POST',
      headers: asPerson(cookie!, session.csrfToken),
      body: JSON.stringify(customerBody(provisioningId, { externalId: 'viewer-write' })),
    });
    expect(write.status).toBe(403);
    expect((await errorCodes(write))[0]).toBe(3001);
    const chat = await h.app.request('/v1/console/messages', {
      method: 'POST',
      headers: asPerson(cookie!, session.csrfToken),
      body: JSON.stringify({ text: 'provision customer Viewer Clinic email admin@viewer.example country GB package webex_meetings' }),
    });
    expect(chat.status).toBe(200);
    const replies = ((await chat.json()) as { replies: { markdown: string }[] }).replies.map((r) => r.markdown).join('\n');
    expect(replies).toMatch(/operator|viewer|not allowed|role/i);
    expect(await h.db.selectFrom('customers').select('id').where('external_id', '=', 'viewer-write').execute()).toHaveLength(0);
    expect(await h.db.selectFrom('customers').select('id').where('name', '=', 'Viewer Clinic').execute()).toHaveLength(0);
  });

  it('refuses someone not on the staff list politely, sets no cookie, and audits the attempt', async () => {
    const { callback, cookie } = await signIn('stranger');
    expect(callback.status).toBe(403);
    expect(cookie).toBeUndefined();
    const page = await callback.text();
    expect(page).toContain('stranger@elsewhere.example is not on the staff list');
    expect(page).not.toMatch(/<script/i);
    const audit = await h.db
      .selectFrom('audit_log')
      .select(['actor', 'action', 'partner_id'])
      .where('action', '=', 'console.sign_in_refused')
      .where('actor', 'like', 'oidc:stranger%')
      .execute();
    expect(audit).toEqual([{ actor: 'oidc:stranger@elsewhere.example', action: 'console.sign_in_refused', partner_id: h.partnerId }]);
  });

  it('refuses an email the provider has not verified, though a staff member has it', async () => {
    const { callback, cookie } = await signIn('unverified');
    expect(callback.status).toBe(403);
    expect(cookie).toBeUndefined();
    expect(await callback.text()).toMatch(/not verified/);
  });

  it('refuses an email whose provider does not say it is verified (no email_verified claim)', async () => {
    const { callback, cookie } = await signIn('silent');
    expect(callback.status).toBe(403);
    expect(cookie).toBeUndefined();
    expect(await callback.text()).toMatch(/did not say that your email \(ann\.admin@partner\.example\) is verified/);
    const audit = await h.db
      .selectFrom('audit_log')
      .select('context')
      .where('action', '=', 'console.sign_in_refused')
      .where('actor', '=', 'oidc:ann.admin@partner.example')
      .execute();
    expect(audit.map((a) => (a.context as { reason: string }).reason)).toContain('email_verified_missing');
  });

  it('uses a sign-in state once: the same callback replayed opens no second session', async () => {
    const { back, cookie } = await signIn('ann');
    expect(cookie).toBeDefined();
    const sessions = async () => (await h.db.selectFrom('console_sessions').select('id_hash').execute()).length;
    const before = await sessions();
    const replay = await h.app.request(`${back.pathname}${back.search}`);
    expect(replay.status).toBe(400);
    expect(replay.headers.get('set-cookie')).toBeNull();
    expect(await sessions()).toBe(before);
  });

  it('never sends a person back to another site after sign-in', async () => {
    const { callback } = await signIn('ann', 'https://evil.example/steal');
    expect(callback.headers.get('location')).toBe('/');
    const { callback: slashes } = await signIn('ann', '//evil.example/x');
    expect(slashes.headers.get('location')).toBe('/');
    // Browsers strip a tab or line break from a URL: "/\t/evil.example" would become "//evil.example".
    for (const returnTo of ['/\t/evil.example', '/\\evil.example', '/.//evil.example']) {
      const { callback: sneaky, cookie } = await signIn('ann', returnTo);
      expect(sneaky.status, returnTo).toBe(303);
      expect(sneaky.headers.get('location'), returnTo).toBe('/');
      expect(cookie).toBeDefined();
    }
  });

  it('answers a return path with a line break by sending the person home, signed in: never a 500 or a header of the caller’s', async () => {
    for (const returnTo of ['/\n/x', '/\r\nSet-Cookie: planted=1']) {
      const { callback, cookie } = await signIn('ann', returnTo);
      expect(callback.status, JSON.stringify(returnTo)).toBe(303);
      expect(callback.headers.get('location')).toBe('/');
      expect(callback.headers.get('set-cookie')).not.toMatch(/planted/);
      expect((await sessionOf(cookie!)).status).toBe(200);
    }
    // A page of the console with characters outside ASCII comes back percent-encoded.
    const { callback } = await signIn('ann', '/#caf\u00e9');
    expect(callback.headers.get('location')).toBe('/#caf%C3%A9');
  });

  it('keeps at most a few sign-ins under way per client, dropping its oldest; another client’s are untouched', async () => {
    const from = (address: string) => ({ headers: { 'x-forwarded-for': address } });
    const pending = async () =>
      Number(
        (
          await h.db
            .selectFrom('oidc_sign_ins')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await pending();
    const other = await h.app.request('/auth/login', from('203.0.113.20'));
    expect(other.status).toBe(302);
    for (let i = 0; i < 51; i++) expect((await h.app.request('/auth/login', from('203.0.113.10'))).status).toBe(302);
    expect(await pending()).toBe(before + 1 + MAX_SIGN_INS_PER_CLIENT);
    // The other client's sign-in still finishes.
    const back = await signInAtProvider(other.headers.get('location')!, 'vic');
    const done = await h.app.request(`${back.pathname}${back.search}`, from('203.0.113.20'));
    expect(done.status).toBe(303);
    // Ten minutes on, every abandoned one is pruned by the next sign-in.
    h.clock.advance(10 * 60_000 + 1);
    await h.app.request('/auth/login', from('203.0.113.30'));
    expect(await pending()).toBe(1);
  });

  it('keeps token sign-in for automation beside per-person sign-in', async () => {
    const methods = await (await h.app.request('/auth/methods')).json();
    expect(methods).toEqual({ token: true, oidc: true });
    // No credential at all is simply signed out; a cookie that no longer opens a session is a 401.
    expect(await (await h.app.request('/auth/session')).json()).toEqual({ kind: 'none' });
    expect((await h.app.request('/auth/session', { headers: { cookie: 'wd_session=forged' } })).status).toBe(401);
    const tokenSession = await h.call('GET', '/auth/session');
    expect(tokenSession.status).toBe(200);
    // The pages name packages from the catalogue, through the session: no copy of the names in the browser code.
    expect(await tokenSession.json()).toMatchObject({
      kind: 'token',
      packages: { webex_calling: 'Webex Calling', attendant_console: 'Attendant Console' },
    });
  });
});

describe(`console sign-in with a provider that never sends email_verified on ${testDbKind()}`, () => {
  let idp: LocalOidcProvider;
  let h: TestHarness;
  beforeAll(async () => {
    idp = await startLocalOidcProvider({ redirectUris: [`${DESK}/auth/callback`] });
    idp.addPerson('silent', { email: 'sam@partner.example' });
    idp.addPerson('unverified', { email: 'sam@partner.example', email_verified: false });
    h = await createTestHarness({
      env: {
        OIDC_ISSUER: idp.issuer,
        OIDC_CLIENT_ID: idp.clientId,
        OIDC_CLIENT_SECRET: idp.clientSecret,
        OIDC_ALLOW_MISSING_EMAIL_VERIFIED: 'true',
      },
    });
    await h.db
      .insertInto('staff')
      .values({ id: 'staff-sam', partner_id: h.partnerId, email: 'sam@partner.example', role: 'viewer' })
      .execute();
  });
  afterAll(async () => {
    await h?.close();
    await idp?.close();
  });

  const callbackOf = async (login: string) => {
    const start = await h.app.request('/auth/login');
    const back = await signInAtProvider(start.headers.get('location')!, login);
    return h.app.request(`${back.pathname}${back.search}`);
  };

  it('signs in a person whose provider leaves the claim out (OIDC_ALLOW_MISSING_EMAIL_VERIFIED), still refusing an explicit false', async () => {
    const silent = await callbackOf('silent');
    expect(silent.status).toBe(303);
    expect(silent.headers.get('set-cookie')).toMatch(/wd_session=/);
    const unverified = await callbackOf('unverified');
    expect(unverified.status).toBe(403);
    expect(await unverified.text()).toMatch(/not verified/);
  });
});
