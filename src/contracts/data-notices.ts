import { z } from 'zod';
import { DATA_NOTICE_KINDS } from '../domain/data-notices.js';

/** GET /v1/data-notices: stored data today's rules refuse, each kind counted with its fix. */
export const dataNoticeSchema = z.object({
  kind: z.enum(DATA_NOTICE_KINDS),
  count: z.number().int(),
  message: z.string(),
  fix: z.string().describe('the request that fixes one item'),
  items: z.array(z.object({ id: z.string(), label: z.string(), detail: z.string() })),
});
export const dataNoticesResponseSchema = z.object({ items: z.array(dataNoticeSchema) });
export type DataNoticesResponse = z.infer<typeof dataNoticesResponseSchema>;
