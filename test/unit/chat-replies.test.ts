import { describe, expect, it } from 'vitest';
import { problem } from '../../src/domain/problems.js';
import { chatActorRefusal, customerProblemReply, problemsReply } from '../../src/bot/replies.js';

describe('problems as chat replies', () => {
  it.each([
    [problem('customer_not_found', 'No customer "a_b*".'), 'No customer "a\\_b\\*". Try `customers`.'],
    [
      problem('customer_ambiguous', 'Several customers are called "Acme"; use the externalId: acme-1, acme-2.'),
      'Several customers are called "Acme"; use the externalId: acme\\-1, acme\\-2.',
    ],
  ])('%o → %s', (p, reply) => expect(customerProblemReply(p, 'Try `customers`.')).toBe(reply));

  it.each([
    ['staff_not_found', 'staff add ann@x.example --role viewer'],
    ['space_of_another_partner', 'this space belongs to another partner'],
    ['sub_partner_suspended', 'your partner account is suspended'],
  ] as const)('%s refuses with "%s"', (code, text) => expect(chatActorRefusal(problem(code, 'why'), 'ann@x.example')).toContain(text));

  it('joins messages a line each', () =>
    expect(problemsReply([problem('invalid_request', 'a'), problem('invalid_request', 'b')])).toBe('a\nb'));
});
