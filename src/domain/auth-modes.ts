/** How a template's customers sign in: Webex itself or the partner's SAML / OIDC identity provider. */
export const AUTH_MODES = ['webex', 'partner_saml', 'partner_oidc'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];
