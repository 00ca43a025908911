// Chat end to end over a real parleyd: contacts and presence, a direct
// conversation and a group of five with every kind of live event, resuming
// from a cursor, several devices, blocking, search and bad input.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startParleyd, errorCodes } from './parleyd.mjs';
import { newUser, collect, sleep, befriend, send, SEND } from './chat.mjs';

let server;
before(async () => { server = await startParleyd(); });
after(async () => { await server?.stop(); });

const CONVERSATION = `id kind title lastSeq unreadCount myRole members { user { id } role }
  lastMessage { id body }`;

test('contacts: find, request, accept, and see each other\'s presence live', async () => {
  const ada = await newUser(server, 'Ada');
  const bob = await newUser(server, 'Bob');
  const adaEvents = collect(server, ada);
  const bobEvents = collect(server, bob);
  try {
    await sleep(200);
    const byEmail = await ada.ok(`query($q: String!) { searchUsers(query: $q) { id displayName isContact presence { status } } }`,
      { q: bob.email.toUpperCase() });
    assert.deepEqual(byEmail.searchUsers.map((u) => u.id), [bob.id]);
    assert.equal(byEmail.searchUsers[0].presence, null, 'a stranger\'s presence is hidden');
    const byName = await ada.ok(`query { searchUsers(query: "bo") { id } }`);
    assert.ok(byName.searchUsers.some((u) => u.id === bob.id));

    const { requestContact } = await ada.ok(`mutation($u: ID!) { requestContact(userId: $u, note: "Hi Bob, it's Ada") {
      id status note from { id } to { id } } }`, { u: bob.id });
    assert.equal(requestContact.status, 'PENDING');
    const asked = await bobEvents.waitFor((e) => e.__typename === 'ContactRequestEvent');
    assert.equal(asked.request.note, "Hi Bob, it's Ada");
    const pending = await bob.ok(`{ contactRequests { id from { id } } }`);
    assert.deepEqual(pending.contactRequests.map((r) => r.from.id), [ada.id]);
    const again = await ada.q(`mutation($u: ID!) { requestContact(userId: $u) { id } }`, { u: bob.id });
    assert.deepEqual(errorCodes(again), ['CONFLICT']);

    await bob.ok(`mutation($r: ID!) { respondContact(requestId: $r, accept: true) { status } }`, { r: requestContact.id });
    await adaEvents.waitFor((e) => e.__typename === 'ContactEvent' && e.contact);
    const contacts = await ada.ok(`{ contacts { id isContact presence { status } } }`);
    assert.deepEqual(contacts.contacts.map((c) => c.id), [bob.id]);
    assert.equal(contacts.contacts[0].presence.status, 'ONLINE', 'Bob is connected');

    // Presence changes reach contacts within a second.
    const from = adaEvents.events.length;
    const t0 = Date.now();
    await bob.ok(`mutation { setPresence(status: BUSY, text: "In a meeting") { status } }`);
    const busy = await adaEvents.waitFor((e) => e.__typename === 'PresenceEvent' && e.presence.status === 'BUSY', { from, ms: 1000 });
    assert.equal(busy.user.id, bob.id);
    assert.equal(busy.presence.text, 'In a meeting');
    assert.ok(Date.now() - t0 < 1000);
    await bob.ok(`mutation { setPresence(status: OFFLINE) { status } }`);
    await adaEvents.waitFor((e) => e.__typename === 'PresenceEvent' && e.presence.status === 'OFFLINE', { from, ms: 1000 });
    await bob.ok(`mutation { setPresence(status: ONLINE) { status } }`);
    await bob.ok(`mutation { setIdle(idle: true) { status } }`);
    await adaEvents.waitFor((e) => e.__typename === 'PresenceEvent' && e.presence.status === 'AWAY', { from, ms: 1000 });
    await bob.ok(`mutation { setIdle(idle: false) { status } }`);

    // Bob's last connection closes: Ada sees him go offline with a lastSeenAt.
    const before = adaEvents.events.length;
    await bobEvents.close();
    const gone = await adaEvents.waitFor((e) => e.__typename === 'PresenceEvent' && e.presence.status === 'OFFLINE', { from: before, ms: 2000 });
    assert.ok(gone.presence.lastSeenAt);
  } finally {
    await adaEvents.close();
    await bobEvents.close();
  }
});

