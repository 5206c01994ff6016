import { randomUUID } from 'node:crypto';
import type { Context, Env, Hono } from 'hono';
import { toWebexId } from '../../src/domain/webex-ids.js';
import type { FakeCustomer } from './fake-webex-wholesale.js';

/**
 * The part of Webex a partner administrator uses on a customer's org beside the Wholesale API, as the
 * fake plays it: `/locations?orgId=…`, `/workspaces` (with `orgId`, `calling.type = webexCalling`) and
 * `/organizations/{orgId}`. Mounted by the fake Webex Wholesale (fake-webex-wholesale.ts), which checks
 * every exchange on these paths against Cisco's document for them
 * (test/fixtures/webex-locations-workspaces.openapi.json).
 *
 * An org is a provisioned customer's `orgId`. Its headquarters location is the one the customer was
 * provisioned with (`provisioningParameters.calling.location`), created when the customer settles.
 * A Webex Calling workspace needs the customer to hold `common_area_calling`, a location of the org,
 * and a phone number or an extension free among the org's workspaces.
 */

export interface FakeLocation {
  id: string;
  orgId: string;
  name: string;
  timeZone: string;
  preferredLanguage: string;
  announcementLanguage: string;
  address: { address1: string; address2?: string; city: string; state: string; postalCode: string; country: string };
  created: string;
}

export interface FakeWorkspace {
  id: string;
  orgId: string;
  displayName: string;
  locationId?: string;
  calling: { type: string; webexCalling?: { phoneNumber?: string; extension?: string; locationId?: string } };
  created: string;
}

export interface OrgResourcesContext {
  customers: Map<string, FakeCustomer>;
  fail(c: Context, status: number, errorCode: number, description: string): Response;
  body(c: Context): Record<string, unknown>;
  now(): Date;
}

export interface FakeOrgResources {
  locations: Map<string, FakeLocation>;
  workspaces: Map<string, FakeWorkspace>;
  /** Creates the org's headquarters location from the customer's provisioning request (on settling). */
  onCustomerProvisioned(customer: FakeCustomer): void;
  /** Whether a path below the API base is one of these resources (validated against their document). */
  isOrgResourcePath(path: string): boolean;
  register<E extends Env>(app: Hono<E>, api: string): void;
}

/** A Webex id of a kind the desk has no use for (base64url of `ciscospark://us/KIND/id`). */
const ciscoId = (kind: string, id: string) => Buffer.from(`ciscospark://us/${kind}/${id}`).toString('base64url');

const ACTIVE = ['provisioned', 'provisioned_with_errors', 'updating'];

