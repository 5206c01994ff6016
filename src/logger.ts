import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger };

/** Structured JSON logs on stdout; tests pass a destination to read them back. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'wholesale-desk' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: ['req.headers.authorization', '*.token', '*.secret'], censor: '[redacted]' },
    },
    destination,
  );
}