test('direct conversation: messages, replies, edits, deletes, reactions, receipts and typing arrive live', async () => {
  const ada = await newUser(server, 'Ada');
  const bob = await newUser(server, 'Bob');
  await befriend(ada, bob);
  const { createDirectConversation: conv } = await ada.ok(`mutation($u: ID!) { createDirectConversation(userId: $u) { ${CONVERSATION} } }`, { u: bob.id });
  assert.equal(conv.kind, 'DIRECT');
  assert.equal(conv.title, 'Bob');
  const same = await bob.ok(`mutation($u: ID!) { createDirectConversation(userId: $u) { id title } }`, { u: ada.id });
  assert.equal(same.createDirectConversation.id, conv.id, 'exactly one direct conversation per pair');
  assert.equal(same.createDirectConversation.title, 'Ada');

  const adaEvents = collect(server, ada);
  const bobEvents = collect(server, bob);
  try {
    await sleep(200);
    const hello = await send(ada, conv.id, 'Hello Bob! 👋', 'ada-1');
    assert.equal(hello.seq, 1);
    assert.equal(hello.status, 'SENT');
    const got = await bobEvents.waitFor((e) => e.__typename === 'MessageCreatedEvent');
    assert.equal(got.message.body, 'Hello Bob! 👋');
    assert.equal(got.message.sender.id, ada.id);

    // A retry with the same clientId returns the stored message and creates nothing.
    const retry = await send(ada, conv.id, 'Hello Bob! 👋', 'ada-1');
    assert.equal(retry.id, hello.id);
    assert.equal(retry.seq, 1);

    const reply = await send(bob, conv.id, 'Hi Ada', 'bob-1', { replyToId: hello.id });
    assert.equal(reply.seq, 2);
    const replied = await adaEvents.waitFor((e) => e.__typename === 'MessageCreatedEvent' && e.message.id === reply.id);
    assert.equal(replied.message.replyToId, hello.id);

    await ada.ok(`mutation($id: ID!) { editMessage(id: $id, body: "Hello Bob!") { id } }`, { id: hello.id });
    const edited = await bobEvents.waitFor((e) => e.__typename === 'MessageEditedEvent');
    assert.equal(edited.message.body, 'Hello Bob!');
    assert.ok(edited.message.editedAt);

    await bob.ok(`mutation($id: ID!) { addReaction(messageId: $id, emoji: "👍") { id } }`, { id: hello.id });
    const reaction = await adaEvents.waitFor((e) => e.__typename === 'ReactionEvent');
    assert.equal(reaction.emoji, '👍');
    assert.deepEqual(reaction.message.reactions, [{ emoji: '👍', count: 1, users: [{ id: bob.id }] }]);

    await bob.ok(`mutation($c: ID!) { setTyping(conversationId: $c, typing: true) }`, { c: conv.id });
    const typing = await adaEvents.waitFor((e) => e.__typename === 'TypingEvent');
    assert.equal(typing.user.id, bob.id);
    assert.ok(Date.parse(typing.expiresAt) > Date.now());

    await bob.ok(`mutation($c: ID!) { markRead(conversationId: $c, seq: 2) }`, { c: conv.id });
    const receipt = await adaEvents.waitFor((e) => e.__typename === 'ReceiptEvent' && e.user.id === bob.id);
    assert.equal(receipt.readSeq, 2);
    const history = await ada.ok(`query($c: ID!) { messages(conversationId: $c) { seq body status readBy { id } reactions { emoji count } } }`, { c: conv.id });
    assert.equal(history.messages[0].status, 'READ');
    assert.deepEqual(history.messages[0].readBy, [{ id: bob.id }]);

    await ada.ok(`mutation($id: ID!) { deleteMessage(id: $id) { deleted } }`, { id: hello.id });
    const deleted = await bobEvents.waitFor((e) => e.__typename === 'MessageDeletedEvent');
    assert.equal(deleted.message.deleted, true);
    assert.equal(deleted.message.body, '');

    const list = await bob.ok(`{ conversations { ${CONVERSATION} } }`);
    const mine = list.conversations.find((c) => c.id === conv.id);
    assert.equal(mine.lastMessage.id, reply.id);
    assert.equal(mine.unreadCount, 0);
  } finally {
    await adaEvents.close();
    await bobEvents.close();
  }
});

