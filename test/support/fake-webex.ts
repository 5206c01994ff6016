import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local HTTP server speaking the slice of the Webex REST API (https://webexapis.com/v1) that
 * webex-node-bot-framework, the Webex SDK and the desk's own client call. Webex itself cannot be
 * reached from here; everything the desk does against this server it does against Webex.
 */
export interface FakeWebex {
  url: string;
  /** Base for HYDRA_SERVICE_URL. */
  apiUrl: string;
  bot: Person;
  webhooks: Webhook[];
  /** Messages the bot posted, in order. */
  posted: PostedMessage[];
  /** Requests seen, as "METHOD /path". */
  requests: string[];
  addPerson(email: string, displayName: string): Person;
  addRoom(type: 'direct' | 'group', title: string): Room;
  /** A person writes in a room: the message is stored and a signed webhook is posted to the desk. */
  say(
    room: Room,
    person: Person,
    text: string,
    opts?: { mention?: boolean; file?: { name: string; content: string }; secret?: string },
  ): Promise<{ status: number; messageId: string }>;
  /** A message that exists in Webex (fetchable) with the webhook body Webex would post for it, undelivered. */
  storeMessage(room: Room, person: Person, text: string): Record<string, unknown>;
  /** A person presses Submit on a card the bot posted. */
  submitCard(room: Room, person: Person, messageId: string, inputs: Record<string, unknown>): Promise<{ status: number }>;
  /** Posts the last webhook again, byte for byte, as Webex does when it saw no 2xx in time. */
  redeliverLast(): Promise<{ status: number }>;
  /** The next n POST /messages answer 429 with this Retry-After (seconds). */
  rateLimitNext(n: number, retryAfterSeconds: number): void;
  waitForPosts(count: number, timeoutMs?: number): Promise<PostedMessage[]>;
  /**
   * Webhooks whose target starts with `publicUrl` are delivered to the same path under `to`, as a
   * reverse proxy in front of the desk would; other targets (another instance's) cannot be reached.
   */
  forward(publicUrl: string, to: string): void;
  close(): Promise<void>;
}

interface Person {
  id: string;
  emails: string[];
  displayName: string;
  type: 'person' | 'bot';
  orgId: string;
  created: string;
}
interface Room {
  id: string;
  title: string;
  type: 'direct' | 'group';
  isLocked: boolean;
  lastActivity: string;
  creatorId: string;
  created: string;
}
interface Webhook {
  id: string;
  name: string;
  targetUrl: string;
  resource: string;
  event: string;
  secret?: string;
  status: 'active';
  created: string;
}
export interface PostedMessage {
  id: string;
  roomId: string;
  markdown?: string;
  attachments?: { contentType: string; content: Record<string, unknown> }[];
  file?: { name: string; contentType: string; content: string; bytes: Buffer };
  at: number;
}

const b64 = (kind: string, id: string) => Buffer.from(`ciscospark://us/${kind}/${id}`).toString('base64url');
const now = () => new Date().toISOString();

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Parses multipart/form-data as Webex receives a message with a file. */
async function readMultipart(
  req: IncomingMessage,
  body: Buffer,
): Promise<Record<string, { value: string; bytes?: Buffer; filename?: string; type?: string }>> {
  const form = await new Request('http://x', {
    method: 'POST',
    headers: { 'content-type': req.headers['content-type'] ?? '' },
    body,
  }).formData();
  const out: Record<string, { value: string; bytes?: Buffer; filename?: string; type?: string }> = {};
  for (const [key, value] of form.entries()) {
    if (typeof value === 'string') out[key] = { value };
    else {
      const bytes = Buffer.from(await value.arrayBuffer());
      out[key] = { value: bytes.toString('utf8'), bytes, filename: value.name, type: value.type };
    }
  }
  return out;
}

export const FAKE_BOT_TOKEN = 'fake-bot-token-0123456789';

/** `token`: the bot token it accepts (websocket mode needs Webex's real shape, `<secret>_<cluster>_<orgId>`). */
export async function startFakeWebex(opts: { token?: string } = {}): Promise<FakeWebex> {
  const token = opts.token ?? FAKE_BOT_TOKEN;
  const people = new Map<string, Person>();
  const rooms = new Map<string, Room>();
  const messages = new Map<string, Record<string, unknown>>();
  const actions = new Map<string, Record<string, unknown>>();
  const contents = new Map<string, { name: string; content: string }>();
  const memberships: {
    id: string;
    roomId: string;
    personId: string;
    personEmail: string;
    isModerator: boolean;
    created: string;
    roomType: string;
  }[] = [];
  const webhooks: Webhook[] = [];
  const posted: PostedMessage[] = [];
  const requests: string[] = [];
  let limited = 0;
  let retryAfter = 1;
  const waiters: (() => void)[] = [];
  let last: { url: string; payload: string; signature: string } | undefined;
  const forwards = new Map<string, string>();
  const reachable = (targetUrl: string): string | undefined => {
    for (const [from, to] of forwards) if (targetUrl.startsWith(from)) return `${to}${targetUrl.slice(from.length)}`;
    return undefined;
  };

  const bot: Person = {
    id: b64('PEOPLE', randomUUID()),
    emails: ['desk@webex.bot'],
    displayName: 'Desk',
    type: 'bot',
    orgId: b64('ORGANIZATION', 'org'),
    created: now(),
  };
  people.set(bot.id, bot);

  const send = (res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', trackingid: `FAKE_${randomUUID()}`, ...headers });
    res.end(body === undefined ? '' : JSON.stringify(body));
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname.replace(/^\/v1/, '');
    requests.push(`${req.method} ${path}`);
    if (req.headers.authorization !== `Bearer ${token}`)
      return send(res, 401, { message: 'The request requires a valid access token set in the Authorization request header.' });
    const body = await readBody(req);
    const [, resource, id] = path.split('/');
    try {
      if (req.method === 'GET' && path === '/people/me') return send(res, 200, bot);
      // The SDK batches person lookups: GET /people?id=a,b.
      if (req.method === 'GET' && resource === 'people' && !id)
        return send(res, 200, {
          items: (url.searchParams.get('id') ?? '').split(',').flatMap((p) => (people.has(p) ? [people.get(p)] : [])),
        });
      if (req.method === 'GET' && resource === 'people' && id)
        return people.has(id) ? send(res, 200, people.get(id)) : send(res, 404, { message: 'person not found' });
      if (resource === 'webhooks') {
        if (req.method === 'GET' && !id) return send(res, 200, { items: webhooks });
        if (req.method === 'POST') {
          const w = {
            ...(JSON.parse(body.toString()) as Omit<Webhook, 'id' | 'status' | 'created'>),
            id: b64('WEBHOOK', randomUUID()),
            status: 'active' as const,
            created: now(),
          };
          webhooks.push(w);
          return send(res, 200, w);
        }
        if (req.method === 'DELETE' && id) {
          const i = webhooks.findIndex((w) => w.id === id);
          if (i >= 0) webhooks.splice(i, 1);
          return send(res, 204);
        }
      }
      if (req.method === 'GET' && resource === 'memberships') {
        const roomId = url.searchParams.get('roomId');
        const items = memberships.filter((m) => (roomId ? m.roomId === roomId : m.personId === bot.id));
        return send(res, 200, { items });
      }
      if (req.method === 'GET' && resource === 'rooms') {
        if (id) return rooms.has(id) ? send(res, 200, rooms.get(id)) : send(res, 404, { message: 'room not found' });
        return send(res, 200, { items: [...rooms.values()] });
      }
      if (req.method === 'GET' && resource === 'messages' && id)
        return messages.has(id) ? send(res, 200, messages.get(id)) : send(res, 404, { message: 'message not found' });
      if (req.method === 'GET' && resource === 'attachment' && path.startsWith('/attachment/actions/')) {
        const a = actions.get(path.split('/')[3] ?? '');
        return a ? send(res, 200, a) : send(res, 404, { message: 'action not found' });
      }
      if (req.method === 'GET' && resource === 'contents' && id) {
        const c = contents.get(id);
        if (!c) return send(res, 404, { message: 'content not found' });
        res.writeHead(200, {
          'content-type': 'text/csv',
          'content-disposition': `attachment; filename="${c.name}"`,
          'content-length': String(Buffer.byteLength(c.content)),
        });
        return res.end(c.content);
      }
      if (req.method === 'POST' && path === '/messages') {
        if (limited > 0) {
          limited--;
          return send(res, 429, { message: 'Too Many Requests' }, { 'retry-after': String(retryAfter) });
        }
        const m: PostedMessage = { id: b64('MESSAGE', randomUUID()), roomId: '', at: Date.now() };
        if ((req.headers['content-type'] ?? '').startsWith('multipart/form-data')) {
          const form = await readMultipart(req, body);
          m.roomId = form.roomId?.value ?? '';
          m.markdown = form.markdown?.value;
          if (form.files)
            m.file = {
              name: form.files.filename ?? '',
              contentType: form.files.type ?? '',
              content: form.files.value,
              bytes: form.files.bytes ?? Buffer.alloc(0),
            };
        } else {
          const json = JSON.parse(body.toString()) as { roomId: string; markdown?: string; attachments?: PostedMessage['attachments'] };
          Object.assign(m, { roomId: json.roomId, markdown: json.markdown, attachments: json.attachments });
        }
        if (!rooms.has(m.roomId)) return send(res, 404, { message: 'Could not find a room with provided ID.' });
        if (m.markdown && Buffer.byteLength(m.markdown) > 7439) return send(res, 400, { message: 'Message exceeds the 7439 byte limit' });
        posted.push(m);
        messages.set(m.id, {
          id: m.id,
          roomId: m.roomId,
          markdown: m.markdown,
          personId: bot.id,
          personEmail: bot.emails[0],
          created: now(),
        });
        for (const w of waiters.splice(0)) w();
        return send(res, 200, { id: m.id, roomId: m.roomId, personId: bot.id, created: now() });
      }
      return send(res, 404, { message: `fake webex has no ${req.method} ${path}` });
    } catch (error) {
      return send(res, 500, { message: String(error) });
    }
  });
  server.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function deliver(resource: string, event: string, data: Record<string, unknown>, secret?: string): Promise<{ status: number }> {
    // Hooks of other hosts (another instance's) cannot be reached from here; the desk's are forwarded.
    const hook = webhooks.find(
      (w) => reachable(w.targetUrl) && (w.resource === resource || w.resource === 'all') && (w.event === event || w.event === 'all'),
    );
    if (!hook)
      throw new Error(
        `no reachable webhook registered for ${resource}/${event}; registered: ${JSON.stringify(webhooks.map((w) => [w.resource, w.event, w.targetUrl]))}`,
      );
    const payload = JSON.stringify({
      id: hook.id,
      name: hook.name,
      targetUrl: hook.targetUrl,
      resource,
      event,
      orgId: bot.orgId,
      createdBy: bot.id,
      appId: 'fake',
      ownedBy: 'creator',
      status: 'active',
      created: hook.created,
      actorId: data.personId,
      data,
    });
    const signature = createHmac('sha1', secret ?? hook.secret ?? '')
      .update(payload)
      .digest('hex');
    last = { url: reachable(hook.targetUrl)!, payload, signature };
    const res = await fetch(last.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-spark-signature': signature },
      body: payload,
    });
    await res.arrayBuffer();
    return { status: res.status };
  }

  /** Whoever speaks in a room is a member of it (the framework checks 1:1 spaces for their other member). */
  function join(room: Room, person: Person) {
    if (!memberships.some((m) => m.roomId === room.id && m.personId === person.id)) {
      memberships.push({
        id: b64('MEMBERSHIP', randomUUID()),
        roomId: room.id,
        personId: person.id,
        personEmail: person.emails[0]!,
        isModerator: false,
        created: now(),
        roomType: room.type,
      });
    }
  }

  const fake: FakeWebex = {
    url,
    apiUrl: `${url}/v1`,
    bot,
    webhooks,
    posted,
    requests,
    addPerson(email, displayName) {
      const p: Person = {
        id: b64('PEOPLE', randomUUID()),
        emails: [email],
        displayName,
        type: 'person',
        orgId: b64('ORGANIZATION', 'customer'),
        created: now(),
      };
      people.set(p.id, p);
      return p;
    },
    addRoom(type, title) {
      const r: Room = {
        id: b64('ROOM', randomUUID()),
        title,
        type,
        isLocked: false,
        lastActivity: now(),
        creatorId: bot.id,
        created: now(),
      };
      rooms.set(r.id, r);
      memberships.push({
        id: b64('MEMBERSHIP', randomUUID()),
        roomId: r.id,
        personId: bot.id,
        personEmail: bot.emails[0]!,
        isModerator: false,
        created: now(),
        roomType: type,
      });
      return r;
    },
    async say(room, person, text, opts = {}) {
      join(room, person);
      const id = b64('MESSAGE', randomUUID());
      let files: string[] | undefined;
      if (opts.file) {
        const contentId = randomUUID();
        contents.set(contentId, opts.file);
        files = [`${url}/v1/contents/${contentId}`];
      }
      const fullText = opts.mention ? `${bot.displayName} ${text}` : text;
      const html = opts.mention
        ? `<p><spark-mention data-object-type="person" data-object-id="${bot.id}">${bot.displayName}</spark-mention> ${text}</p>`
        : undefined;
      messages.set(id, {
        id,
        roomId: room.id,
        roomType: room.type,
        text: fullText,
        html,
        personId: person.id,
        personEmail: person.emails[0],
        created: now(),
        files,
        mentionedPeople: opts.mention ? [bot.id] : undefined,
      });
      const r = await deliver(
        'messages',
        'created',
        { id, roomId: room.id, roomType: room.type, personId: person.id, personEmail: person.emails[0], created: now(), files },
        opts.secret,
      );
      return { status: r.status, messageId: id };
    },
    storeMessage(room, person, text) {
      join(room, person);
      const id = b64('MESSAGE', randomUUID());
      messages.set(id, {
        id,
        roomId: room.id,
        roomType: room.type,
        text,
        personId: person.id,
        personEmail: person.emails[0],
        created: now(),
      });
      const hook = webhooks.find((w) => w.resource === 'all');
      return {
        id: hook?.id ?? 'hook',
        name: hook?.name ?? '',
        resource: 'messages',
        event: 'created',
        data: { id, roomId: room.id, roomType: room.type, personId: person.id, personEmail: person.emails[0], created: now() },
      };
    },
    async submitCard(room, person, messageId, inputs) {
      const id = b64('ATTACHMENT_ACTION', randomUUID());
      actions.set(id, { id, type: 'submit', messageId, roomId: room.id, personId: person.id, inputs, created: now() });
      return deliver('attachmentActions', 'created', {
        id,
        type: 'submit',
        messageId,
        roomId: room.id,
        personId: person.id,
        created: now(),
      });
    },
    async redeliverLast() {
      if (!last) throw new Error('nothing delivered yet');
      const res = await fetch(last.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-spark-signature': last.signature },
        body: last.payload,
      });
      await res.arrayBuffer();
      return { status: res.status };
    },
    forward(publicUrl, to) {
      forwards.set(publicUrl, to);
    },
    rateLimitNext(n, seconds) {
      limited = n;
      retryAfter = seconds;
    },
    async waitForPosts(count, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (posted.length < count) {
        if (Date.now() > deadline)
          throw new Error(
            `expected ${count} posted messages, got ${posted.length}: ${JSON.stringify(posted.map((p) => p.markdown))}\nrequests: ${requests.slice(-30).join(', ')}`,
          );
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 100);
        });
      }
      return posted.slice(0, count);
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
  return fake;
}
