import { z } from 'zod';

export const digestBodySchema = z.object({
  localTime: z.string().max(5).describe('HH:MM, 24-hour, in timeZone'),
  timeZone: z.string().max(64).describe('IANA time zone, e.g. Europe/London'),
});
