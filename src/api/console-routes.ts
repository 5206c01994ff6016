import { Hono } from 'hono';
import { z } from 'zod';
import type { StaffRole } from '../bot/bot-command.js';
import { handleMessage } from '../bot/handle-message.js';
import { splitMarkdown } from '../bot/replies.js';
import { useCaseDeps } from './acting-actor.js';
import type { AppDeps, AppEnv } from './app-env.js';
import { authenticate } from './auth.js';
import { respondProblems } from './problem-responses.js';
import { readJsonBody } from './read-body.js';

const messageSchema = z.object({ text: z.string().max(4_000, 'a command fits in 4,000 characters') });

/** A console user signs in with an API token; its scopes decide the chat role. */
export function roleOfScopes(scopes: readonly string[]): StaffRole {
  if (scopes.includes('wholesale-desk:admin') && scopes.includes('wholesale-desk:compliance_decide')) return 'admin';
  if (scopes.some((s) => s.endsWith('_write'))) return 'operator';
  return 'viewer';
}

/** The web console's chat: the same pipeline as Webex, answered in the request. */
export function createConsoleRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  app.use('*', authenticate(deps));
  app.post('/messages', async (c) => {
    const body = await readJsonBody(c, messageSchema);
    if (!body.ok) return 'response' in body ? body.response : respondProblems(c, body.problems);
    const auth = c.get('auth');
    const reply = await handleMessage(
      { db: deps.db, actor: { partner: auth.partner, label: `token:${auth.tokenId}`, role: roleOfScopes(auth.scopes) }, spaceId: `console:${auth.tokenId}`, deps: useCaseDeps(deps) },
      body.value.text,
      c.get('log'),
    );
    const parts = splitMarkdown(reply.markdown);
    return c.json({
      replies: parts.map((markdown, i) => ({ markdown, ...(i === parts.length - 1 && reply.files?.length ? { files: reply.files } : {}) })),
    });
  });
  return app;
}