export function createFakeOrgResources(ctx: OrgResourcesContext): FakeOrgResources {
  const locations = new Map<string, FakeLocation>();
  const workspaces = new Map<string, FakeWorkspace>();
  const { fail } = ctx;

  const orgCustomer = (orgId: string | undefined) => {
    if (!orgId) return undefined;
    for (const c of ctx.customers.values()) if (c.orgId === orgId && ACTIVE.includes(c.status)) return c;
    return undefined;
  };

  // Cisco's `Location` schema (the answer of GET /locations and /locations/{id}) names the location
  // `displayName` and gives the address as one line with `countryCode`, `latitude` and `longitude`.
  const locationView = (l: FakeLocation) => ({
    id: l.id,
    locationId: l.id,
    displayName: l.name,
    name: l.name,
    orgId: l.orgId,
    address: [l.address.address1, l.address.address2, l.address.city, l.address.state, l.address.postalCode].filter(Boolean).join(', '),
    countryCode: l.address.country,
    cityName: l.address.city,
    latitude: 0,
    longitude: 0,
    timeZone: l.timeZone,
    preferredLanguage: l.preferredLanguage,
  });
  const workspaceView = (w: FakeWorkspace) => ({
    id: w.id,
    orgId: w.orgId,
    ...(w.locationId ? { locationId: w.locationId } : {}),
    displayName: w.displayName,
    type: 'notSet',
    created: w.created,
    calling: {
      type: w.calling.type,
      ...(w.calling.type === 'webexCalling'
        ? { webexCalling: { licenses: [ciscoId('LICENSE', `common-area-calling-${w.orgId.slice(-12)}`)] } }
        : {}),
    },
    // Not in Cisco's `Workspace` schema, which leaves them out; the fake answers them so a test can see them.
    ...(w.calling.webexCalling?.extension ? { extension: w.calling.webexCalling.extension } : {}),
    ...(w.calling.webexCalling?.phoneNumber ? { phoneNumber: w.calling.webexCalling.phoneNumber } : {}),
  });

  const take = (c: Context, items: unknown[], defaultMax: number) => {
    const max = Math.max(1, Number(c.req.query('max') ?? defaultMax) || defaultMax);
    const start = Number(c.req.query('start') ?? 0) || 0;
    return c.json({ items: items.slice(start, start + max) }, 200);
  };

  function onCustomerProvisioned(customer: FakeCustomer): void {
    const loc = customer.callingLocation;
    if (!customer.orgId || !loc) return;
    if ([...locations.values()].some((l) => l.orgId === customer.orgId && l.name.toLowerCase() === loc.name.toLowerCase())) return;
    const a = loc.address;
    const l: FakeLocation = {
      id: toWebexId('LOCATION', randomUUID()),
      orgId: customer.orgId,
      name: loc.name,
      timeZone: loc.timezone,
      preferredLanguage: (loc.language ?? 'en_us').toLowerCase(),
      announcementLanguage: (loc.language ?? 'en_us').toLowerCase(),
      address: {
        address1: a.addressLine1 ?? '',
        ...(a.addressLine2 ? { address2: a.addressLine2 } : {}),
        city: a.city ?? '',
        state: a.stateOrProvince ?? '',
        postalCode: a.zipOrPostalCode ?? '',
        country: a.country ?? '',
      },
      created: ctx.now().toISOString(),
    };
    locations.set(l.id, l);
  }

  function register<E extends Env>(app: Hono<E>, api: string): void {
    app.get(`${api}/organizations/:orgId`, (c) => {
      const cust = orgCustomer(c.req.param('orgId'));
      if (!cust?.orgId) return fail(c, 404, 404, 'Organization not found.');
      return c.json(
        {
          id: cust.orgId,
          displayName: cust.customerInfo?.name ?? `Customer ${cust.externalId}`,
          created: cust.createdAt ?? ctx.now().toISOString(),
        },
        200,
      );
    });

    app.get(`${api}/locations`, (c) => {
      const q = c.req.query();
      if (!orgCustomer(q.orgId)) return fail(c, 404, 404, 'Organization not found.');
      const items = [...locations.values()]
        .filter((l) => l.orgId === q.orgId)
        .filter((l) => !q.name || l.name.toLowerCase().includes(q.name.toLowerCase()))
        .filter((l) => !q.id || l.id === q.id)
        .map(locationView);
      return take(c, items, 500);
    });

    app.post(`${api}/locations`, (c) => {
      const orgId = c.req.query('orgId');
      const cust = orgCustomer(orgId);
      if (!orgId || !cust) return fail(c, 404, 404, 'Organization not found.');
      const b = ctx.body(c);
      const name = String(b.name ?? '').trim();
      if (!name || name.length > 80) return fail(c, 400, 4003, 'name is required and, for a calling location, at most 80 characters.');
      if ([...locations.values()].some((l) => l.orgId === orgId && l.name.toLowerCase() === name.toLowerCase()))
        return fail(c, 409, 4008, `A location named ${name} already exists.`);
      const l: FakeLocation = {
        id: toWebexId('LOCATION', randomUUID()),
        orgId,
        name,
        timeZone: String(b.timeZone),
        preferredLanguage: String(b.preferredLanguage),
        announcementLanguage: String(b.announcementLanguage),
        address: b.address as FakeLocation['address'],
        created: ctx.now().toISOString(),
      };
      locations.set(l.id, l);
      return c.json({ id: l.id }, 201);
    });

    app.get(`${api}/locations/:locationId`, (c) => {
      const l = locations.get(c.req.param('locationId'));
      const orgId = c.req.query('orgId');
      if (!l || (orgId && l.orgId !== orgId)) return fail(c, 404, 404, 'Location not found.');
      return c.json(locationView(l), 200);
    });

    app.delete(`${api}/locations/:locationId`, (c) => {
      const l = locations.get(c.req.param('locationId'));
      if (!l) return fail(c, 404, 404, 'Location not found.');
      if ([...workspaces.values()].some((w) => w.locationId === l.id))
        return fail(c, 409, 4009, 'The location still has workspaces; remove them first.');
      locations.delete(l.id);
      return c.body(null, 204);
    });

    app.get(`${api}/workspaces`, (c) => {
      const q = c.req.query();
      if (!orgCustomer(q.orgId)) return fail(c, 404, 404, 'Organization not found.');
      const items = [...workspaces.values()]
        .filter((w) => w.orgId === q.orgId)
        .filter((w) => !q.displayName || w.displayName === q.displayName)
        .filter((w) => !q.locationId || w.locationId === q.locationId)
        .map(workspaceView);
      return take(c, items, 100);
    });

    app.post(`${api}/workspaces`, (c) => {
      const b = ctx.body(c);
      const orgId = typeof b.orgId === 'string' ? b.orgId : undefined;
      const cust = orgCustomer(orgId);
      if (!orgId || !cust) return fail(c, 404, 404, 'Organization not found.');
      const displayName = String(b.displayName ?? '').trim();
      if (!displayName) return fail(c, 400, 4003, 'displayName is required.');
      if ([...workspaces.values()].some((w) => w.orgId === orgId && w.displayName.toLowerCase() === displayName.toLowerCase()))
        return fail(c, 409, 4008, `A workspace named ${displayName} already exists.`);
      const calling = (b.calling ?? { type: 'freeCalling' }) as FakeWorkspace['calling'];
      if (calling.type === 'webexCalling') {
        const wc = calling.webexCalling ?? {};
        if (!cust.packages.includes('common_area_calling'))
          return fail(c, 400, 4010, 'The organization has no Common Area Calling license for a Webex Calling workspace.');
        const location = wc.locationId ? locations.get(wc.locationId) : undefined;
        if (!location || location.orgId !== orgId)
          return fail(c, 400, 4011, 'calling.webexCalling.locationId must be a location of the organization.');
        if (!wc.extension && !wc.phoneNumber)
          return fail(c, 400, 4012, 'A Webex Calling workspace needs a phoneNumber, an extension or both.');
        const clash = [...workspaces.values()].find(
          (w) =>
            w.orgId === orgId &&
            ((wc.extension && w.calling.webexCalling?.extension === wc.extension) ||
              (wc.phoneNumber && w.calling.webexCalling?.phoneNumber === wc.phoneNumber)),
        );
        if (clash) return fail(c, 409, 4013, 'The extension or phone number is already in use in the organization.');
      }
      const w: FakeWorkspace = {
        id: ciscoId('PLACES', randomUUID()),
        orgId,
        displayName,
        ...(typeof b.locationId === 'string'
          ? { locationId: b.locationId }
          : calling.webexCalling?.locationId
            ? { locationId: calling.webexCalling.locationId }
            : {}),
        calling,
        created: ctx.now().toISOString(),
      };
      workspaces.set(w.id, w);
      return c.json(workspaceView(w), 201);
    });

    app.get(`${api}/workspaces/:workspaceId`, (c) => {
      const w = workspaces.get(c.req.param('workspaceId'));
      return w ? c.json(workspaceView(w), 200) : fail(c, 404, 404, 'Workspace not found.');
    });

    app.delete(`${api}/workspaces/:workspaceId`, (c) => {
      const w = workspaces.get(c.req.param('workspaceId'));
      if (!w) return fail(c, 404, 404, 'Workspace not found.');
      workspaces.delete(w.id);
      return c.body(null, 204);
    });
  }

  return {
    locations,
    workspaces,
    onCustomerProvisioned,
    isOrgResourcePath: (path) => /^\/(locations|workspaces|organizations)(\/|$)/.test(path),
    register,
  };
}
