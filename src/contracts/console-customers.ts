import { z } from 'zod';
import { CUSTOMER_STATUSES } from '../domain/lifecycle.js';
import { PACKAGE_IDS } from '../domain/packages.js';

export const CONSOLE_CUSTOMER_SORTS = ['name', '-name', 'status', '-status', 'created', '-created'] as const;

export const consoleCustomersQuerySchema = z.object({
  search: z
    .string()
    .max(200)
    .optional()
    .describe("Part of the customer's name, externalId, primary email or admin's email (case-insensitive)"),
  status: z
    .string()
    .optional()
    .refine((s) => !s || s.split(',').every((v) => (CUSTOMER_STATUSES as readonly string[]).includes(v.trim())), {
      message: `each status is one of ${CUSTOMER_STATUSES.join(', ')}`,
    })
    .describe('one status or several separated by commas'),
  package: z.enum(PACKAGE_IDS).optional().describe('Only customers holding this package'),
  sort: z.enum(CONSOLE_CUSTOMER_SORTS).default('name').describe('A leading "-" sorts descending'),
  offset: z.coerce.number().int().min(0).default(0),
  max: z.coerce.number().int().min(1).max(100).default(25),
  onBehalfOfSubPartnerOrgId: z.string().optional(),
});

const consolePackageSchema = z.object({ id: z.string(), name: z.string() });

export const consoleCustomerListSchema = z.object({
  statuses: z.array(z.string()).describe('Every customer status (the status filter)'),
  packageCatalogue: z.array(consolePackageSchema).describe('Every package with its name (the package filter)'),
  total: z.number().int().describe('Customers matching, counted up to 1,000 (or to the end of the page): see totalExact'),
  totalExact: z.boolean().describe('False when more than `total` customers match (the count stops there)'),
  offset: z.number().int(),
  max: z.number().int(),
  items: z.array(
    z.object({
      id: z.string(),
      name: z.string().nullable(),
      externalId: z.string(),
      status: z.string(),
      primaryEmail: z.string().nullable(),
      adminEmail: z.string().nullable(),
      packages: z.array(consolePackageSchema),
      subscribers: z.number().int(),
      createdAt: z.string(),
    }),
  ),
});