test('a group of five: members, roles, system messages, and everyone hears everyone', async () => {
  const people = [];
  for (const name of ['Owner', 'Ann', 'Ben', 'Cat', 'Dan']) people.push(await newUser(server, name));
  const [owner, ...rest] = people;
  const stranger = await newUser(server, 'Stranger');
  const logs = people.map((p) => collect(server, p));
  try {
    await sleep(300);
    const { createGroupConversation: group } = await owner.ok(`mutation($t: String!, $m: [ID!]!) {
      createGroupConversation(title: $t, memberIds: $m) { ${CONVERSATION} } }`, { t: 'Five of us', m: rest.map((p) => p.id) });
    assert.equal(group.members.length, 5);
    assert.equal(group.myRole, 'OWNER');
    for (const log of logs) {
      const created = await log.waitFor((e) => e.__typename === 'MembershipEvent' && e.action === 'CREATED');
      assert.equal(created.conversation.id, group.id);
      assert.equal(created.systemMessage.kind, 'SYSTEM');
    }
    // Everyone sends; everyone else receives each message exactly once.
    const sent = [];
    for (const p of people) sent.push(await send(p, group.id, `hello from ${p.name}`));
    for (const [i, log] of logs.entries()) {
      for (const [j, m] of sent.entries()) {
        const hit = await log.waitFor((e) => e.__typename === 'MessageCreatedEvent' && e.message.id === m.id);
        assert.equal(hit.message.sender.id, people[j].id);
      }
      assert.equal(log.of('MessageCreatedEvent').length, 5, `member ${i} got each message once`);
    }
    const seqs = sent.map((m) => m.seq);
    assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), 'seq increases in commit order');

    // A stranger learns nothing about the group.
    assert.deepEqual(errorCodes(await stranger.q(`query($c: ID!) { conversation(id: $c) { id } }`, { c: group.id })), ['NOT_FOUND']);
    assert.deepEqual(errorCodes(await stranger.q(`query($c: ID!) { messages(conversationId: $c) { id } }`, { c: group.id })), ['NOT_FOUND']);
    assert.deepEqual(errorCodes(await stranger.q(SEND, { i: { conversationId: group.id, clientId: 'x', body: 'let me in' } })), ['NOT_FOUND']);

    // Roles: a plain member cannot rename or remove; the owner can.
    assert.deepEqual(errorCodes(await rest[0].q(`mutation($c: ID!) { renameConversation(conversationId: $c, title: "Mine") { id } }`, { c: group.id })), ['FORBIDDEN']);
    await owner.ok(`mutation($c: ID!, $u: ID!) { setMemberRole(conversationId: $c, userId: $u, role: ADMIN) { id } }`, { c: group.id, u: rest[0].id });
    await rest[0].ok(`mutation($c: ID!) { renameConversation(conversationId: $c, title: "Renamed") { title } }`, { c: group.id });
    assert.deepEqual(errorCodes(await rest[0].q(`mutation($c: ID!, $u: ID!) { removeMember(conversationId: $c, userId: $u) { id } }`, { c: group.id, u: owner.id })), ['FORBIDDEN']);
    await owner.ok(`mutation($c: ID!, $u: ID!) { removeMember(conversationId: $c, userId: $u) { id } }`, { c: group.id, u: rest[3].id });
    const removed = await logs[4].waitFor((e) => e.__typename === 'MembershipEvent' && e.action === 'REMOVED');
    assert.deepEqual(removed.users.map((u) => u.id), [rest[3].id]);
    assert.deepEqual(errorCodes(await rest[3].q(`query($c: ID!) { messages(conversationId: $c) { id } }`, { c: group.id })), ['NOT_FOUND']);
    assert.deepEqual(errorCodes(await rest[3].q(SEND, { i: { conversationId: group.id, clientId: 'late', body: 'still here?' } })), ['NOT_FOUND']);

    // The owner leaves: ownership passes to the admin.
    await owner.ok(`mutation($c: ID!) { leaveConversation(conversationId: $c) }`, { c: group.id });
    const after = await rest[0].ok(`query($c: ID!) { conversation(id: $c) { myRole members { user { id } } } }`, { c: group.id });
    assert.equal(after.conversation.myRole, 'OWNER');
    assert.equal(after.conversation.members.length, 3);
    const timeline = await rest[0].ok(`query($c: ID!) { messages(conversationId: $c) { kind action actionUsers { id } } }`, { c: group.id });
    assert.deepEqual(timeline.messages.filter((m) => m.kind === 'SYSTEM').map((m) => m.action),
      ['CREATED', 'ROLE_CHANGED', 'RENAMED', 'REMOVED', 'LEFT']);
  } finally {
    for (const log of logs) await log.close();
  }
});

