import { listConsoleInbox } from '../db/repositories/console-inbox.js';
import type { Store } from './store.js';

/** What the bot posted to a console space on its own, after the last message the page has. */
export const readConsoleInbox = (store: Store, spaceId: string, afterId: number) => listConsoleInbox(store, spaceId, afterId);
