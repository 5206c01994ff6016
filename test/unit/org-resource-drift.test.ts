import { describe, expect, it } from 'vitest';
import { planOrgResourceDrift } from '../../src/domain/org-resource-drift.js';

const customer = (desk: { locations?: object[]; workspaces?: object[] }, webex: { locations?: object[]; workspaces?: object[] }) => ({
  customerExternalId: 'crm-1',
  webexCustomerId: 'WC1',
  desk: { locations: [], workspaces: [], ...desk } as never,
  webex: { locations: [], workspaces: [], ...webex } as never,
});

describe('drift of locations and workspaces', () => {
  it('matches by Webex id, else by name case-insensitively, and reports what only one side has', () => {
    const findings = planOrgResourceDrift([
      customer(
        {
          locations: [{ id: 'L1', name: 'HQ', webexId: null, status: 'provisioned' }],
          workspaces: [
            { id: 'W1', name: 'Lobby', webexId: 'X1', status: 'provisioned' },
            { id: 'W2', name: 'Hall', webexId: 'X2', status: 'provisioned' },
          ],
        },
        {
          locations: [
            { id: 'XL1', name: 'hq' },
            { id: 'XL2', name: 'Warehouse' },
          ],
          workspaces: [
            { id: 'X1', name: 'Renamed lobby' },
            { id: 'X3', name: 'Kitchen' },
          ],
        },
      ),
    ]);
    expect(findings.map((f) => `${f.entityType} ${f.kind} ${f.subject} ${f.deskId ?? '-'} ${f.webexId ?? '-'}`).sort()).toEqual([
      'location only_webex crm-1/warehouse - XL2',
      'workspace only_desk crm-1/hall W2 X2',
      'workspace only_webex crm-1/kitchen - X3',
    ]);
  });

  it('leaves out what a task is carrying or Webex refused, and its namesake in Webex', () => {
    const findings = planOrgResourceDrift([
      customer(
        {
          workspaces: [
            { id: 'W1', name: 'Lobby', webexId: null, status: 'provisioning' },
            { id: 'W2', name: 'Door', webexId: null, status: 'error' },
            { id: 'W3', name: 'Gate', webexId: 'X3', status: 'deleting' },
          ],
        },
        { workspaces: [{ id: 'X9', name: 'LOBBY' }] },
      ),
    ]);
    expect(findings).toEqual([]);
  });
});