test('resuming from a cursor replays exactly the missed events, then goes live; two devices get everything', async () => {
  const ada = await newUser(server, 'Ada');
  const bob = await newUser(server, 'Bob');
  const { createDirectConversation: conv } = await ada.ok(`mutation($u: ID!) { createDirectConversation(userId: $u) { id } }`, { u: bob.id });
  const { eventCursor } = await bob.ok(`{ eventCursor }`);
  const phone = collect(server, bob, { since: eventCursor });
  const laptop = collect(server, bob, { since: eventCursor });
  await sleep(200);
  await send(ada, conv.id, 'one');
  await send(ada, conv.id, 'two');
  for (const device of [phone, laptop]) {
    await device.waitFor((e) => e.__typename === 'MessageCreatedEvent' && e.message.body === 'two');
  }
  const cursor = phone.lastCursor();
  await phone.close();
  // Missed while the phone is away.
  const missed = [];
  for (const body of ['three', 'four', 'five']) missed.push(await send(ada, conv.id, body));
  await ada.ok(`mutation($id: ID!) { editMessage(id: $id, body: "FOUR") { id } }`, { id: missed[1].id });
  await laptop.waitFor((e) => e.__typename === 'MessageEditedEvent');

  const resumed = collect(server, bob, { since: cursor });
  try {
    await resumed.waitFor((e) => e.__typename === 'MessageEditedEvent');
    await send(ada, conv.id, 'six (live)');
    await resumed.waitFor((e) => e.__typename === 'MessageCreatedEvent' && e.message.body === 'six (live)');
    await sleep(200);
    const bodies = resumed.events.map((e) => `${e.__typename}:${e.message?.body}`);
    assert.deepEqual(bodies, ['MessageCreatedEvent:three', 'MessageCreatedEvent:four', 'MessageCreatedEvent:five',
      'MessageEditedEvent:FOUR', 'MessageCreatedEvent:six (live)'], 'exactly the missed events, in order, then live');
    // The laptop, connected throughout, has everything once.
    await laptop.waitFor((e) => e.__typename === 'MessageCreatedEvent' && e.message.body === 'six (live)');
    assert.deepEqual(laptop.of('MessageCreatedEvent').map((e) => e.message.body), ['one', 'two', 'three', 'four', 'five', 'six (live)']);
    // Cursors of stored events strictly increase.
    const positions = laptop.events.map((e) => Number(e.cursor.split('.')[1]));
    assert.deepEqual(positions, [...positions].sort((a, b) => a - b));
    assert.equal(new Set(positions).size, positions.length);
  } finally {
    await resumed.close();
    await laptop.close();
  }
  // A cursor that was never issued is refused.
  const bad = collect(server, bob, { since: 'not-a-cursor' });
  await assert.rejects(bad.waitFor(() => true, { ms: 2000 }), /BAD_REQUEST|invalid cursor/);
  await bad.close();
});

