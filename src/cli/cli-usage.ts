/**
 * The CLI's usage text and per-command help: no other import, so `help` answers without loading the
 * application or opening the database.
 */
export const CLI_USAGE = `Usage: npm run cli -- <command>

  help [<command>]                          this text, or one command's (also --help)
  partner show                              the partner, its settings, sub-partners and templates
  partner set enable_wholesale_delayed_billing true|false
  sub-partner add --name <name> [--billing-start YYYY-MM-DD]
                                            create a sub-partner (prints its orgId); its customers
                                            bill from the billing start date (default: today)
  sub-partner billing-start <orgId> <YYYY-MM-DD>
                                            move the billing start date (only before it arrives)
  sub-partner suspend|activate <orgId>
  token create --name <name> [--scopes a,b] [--partner <sub-partner orgId>]
                                            prints the new token once (default: every scope
                                            a sub-partner may hold)
  token list                                tokens with their prefix, scopes and state
  token revoke <tokenId>
  staff add <email> --role admin|operator|viewer
  staff list
  call-in set <CC> <number> [<number> ...]  Meetings call-in numbers of a country, first one is the default
  secrets rotate                            a new download-link signing key; links signed with the
                                            old one stay valid until they expire
  secrets reencrypt                         re-encrypts every stored secret under SECRETS_KEY
                                            (opening old ones with SECRETS_KEY_PREVIOUS)
  invoices issue --month YYYY-MM            issue every customer's invoice for an ended month (numbered,
                                            never changed afterwards; customers already invoiced are
                                            left as they are)
  invoices list [--month YYYY-MM] [--customer <id or externalId>]
                                            issued invoices, newest number first: number, customer,
                                            period, total (the documents: GET /v1/billing/invoices/{number})
  sync                                      reads every customer and subscriber from Webex (upstream
                                            mode): the first sync imports them, later ones report
                                            drift and overwrite nothing (root partner, then each
                                            sub-partner)
  tasks list [--state parked|failed] [--kind <kind>]
                                            held (parked: Webex refused the token) and failed tasks
                                            of the root partner, oldest first
  tasks retry [<taskId>] [--state parked|failed] [--kind <kind>]
                                            runs them again (one, or all that match); each
                                            customer or subscriber goes back in progress

While the service runs on the embedded database (PGlite, no DATABASE_URL), the CLI hands each
command to it over its loopback admin endpoint (DATA_DIR/admin-endpoint.json); otherwise it opens
the database itself.
`;

/** The usage lines of one command group (`token`, `sub-partner` …): each entry with its indented continuation. */
export function helpFor(command: string): string | undefined {
  const lines = CLI_USAGE.split('\n');
  const picked: string[] = [];
  let inside = false;
  for (const line of lines) {
    const head = /^ {2}(\S+)/.exec(line);
    if (head) inside = head[1] === command;
    else if (!/^ {3,}\S/.test(line)) inside = false;
    if (inside) picked.push(line);
  }
  return picked.length ? `Usage: npm run cli -- ${command} …\n\n${picked.join('\n')}\n` : undefined;
}

/** The command groups the usage names, for an error that lists them. */
export const CLI_COMMANDS: readonly string[] = [
  ...new Set(
    CLI_USAGE.split('\n')
      .map((line) => /^ {2}(\S+)/.exec(line)?.[1])
      .filter((w): w is string => Boolean(w)),
  ),
];
