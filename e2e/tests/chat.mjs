// Helpers for the chat suites: a signed-up user with an API shortcut, and a
// live event collector over the npm graphql-ws client.
import { gql, signUp, wsClient, uniqueEmail } from './parleyd.mjs';

export const EVENT_FIELDS = `__typename cursor
  ... on MessageCreatedEvent { message { id seq body clientId conversationId sender { id } replyToId } }
  ... on MessageEditedEvent { message { id seq body editedAt } }
  ... on MessageDeletedEvent { message { id seq body deleted } }
  ... on ReactionEvent { emoji added user { id } message { id reactions { emoji count users { id } } } }
  ... on ReceiptEvent { conversationId user { id } readSeq deliveredSeq }
  ... on TypingEvent { conversationId user { id } typing expiresAt }
  ... on PresenceEvent { user { id } presence { status text lastSeenAt } }
  ... on ContactRequestEvent { request { id status note from { id } to { id } } }
  ... on ContactEvent { users { id } contact }
  ... on BlockEvent { user { id } blocked }
  ... on MembershipEvent { action actor { id } users { id } conversation { id kind title members { user { id } role } }
                           systemMessage { id seq kind action } }`;

export async function newUser(server, displayName) {
  const account = await signUp(server, { email: uniqueEmail(displayName.toLowerCase()), displayName });
  const user = {
    ...account,
    id: account.user.id,
    name: displayName,
    async q(query, variables = {}) {
      const r = await gql(server, query, variables, { token: account.accessToken });
      return r.body;
    },
    // The data of a successful operation; throws with the errors otherwise.
    async ok(query, variables = {}) {
      const body = await user.q(query, variables);
      if (body.errors) throw new Error(`${displayName}: ${JSON.stringify(body.errors)}`);
      return body.data;
    },
  };
  return user;
}

// Subscribes to events (optionally since a cursor, optionally with another
// subscription document) and collects them.
export function collect(server, user, { since, query: document } = {}) {
  const client = wsClient(server, { authToken: user.accessToken });
  const events = [];
  const waiters = [];
  let ended = null;
  const query = document ?? `subscription($since: String) { events(since: $since) { ${EVENT_FIELDS} } }`;
  const variables = document ? {} : { since: since ?? null };
  const dispose = client.subscribe({ query, variables }, {
    next: (v) => {
      if (v.errors) { ended = new Error(JSON.stringify(v.errors)); return; }
      events.push(v.data.events);
      for (const w of [...waiters]) w();
    },
    error: (e) => { ended = e instanceof Error ? e : new Error(JSON.stringify(e)); for (const w of [...waiters]) w(); },
    complete: () => { ended = ended ?? new Error('completed'); for (const w of [...waiters]) w(); },
  });
  const log = {
    events,
    // Resolves with the first event (after index `from`) matching `pred`.
    waitFor(pred, { ms = 5000, from = 0 } = {}) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = events.slice(from).find(pred);
          if (hit) { done(); resolve(hit); return true; }
          if (ended) { done(); reject(ended); return true; }
          return false;
        };
        const timer = setTimeout(() => { done(); reject(new Error(`no matching event in ${ms} ms; got ${JSON.stringify(events.map((e) => e.__typename))}`)); }, ms);
        const done = () => { clearTimeout(timer); const i = waiters.indexOf(check); if (i >= 0) waiters.splice(i, 1); };
        if (!check()) waiters.push(check);
      });
    },
    of(type) { return events.filter((e) => e.__typename === type); },
    lastCursor() { return events.length ? events[events.length - 1].cursor : since; },
    async close() { dispose(); await client.dispose(); },
  };
  return log;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Makes two users contacts.
export async function befriend(a, b) {
  const { requestContact } = await a.ok(`mutation($u: ID!) { requestContact(userId: $u) { id } }`, { u: b.id });
  await b.ok(`mutation($r: ID!) { respondContact(requestId: $r, accept: true) { status } }`, { r: requestContact.id });
}

export const SEND = `mutation($i: SendMessageInput!) { sendMessage(input: $i) { id seq body clientId status createdAt } }`;

export async function send(user, conversationId, body, clientId = `c-${Math.random().toString(36).slice(2)}`, extra = {}) {
  const { sendMessage } = await user.ok(SEND, { i: { conversationId, clientId, body, ...extra } });
  return sendMessage;
}