test('blocking: the blocked user is not told, and nothing of theirs reaches the blocker', async () => {
  const ada = await newUser(server, 'Ada');
  const mallory = await newUser(server, 'Mallory');
  await befriend(ada, mallory);
  const { createDirectConversation: conv } = await mallory.ok(`mutation($u: ID!) { createDirectConversation(userId: $u) { id } }`, { u: ada.id });
  await ada.ok(`mutation($u: ID!) { blockUser(userId: $u) }`, { u: mallory.id });
  const adaEvents = collect(server, ada);
  try {
    await sleep(200);
    const sent = await send(mallory, conv.id, 'can you hear me?');
    assert.ok(sent.id, 'looks sent to the blocked user');
    const typing = await mallory.q(`mutation($c: ID!) { setTyping(conversationId: $c, typing: true) }`, { c: conv.id });
    assert.equal(typing.data.setTyping, true);
    const request = await mallory.q(`mutation($u: ID!) { requestContact(userId: $u) { status } }`, { u: ada.id });
    assert.equal(request.data?.requestContact.status, 'PENDING', 'the request looks pending');
    await sleep(500);
    assert.deepEqual(adaEvents.events, [], 'Ada receives nothing from Mallory');
    const history = await ada.ok(`query($c: ID!) { messages(conversationId: $c) { id } }`, { c: conv.id });
    assert.deepEqual(history.messages, []);
    assert.deepEqual((await ada.ok(`{ contactRequests { id } }`)).contactRequests, []);
    const search = await mallory.ok(`query($q: String!) { searchUsers(query: $q) { id } }`, { q: ada.email });
    assert.deepEqual(search.searchUsers, [], 'a blocker is not found');
    const malloryContacts = await mallory.ok(`{ contacts { id presence { status } } }`);
    assert.deepEqual(malloryContacts.contacts, [], 'no longer a contact: no presence either');
    // Unblocked: new messages flow again.
    await ada.ok(`mutation($u: ID!) { unblockUser(userId: $u) }`, { u: mallory.id });
    await send(mallory, conv.id, 'hello again');
    const got = await adaEvents.waitFor((e) => e.__typename === 'MessageCreatedEvent');
    assert.equal(got.message.body, 'hello again');
  } finally {
    await adaEvents.close();
  }
});

test('search finds words across accents in the user\'s own conversations only', async () => {
  const ada = await newUser(server, 'Ada');
  const bob = await newUser(server, 'Bob');
  const eve = await newUser(server, 'Eve');
  const { createDirectConversation: conv } = await ada.ok(`mutation($u: ID!) { createDirectConversation(userId: $u) { id } }`, { u: bob.id });
  await send(ada, conv.id, 'Rendez-vous au café crème à Genève');
  await send(bob, conv.id, 'Parfait, à demain');
  const found = await bob.ok(`{ searchMessages(query: "cafe geneve") { id body snippet conversation { id title } } }`);
  assert.equal(found.searchMessages.length, 1);
  assert.equal(found.searchMessages[0].conversation.id, conv.id);
  assert.match(found.searchMessages[0].snippet, /\uE000café\uE001/);
  const prefix = await ada.ok(`{ searchMessages(query: "demai*") { body } }`);
  assert.deepEqual(prefix.searchMessages.map((m) => m.body), ['Parfait, à demain']);
  const nothing = await eve.ok(`{ searchMessages(query: "cafe") { id } }`);
  assert.deepEqual(nothing.searchMessages, [], 'never a message from someone else\'s conversation');
  const weird = await ada.ok(`{ searchMessages(query: "\\"unbalanced OR NEAR( *") { id } }`);
  assert.deepEqual(weird.searchMessages, []);

  // Opening a result in context: the page around its seq, however old.
  for (let i = 1; i <= 30; i++) await send(ada, conv.id, `filler ${i}`);
  const hit = (await bob.ok(`{ searchMessages(query: "\\"filler 7\\"") { seq } }`)).searchMessages[0];
  const around = await bob.ok(`query($c: ID!, $s: Int!) { messages(conversationId: $c, aroundSeq: $s, limit: 6) { seq } }`,
    { c: conv.id, s: hit.seq });
  assert.deepEqual(around.messages.map((m) => m.seq), [hit.seq - 2, hit.seq - 1, hit.seq, hit.seq + 1, hit.seq + 2, hit.seq + 3]);
  const mixed = await bob.q(`query($c: ID!) { messages(conversationId: $c, aroundSeq: 5, beforeSeq: 9) { seq } }`, { c: conv.id });
  assert.deepEqual(errorCodes(mixed), ['BAD_REQUEST']);
});

