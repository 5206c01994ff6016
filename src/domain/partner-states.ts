/** A suspended (sub-)partner may still read and delete, nothing else. */
export const PARTNER_STATES = ['active', 'suspended'] as const;
export type PartnerState = (typeof PARTNER_STATES)[number];
