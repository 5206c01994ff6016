/** What the application needs from the world besides the database: time and identity. */
export interface Clock {
  now(): Date;
}

export interface IdSource {
  /** A fresh random UUID. */
  uuid(): string;
  /** A fresh high-entropy secret, URL-safe. */
  secret(bytes?: number): string;
}

export const systemClock: Clock = { now: () => new Date() };
