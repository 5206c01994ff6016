import { pingDb } from '../db/create-db.js';
import type { Store } from './store.js';

export const isStoreReachable = (store: Store): Promise<boolean> => pingDb(store);
