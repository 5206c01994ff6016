import type { z } from 'zod';
import {
  webexCreatedIdSchema,
  webexLocationListSchema,
  webexOrganizationSchema,
  webexWorkspaceListSchema,
  webexWorkspaceSchema,
} from '../contracts/webex-org-resources.js';
import type { UpstreamError, WebexWholesalePort } from '../ports.js';

/** What the Wholesale client lends these calls: its sending (token, timeout, retries, pacing, circuit) and its reading of answers. */
export interface OrgResourceCallDeps {
  base: string;
  send(request: Request): Promise<Response>;
  failure(response: Response, errorBody: unknown, what: string, ambiguous?: boolean): UpstreamError;
  check<T>(schema: z.ZodType<T>, data: unknown, response: Response, what: string): T;
}

type OrgResourceCalls = Pick<
  WebexWholesalePort,
  | 'getOrganization'
  | 'listLocations'
  | 'findLocationByName'
  | 'createLocation'
  | 'listWorkspaces'
  | 'findWorkspaceByName'
  | 'createWorkspace'
  | 'getWorkspace'
  | 'deleteWorkspace'
>;

/**
 * `/organizations`, `/locations` and `/workspaces` on a customer's org, sent through the Wholesale
 * client's machinery so they share its token, limits and circuit. Only query parameters Cisco's
 * document declares are sent; a POST is never repeated by the client (the task looks the name up first).
 */
export function createOrgResourceCalls(deps: OrgResourceCallDeps): OrgResourceCalls {
  async function call(method: string, path: string, query: Record<string, string>, body?: unknown) {
    const url = new URL(`${deps.base}${path}`);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    const response = await deps.send(
      new Request(url, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    );
    const text = response.status === 204 ? '' : await response.text();
    let data: unknown;
    try {
      data = text ? JSON.parse(text) : undefined;
    } catch {
      data = text;
    }
    return { response, data };
  }

  return {
    async getOrganization(orgId) {
      const { response, data } = await call('GET', `/organizations/${encodeURIComponent(orgId)}`, {});
      if (response.status === 404) return undefined;
      if (!response.ok) throw deps.failure(response, data, 'organization read');
      return deps.check(webexOrganizationSchema, data, response, 'organization read');
    },
    async listLocations(orgId) {
      const { response, data } = await call('GET', '/locations', { orgId, max: '500' });
      if (!response.ok) throw deps.failure(response, data, 'location list');
      return deps.check(webexLocationListSchema, data, response, 'location list').items;
    },
    async findLocationByName(orgId, name) {
      const { response, data } = await call('GET', '/locations', { orgId, name });
      if (!response.ok) throw deps.failure(response, data, 'location lookup');
      // Webex matches names that contain the text: the desk wants the one that is it.
      return deps
        .check(webexLocationListSchema, data, response, 'location lookup')
        .items.find((l) => l.name.toLowerCase() === name.toLowerCase());
    },
    async createLocation(orgId, body) {
      const { response, data } = await call('POST', '/locations', { orgId }, body);
      if (response.status !== 201 && response.status !== 200) throw deps.failure(response, data, 'location create', true);
      return { id: deps.check(webexCreatedIdSchema, data, response, 'location create').id };
    },
    async listWorkspaces(orgId) {
      const { response, data } = await call('GET', '/workspaces', { orgId, max: '1000' });
      if (!response.ok) throw deps.failure(response, data, 'workspace list');
      return deps.check(webexWorkspaceListSchema, data, response, 'workspace list').items;
    },
    async findWorkspaceByName(orgId, name) {
      const { response, data } = await call('GET', '/workspaces', { orgId, displayName: name });
      if (!response.ok) throw deps.failure(response, data, 'workspace lookup');
      return deps
        .check(webexWorkspaceListSchema, data, response, 'workspace lookup')
        .items.find((w) => w.displayName.toLowerCase() === name.toLowerCase());
    },
    async createWorkspace(body) {
      const { response, data } = await call('POST', '/workspaces', {}, body);
      if (response.status !== 201 && response.status !== 200) throw deps.failure(response, data, 'workspace create', true);
      return deps.check(webexWorkspaceSchema, data, response, 'workspace create');
    },
    async getWorkspace(workspaceId) {
      const { response, data } = await call('GET', `/workspaces/${encodeURIComponent(workspaceId)}`, {});
      if (response.status === 404) return undefined;
      if (!response.ok) throw deps.failure(response, data, 'workspace read');
      return deps.check(webexWorkspaceSchema, data, response, 'workspace read');
    },
    async deleteWorkspace(workspaceId) {
      const { response, data } = await call('DELETE', `/workspaces/${encodeURIComponent(workspaceId)}`, {});
      if (response.status === 404 || response.ok) return;
      throw deps.failure(response, data, 'workspace delete');
    },
  };
}
