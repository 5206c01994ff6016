import { fail, ok, problem, type Result } from './problems.js';

export const SUPPORTED_LOCALES = [
  'en_US',
  'en_AU',
  'en_GB',
  'en_CA',
  'fr_FR',
  'fr_CA',
  'cs_CZ',
  'da_DK',
  'de_DE',
  'hu_HU',
  'id_ID',
  'it_IT',
  'ja_JP',
  'ko_KR',
  'es_ES',
  'es_CO',
  'es_MX',
  'nl_NL',
  'nb_NO',
  'pl_PL',
  'pt_PT',
  'pt_BR',
  'ru_RU',
  'ro_RO',
  'zh_CN',
  'zh_TW',
  'sv_SE',
  'ar_SA',
  'tr_TR',
] as const;
export type Locale = (typeof SUPPORTED_LOCALES)[number];

/** The "default sensible locale" for a bare ISO-639-1 language. */
const LANGUAGE_FALLBACK: Readonly<Record<string, Locale>> = Object.fromEntries(
  SUPPORTED_LOCALES.map((l) => l.slice(0, 2)).map((lang) => [lang, SUPPORTED_LOCALES.find((l) => l.startsWith(`${lang}_`)) as Locale]),
);

/** Meetings sites run these in English. */
const MEETINGS_UNSUPPORTED: readonly Locale[] = ['es_CO', 'id_ID', 'nb_NO', 'pt_PT'];

const byLowerCase = new Map<string, Locale>(SUPPORTED_LOCALES.map((l) => [l.toLowerCase(), l]));

export interface ResolvedLocale {
  /** The org's locale. */
  locale: Locale;
  /** The Meetings site's locale: en_US where Meetings does not support the org's. */
  meetingsLocale: Locale;
}

/**
 * Resolves a requested language against the template: a five-character locale as given (any case),
 * a bare language combined with the template country, then the language's fallback; none → the template's.
 */
export function resolveLocale(
  requested: string | undefined,
  template: { language: string; country: string },
  field = 'language',
): Result<ResolvedLocale> {
  const input = requested?.trim() ? requested.trim() : template.language;
  const locale = matchLocale(input, template.country);
  if (!locale) {
    return fail(
      problem(
        'unsupported_locale',
        `unsupported language "${input}"; use one of ${SUPPORTED_LOCALES.join(', ')} or a bare language such as "en"`,
        field,
      ),
    );
  }
  return ok({ locale, meetingsLocale: MEETINGS_UNSUPPORTED.includes(locale) ? 'en_US' : locale });
}

function matchLocale(input: string, templateCountry: string): Locale | undefined {
  const normalised = input.replace('-', '_').toLowerCase();
  if (/^[a-z]{2}_[a-z]{2}$/.test(normalised)) return byLowerCase.get(normalised);
  if (/^[a-z]{2}$/.test(normalised)) {
    return byLowerCase.get(`${normalised}_${templateCountry.toLowerCase()}`) ?? LANGUAGE_FALLBACK[normalised];
  }
  return undefined;
}
