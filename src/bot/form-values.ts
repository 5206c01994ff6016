/** Form and chat values: blank means not given. */
export const given = (value: string | undefined): string | undefined =>
  value === undefined || value.trim() === '' ? undefined : value.trim();

/** "a, b,c" or "a b" → ["a", "b", "c"]. */
export const splitList = (value: string | undefined): string[] | undefined => {
  const v = given(value);
  return v === undefined ? undefined : v.split(/[\s,]+/).filter(Boolean);
};

/** Raw arguments → the strings a form shows; lists joined with commas. */
export function toFormValues(raw: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!raw || typeof raw !== 'object') return out;
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value === 'string') out[key] = value;
    else if (Array.isArray(value)) out[key] = value.filter((v) => typeof v === 'string').join(',');
  }
  return out;
}

export { requiredText } from '../contracts/chat-arguments.js';
