import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/**
 * The database handle as the edges see it: they pass it to use-cases and never query it, so the
 * edges depend on this name, not on kysely or `src/db`.
 */
export type Store = Kysely<Database>;
