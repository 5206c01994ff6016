/**
 * A position in a list ordered by (instant, id): the last row of the page before. `at` is the instant as
 * PostgreSQL keeps it (microseconds, UTC, ISO 8601), so the next page starts exactly after that row.
 */
export interface Keyset {
  at: string;
  id: string;
}

/** One row of a keyset-paged list as the edges see it: the contract's item and where it sits. */
export interface KeyedItem<T> {
  item: T;
  key: Keyset;
}
