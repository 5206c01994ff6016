import { z } from 'zod';
import { CHAT_TRANSPORTS } from '../domain/chat-transports.js';

export const digestBodySchema = z.object({
  localTime: z.string().max(5).describe('HH:MM, 24-hour, in timeZone'),
  timeZone: z.string().max(64).describe('IANA time zone, e.g. Europe/London'),
});

/** A space's digest subscription, as listed and as saved. */
export const digestSubscriptionSchema = z.object({
  spaceId: z.string(),
  transport: z.enum(CHAT_TRANSPORTS),
  title: z.string().nullable(),
  localTime: z.string(),
  timeZone: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
});
