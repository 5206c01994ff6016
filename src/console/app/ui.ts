// Small pieces every page uses.
import { html } from 'htm/preact';
import type { z } from 'zod';

/** The type of an API answer, from its zod contract in src/contracts (a type-only import: nothing of zod is bundled). */
export type Answer<S extends z.ZodType> = z.output<S>;

/** The error, if any, as an alert. */
export const ErrorNote = ({ error }: { error: string }) => (error ? html`<p class="error" role="alert">${error}</p>` : null);

/** The value of the input or select an event came from. */
export const inputValue = (e: Event) => (e.currentTarget as HTMLInputElement | HTMLSelectElement).value;
