import { z } from 'zod';
import { addressSchema } from '../domain/address.js';
import { CIVIL_DATE_FORMS, normalizeDateParameter } from '../domain/date-parameters.js';
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
/** Keyset paging where the desk chooses (customers, subscribers): the opaque value from a `Link: rel="next"`. */
export const cursorQuery = {
  cursor: z
    .string()
    .max(1000)
    .optional()
    .describe(
      'Opaque position from the Link header\'s rel="next" URL: the page starts right after the last row of the page before (not with offset)',
    ),
};
export const pageQuerySchema = z.object(pageQuery);

/**
 * A list parameter in either form clients send: repeated (`status=a&status=b`) or comma-separated
 * (`status=a,b`), or both; documented as Cisco documents it, an array of strings.
 */
export const queryList = (description: string) =>
  z
    .preprocess(
      (v) => (typeof v === 'string' ? [v] : v),
      z
        .array(z.string().max(500))
        .max(50, 'give at most 50 values')
        .transform((values) =>
          values
            .flatMap((v) => v.split(','))
            .map((v) => v.trim())
            .filter(Boolean),
        ),
    )
    .optional()
    .describe(`${description}: repeat the parameter or separate values with commas`);

/**
 * A billing date as clients send it: YYYY-MM-DD, or that day at midnight UTC as a date-time (what client
 * libraries serialise a date into), which becomes the plain date; a date-time at another time is refused
 * saying so. Other values pass on to the field's own rule.
 */
export const civilDateInput = () =>
  z
    .string()
    .max(40, 'must be a date, YYYY-MM-DD')
    .transform((value, ctx) => {
      const read = normalizeDateParameter(value);
      if (read.ok) return read.value;
      ctx.addIssue({ code: 'custom', message: read.message });
      return z.NEVER;
    })
    .describe(`${CIVIL_DATE_FORMS}`);

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
export const listOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });
