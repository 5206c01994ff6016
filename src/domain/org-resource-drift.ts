import type { DriftFinding } from './upstream-drift.js';

/*
 * Drift of what the desk carries to a customer's org beside the Wholesale API (#25): its locations and
 * workspaces against Webex's (`/locations?orgId=…`, `/workspaces?orgId=…`). Pure. Matched by Webex's id
 * where the desk holds it, else by name (case-insensitive). Anything a task is carrying (provisioning,
 * deleting) or that Webex refused before holding it (error) is left out. The subject is the customer's
 * externalId and the name (`crm-1/lobby`), so a difference stays one item across runs.
 */

export interface DeskOrgItem {
  id: string;
  name: string;
  webexId: string | null;
  status: string;
}

export interface WebexOrgItem {
  id: string;
  name: string;
}

export interface OrgResourcesOfCustomer {
  customerExternalId: string;
  webexCustomerId: string;
  desk: { locations: DeskOrgItem[]; workspaces: DeskOrgItem[] };
  webex: { locations: WebexOrgItem[]; workspaces: WebexOrgItem[] };
}

const SETTLED = new Set(['provisioned']);
const PACKAGES = { location: [] as string[], workspace: ['common_area_calling'] };

export function planOrgResourceDrift(customers: readonly OrgResourcesOfCustomer[]): DriftFinding[] {
  const findings: DriftFinding[] = [];
  for (const c of customers) {
    for (const entityType of ['location', 'workspace'] as const) {
      const desk = entityType === 'location' ? c.desk.locations : c.desk.workspaces;
      const webex = entityType === 'location' ? c.webex.locations : c.webex.workspaces;
      const webexById = new Map(webex.map((w) => [w.id, w]));
      const webexByName = new Map(webex.map((w) => [w.name.toLowerCase(), w]));
      const matched = new Set<string>();
      const deskNames = new Set<string>();
      for (const d of desk) {
        deskNames.add(d.name.toLowerCase());
        const w = (d.webexId ? webexById.get(d.webexId) : undefined) ?? webexByName.get(d.name.toLowerCase());
        if (w) matched.add(w.id);
        if (w || !SETTLED.has(d.status)) continue;
        findings.push(finding(entityType, 'only_desk', c, d.name, d, undefined));
      }
      for (const w of webex)
        if (!matched.has(w.id) && !deskNames.has(w.name.toLowerCase()))
          findings.push(finding(entityType, 'only_webex', c, w.name, undefined, w));
    }
  }
  return findings;
}

function finding(
  entityType: 'location' | 'workspace',
  kind: 'only_desk' | 'only_webex',
  c: OrgResourcesOfCustomer,
  name: string,
  d: DeskOrgItem | undefined,
  w: WebexOrgItem | undefined,
): DriftFinding {
  return {
    entityType,
    kind,
    subject: `${c.customerExternalId}/${name.toLowerCase()}`,
    customerExternalId: c.customerExternalId,
    deskId: d?.id ?? null,
    webexId: w?.id ?? d?.webexId ?? null,
    webexCustomerId: c.webexCustomerId,
    desk: d ? { status: d.status, packages: PACKAGES[entityType] } : null,
    webex: w ? { status: 'provisioned', packages: PACKAGES[entityType] } : null,
  };
}
