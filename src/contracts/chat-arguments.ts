import { z } from 'zod';
import { isPlainText, UNSAFE_TEXT_MESSAGE } from '../domain/plain-text.js';

/** Arguments several chat commands share, validated with the same messages wherever they are typed. */

/** A required text argument whose message says what to type, whether it is missing or blank. */
export const requiredText = (message: string, max = 256) =>
  z.string({ error: message }).trim().min(1, message).max(max, `at most ${max} characters`).refine(isPlainText, UNSAFE_TEXT_MESSAGE);

/** `add user …`, and each row of `import users`. */
export const addUserArgs = z.object({
  email: z.email("give the user's email address first"),
  customer: requiredText('name the customer: to <customer>'),
  package: requiredText('give the package: package webex_calling', 60),
  firstName: requiredText('give the first name: first <name>', 64),
  lastName: requiredText('give the last name: last <name>', 64),
  extension: z
    .string()
    .trim()
    .regex(/^\d{2,10}$/, 'an extension is 2 to 10 digits')
    .optional(),
  phone: z
    .string()
    .trim()
    .regex(/^\+[1-9]\d{6,14}$/, 'a phone number is E.164, such as +14085550100')
    .optional(),
});
export type AddUserArgs = z.infer<typeof addUserArgs>;

/** `add workspace <name> to <customer> [extension <n>|phone <e164>]`. */
export const addWorkspaceArgs = z.object({
  name: requiredText('give the workspace a name: add workspace "Lobby phone" to <customer>', 100),
  customer: requiredText('name the customer: to <customer>'),
  extension: addUserArgs.shape.extension,
  phone: addUserArgs.shape.phone,
});
export type AddWorkspaceArgs = z.infer<typeof addWorkspaceArgs>;
