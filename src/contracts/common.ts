import { z } from 'zod';
import { addressSchema } from '../domain/address.js';
import { isPlainText, UNSAFE_TEXT_MESSAGE } from '../domain/plain-text.js';

/** Building blocks every feature's shapes share: bounded text, email, address, paging, errors. */

/** Bounded text without control or bidirectional-override characters (src/domain/plain-text.ts). */
export const text = (max: number) => z.string().max(max, `must be at most ${max} characters`).refine(isPlainText, UNSAFE_TEXT_MESSAGE);
export const email = z.email('must be an email address').max(254);

export const apiAddressSchema = addressSchema.extend({
  addressLine1: text(200),
  addressLine2: text(200).optional(),
  city: text(100),
  stateOrProvince: text(100).optional(),
  zipOrPostalCode: text(20).optional(),
  country: text(10),
});

export const effectiveAtSchema = z
  .string()
  .max(40)
  .optional()
  .describe('ISO 8601 instant the change takes effect in the ledger; not in the future, at most BACKDATE_MAX_DAYS (default 62) days back');

const wholeNumber = () =>
  z
    .string()
    .regex(/^\d{1,10}$/, 'must be a whole number')
    .optional();
export const pageQuery = { offset: wholeNumber(), max: wholeNumber() };

/** `?onBehalfOfSubPartnerOrgId=`: a root partner acting for one of its sub-partners. */
export const onBehalfQuerySchema = z.object({ onBehalfOfSubPartnerOrgId: z.string().optional() });
export const effectiveQuerySchema = z.object({ effectiveAt: z.string().optional(), onBehalfOfSubPartnerOrgId: z.string().optional() });

export const errorItemSchema = z.object({ errorCode: z.number().int(), description: z.string() });
export const errorResponseSchema = z.object({ message: z.string(), errors: z.array(errorItemSchema), trackingId: z.string() });

export const acceptedResponseSchema = z.object({ url: z.string() });
export const precheckResponseSchema = z.object({
  message: z.literal('success'),
  info: z.object({ infoCode: z.number(), description: z.string() }),
});
export const listOf = (item: z.ZodType) => z.object({ items: z.array(item) });
