/**
 * Where a row sits in a keyset-paged list: its sort column's instant (ISO 8601 with the microseconds
 * PostgreSQL keeps) and its id. A list's next page starts right after the last row's keyset.
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
