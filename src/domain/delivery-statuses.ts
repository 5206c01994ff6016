/** An outbound webhook delivery: waiting (or retrying), delivered, or dead-lettered after its last attempt. */
export const DELIVERY_STATUSES = ['pending', 'delivered', 'dead'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
