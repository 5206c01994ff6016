/** The CLI's options, as `node:util` parseArgs reads them; the admin endpoint accepts the same names. */
export const CLI_OPTIONS = {
  name: { type: 'string' },
  scopes: { type: 'string' },
  role: { type: 'string' },
  partner: { type: 'string' },
  'billing-start': { type: 'string' },
  state: { type: 'string' },
  kind: { type: 'string' },
  month: { type: 'string' },
  customer: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The string options a command reads (everything but --help). */
export type CliOptions = Partial<Record<Exclude<keyof typeof CLI_OPTIONS, 'help'>, string>>;

export const CLI_STRING_OPTIONS = Object.keys(CLI_OPTIONS).filter((k) => k !== 'help') as (keyof CliOptions)[];

export interface CliResult {
  output: string;
  exitCode: number;
}
