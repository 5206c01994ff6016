import { z } from 'zod';
import { REVIEW_KINDS, REVIEW_STATUSES } from '../domain/compliance/review-rules.js';
import { INVOICE_POLICIES } from '../domain/invoice-policies.js';
import { CUSTOMER_STATUSES, SUBSCRIBER_STATUSES } from '../domain/lifecycle.js';
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

const isoInstant = z.string().describe('ISO 8601 instant, UTC');
/** Who did it: the raw actor (a token id, an email, `system`) and, when known, the person or token's name. */
const actorFields = {
  actor: z.string(),
  actorName: z.string().nullable().describe('The person or token by name; null when the actor is not known by one'),
};

/** `GET /v1/console/customers/{customerId}`: everything the console's customer page shows, in one call. */
export const consoleCustomerPageSchema = z.object({
  customer: z.object({
    id: z.string(),
    name: z.string().nullable(),
    externalId: z.string(),
    orgId: z.string().nullable(),
    status: z.enum(CUSTOMER_STATUSES),
    primaryEmail: z.string().nullable(),
    createdAt: isoInstant,
    statusChangedAt: isoInstant,
    billingFrom: isoInstant.nullable(),
    errors: z.array(z.string()).describe('The descriptions of the errors recorded on the customer'),
  }),
  statusHistory: z
    .array(z.object({ at: isoInstant, status: z.string(), action: z.string(), ...actorFields }))
    .describe('Each status the customer moved to, oldest first'),
  packages: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      limit: z.number().int().nullable().describe('The most subscribers that may hold it; null when unlimited'),
      inUse: z.number().int(),
    }),
  ),
  subscriberPackages: z.array(consolePackageSchema).describe('Packages a subscriber of this customer may be given'),
  packageNames: z.record(z.string(), z.string()).describe("Every package's display name by id"),
  locations: z.array(z.object({ id: z.string(), name: z.string(), timezone: z.string(), city: z.string(), country: z.string() })),
  subscribers: z
    .array(
      z.object({
        id: z.string(),
        email: z.string(),
        firstName: z.string().nullable(),
        lastName: z.string().nullable(),
        package: z.string(),
        addons: z.array(z.string()),
        extension: z.string().nullable(),
        primaryPhoneNumber: z.string().nullable(),
        isAdmin: z.boolean(),
        status: z.enum(SUBSCRIBER_STATUSES),
        billingSince: isoInstant.nullable(),
        createdAt: isoInstant,
      }),
    )
    .nullable()
    .describe("The first 1,000; null without the subscribers' read scope"),
  workspaces: z
    .array(
      z.object({
        id: z.string(),
        name: z.string(),
        package: z.string(),
        extension: z.string().nullable(),
        primaryPhoneNumber: z.string().nullable(),
        status: z.enum(['provisioning', 'provisioned', 'deleting', 'error', 'deleted']),
        billingSince: isoInstant.nullable(),
      }),
    )
    .nullable()
    .describe("null without the subscribers' read scope"),
  billingNow: z
    .array(z.object({ package: z.string(), name: z.string(), licences: z.number().int() }))
    .describe('Licences billed right now, by package'),
  compliance: z.object({
    nonCompliantSince: isoInstant.nullable(),
    reviews: z.array(
      z.object({
        id: z.string(),
        kind: z.enum(REVIEW_KINDS),
        status: z.enum(REVIEW_STATUSES),
        openedAt: isoInstant,
        deadlineAt: isoInstant,
        decidedAt: isoInstant.nullable(),
        decidedBy: z.string().nullable(),
        reason: z.string().nullable(),
        topMatch: z.string().nullable().describe("The restricted party's name that matched best; null when none matched"),
        unansweredContacts: z.number().int(),
      }),
    ),
  }),
  audit: z
    .array(
      z.object({
        id: z.number().int(),
        at: isoInstant,
        ...actorFields,
        entityName: z.string().nullable(),
        action: z.string(),
        entityType: z.string(),
        entityId: z.string().nullable(),
      }),
    )
    .describe('The last 50 entries about the customer, its subscribers and its workspaces, newest first'),
  chart: z
    .object({
      days: z.array(z.string()).describe('The last 30 days (YYYY-MM-DD), today last'),
      series: z.array(
        z.object({
          package: z.string(),
          name: z.string(),
          values: z.array(z.number()).describe('Licences held each day (a day-average, two decimals), one per day'),
        }),
      ),
      ticks: z.array(z.number()).describe("The licence axis's ticks"),
    })
    .describe('Daily licences, the last 30 days'),
  invoice: z
    .object({
      month: z.string().describe('YYYY-MM'),
      provisional: z.boolean(),
      through: z.string().nullable(),
      currency: z.string().nullable(),
      daysInMonth: z.number().int(),
      lines: z.array(
        z.object({
          package: z.string(),
          name: z.string(),
          sku: z.string(),
          policy: z.enum(INVOICE_POLICIES),
          priceFrom: z.string(),
          quantity: z.string(),
          averageDailyLicences: z.string(),
          averageRoundedUp: z.number().int(),
          peakLicences: z.number().int(),
          monthlyPrice: z.string(),
          amount: z.string(),
        }),
      ),
      unpriced: z.array(z.object({ package: z.string(), name: z.string(), quantity: z.string() })),
      total: z.string(),
    })
    .nullable()
    .describe("This month's invoice to date; null without the billing reports' read scope or when it cannot be computed"),
});
export type ConsoleCustomerPage = z.infer<typeof consoleCustomerPageSchema>;
