/**
 * An outbound webhook delivery: waiting (or retrying), delivered, dead-lettered after its last attempt,
 * or cancelled because its subscription was deleted while it waited.
 */
export const DELIVERY_STATUSES = ['pending', 'delivered', 'dead', 'cancelled'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