test('bad input gets its documented error and changes nothing', async () => {
  const ada = await newUser(server, 'Ada');
  const bob = await newUser(server, 'Bob');
  const { createDirectConversation: conv } = await ada.ok(`mutation($u: ID!) { createDirectConversation(userId: $u) { id } }`, { u: bob.id });
  const first = await send(ada, conv.id, 'the only message');
  const tooBig = await ada.q(SEND, { i: { conversationId: conv.id, clientId: 'big', body: 'x'.repeat(16 * 1024 + 1) } });
  assert.deepEqual(errorCodes(tooBig), ['LIMIT_EXCEEDED']);
  const exactly = await ada.q(SEND, { i: { conversationId: conv.id, clientId: 'max', body: 'é'.repeat(8 * 1024) } });
  assert.ok(exactly.data?.sendMessage.id, '16 KiB exactly is fine');
  const blank = await ada.q(SEND, { i: { conversationId: conv.id, clientId: 'blank', body: '  \n ' } });
  assert.deepEqual(errorCodes(blank), ['BAD_REQUEST']);
  // A lone surrogate is not text.
  const res = await fetch(server.url + '/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ada.accessToken}` },
    body: `{"query":${JSON.stringify(SEND)},"variables":{"i":{"conversationId":"${conv.id}","clientId":"bad-utf8","body":"\\ud800 oops"}}}`,
  });
  const badUtf8 = await res.json();
  assert.ok(['BAD_REQUEST', 'GRAPHQL_PARSE_FAILED'].includes(errorCodes(badUtf8)[0]), JSON.stringify(badUtf8));
  const unknown = await ada.q(SEND, { i: { conversationId: '01ARZ3NDEKTSV4RRFFQ69G5FAV', clientId: 'u', body: 'hi' } });
  assert.deepEqual(errorCodes(unknown), ['NOT_FOUND']);
  const garbage = await ada.q(SEND, { i: { conversationId: 'nope', clientId: 'g', body: 'hi' } });
  assert.deepEqual(errorCodes(garbage), ['NOT_FOUND']);
  const notEmoji = await bob.q(`mutation($id: ID!) { addReaction(messageId: $id, emoji: "hello") { id } }`, { id: first.id });
  assert.deepEqual(errorCodes(notEmoji), ['BAD_REQUEST']);
  const notMine = await bob.q(`mutation($id: ID!) { editMessage(id: $id, body: "hacked") { id } }`, { id: first.id });
  assert.deepEqual(errorCodes(notMine), ['NOT_FOUND']);
  const history = await ada.ok(`query($c: ID!) { messages(conversationId: $c) { body reactions { emoji } } }`, { c: conv.id });
  assert.deepEqual(history.messages.map((m) => m.body), ['the only message', 'é'.repeat(8 * 1024)]);
  assert.deepEqual(history.messages[0].reactions, []);
});
