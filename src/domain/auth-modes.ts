/** How a template's customers sign in: Webex itself or the partner's SAML / OIDC identity provider. */
export const AUTH_MODES = ['webex', 'partner_saml', 'partner_oidc'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

/** The guide's OIDC "IDP Name" (seed-provisioning.md line 176, L55672): letters, digits, -, _, ~ and ., at most 128. */
export const IDP_NAME_MAX = 128;
const IDP_NAME = /^[A-Za-z0-9_.~-]+$/;

/** What is wrong with an OIDC IdP name, or undefined when nothing is. */
export function idpNameProblem(name: string): string | undefined {
  const wrong = [...new Set([...name].filter((ch) => !IDP_NAME.test(ch)))];
  const parts: string[] = [];
  if (name.length > IDP_NAME_MAX) parts.push(`is ${name.length} characters long (at most ${IDP_NAME_MAX})`);
  if (wrong.length)
    parts.push(
      `contains ${wrong.map((ch) => (ch === ' ' ? 'a space' : JSON.stringify(ch))).join(', ')} (allowed: letters, digits, -, _, ~ and .)`,
    );
  return parts.length ? `the OpenID Connect IdP name (idpEntityId) ${parts.join(' and ')}` : undefined;
}
