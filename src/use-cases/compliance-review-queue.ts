import { listPartnerReviews, type ReviewFilter } from '../db/repositories/compliance-review-queue.js';
import type { PartnerRow } from '../db/schema.js';
import type { Store } from './store.js';

export const listReviewQueue = (store: Store, partner: PartnerRow, filter: ReviewFilter) => listPartnerReviews(store, partner.id, filter);
