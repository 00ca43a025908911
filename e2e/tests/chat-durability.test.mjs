// Durability: clients send as fast as they can, the server is killed with
// SIGKILL mid-stream and restarted on the same data directory. Every message
// whose mutation had answered must be there, in order, exactly once; retries
// of unanswered sends must not double anything; a client resuming from its
// cursor must receive exactly what it missed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startParleyd, gql } from './parleyd.mjs';
import { newUser, collect, sleep, SEND } from './chat.mjs';

test('kill -9 mid-stream loses no acknowledged message and doubles none', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-durability-'));
  let server = await startParleyd({ dataDir });
  try {
    const people = [];
    for (const name of ['Ann', 'Ben', 'Cat']) people.push(await newUser(server, name));
    const { createGroupConversation: group } = await people[0].ok(`mutation($m: [ID!]!) {
      createGroupConversation(title: "Durable", memberIds: $m) { id } }`, { m: people.slice(1).map((p) => p.id) });

    // Ben listens from the start and remembers his cursor.
    const { eventCursor } = await people[1].ok('{ eventCursor }');
    const listener = collect(server, people[1], { since: eventCursor });

    const acked = [];     // {clientId, id, seq, sender}
    const inFlight = [];  // sends that never answered
    let stop = false;
    const sender = async (person, lane) => {
      for (let i = 0; !stop; i++) {
        const clientId = `${person.name}-${lane}-${i}`;
        const body = `${person.name} says ${i}`;
        try {
          const r = await gql(server, SEND, { i: { conversationId: group.id, clientId, body } }, { token: person.accessToken });
          if (r.body?.data?.sendMessage) acked.push({ ...r.body.data.sendMessage, clientId, body, sender: person });
          else inFlight.push({ clientId, body, person });
        } catch {
          inFlight.push({ clientId, body, person });
          return;
        }
      }
    };
    const lanes = [];
    for (const p of people) for (let lane = 0; lane < 3; lane++) lanes.push(sender(p, lane));
    await sleep(1500);
    server.child.kill('SIGKILL');
    const died = await server.exited;
    stop = true;
    await Promise.all(lanes);
    assert.equal(died.signal, 'SIGKILL');
    assert.ok(acked.length > 50, `only ${acked.length} messages were acknowledged before the kill`);
    t.diagnostic(`${acked.length} sends acknowledged, ${inFlight.length} unanswered at the kill`);
    const seenBeforeKill = listener.events.filter((e) => e.__typename === 'MessageCreatedEvent');
    const cursor = listener.lastCursor();
    await listener.close().catch(() => {});

    server = await startParleyd({ dataDir });
    // Retrying what never answered creates each at most once.
    for (const f of inFlight) {
      const r = await gql(server, SEND, { i: { conversationId: group.id, clientId: f.clientId, body: f.body } }, { token: f.person.accessToken });
      assert.ok(r.body.data?.sendMessage, JSON.stringify(r.body));
      const again = await gql(server, SEND, { i: { conversationId: group.id, clientId: f.clientId, body: f.body } }, { token: f.person.accessToken });
      assert.equal(again.body.data.sendMessage.id, r.body.data.sendMessage.id);
    }

    // The whole history, page by page.
    const history = [];
    for (let after = 0; ;) {
      // (people[].ok talks to the server that was killed: ask the new one.)
      const r = await gql(server, `query($c: ID!, $a: Int) { messages(conversationId: $c, afterSeq: $a, limit: 200) {
        id seq kind clientId body sender { id } } }`, { c: group.id, a: after }, { token: people[2].accessToken });
      assert.ok(r.body.data, JSON.stringify(r.body));
      const page = r.body.data;
      if (page.messages.length === 0) break;
      history.push(...page.messages);
      after = page.messages[page.messages.length - 1].seq;
    }
    const seqs = history.map((m) => m.seq);
    assert.deepEqual(seqs, Array.from({ length: seqs.length }, (_, i) => i + 1), 'seq is 1..N without gaps');
    const byClient = new Map();
    for (const m of history.filter((m) => m.kind === 'TEXT')) {
      const key = `${m.sender.id}/${m.clientId}`;
      assert.ok(!byClient.has(key), `duplicate message ${key}`);
      byClient.set(key, m);
    }
    for (const a of acked) {
      const stored = byClient.get(`${a.sender.id}/${a.clientId}`);
      assert.ok(stored, `acknowledged message ${a.clientId} is missing`);
      assert.equal(stored.id, a.id);
      assert.equal(stored.seq, a.seq);
      assert.equal(stored.body, a.body);
    }
    // Each lane's messages are in the order it sent them.
    const lanesSeen = new Map();
    for (const m of history.filter((m) => m.kind === 'TEXT')) {
      const [name, lane, i] = m.clientId.split('-');
      const key = `${name}-${lane}`;
      assert.ok((lanesSeen.get(key) ?? -1) < Number(i), `lane ${key} out of order`);
      lanesSeen.set(key, Number(i));
    }

    // Ben resumes from his last cursor: exactly the messages he had not seen.
    const resumed = collect(server, people[1], { since: cursor });
    const lastSeq = history[history.length - 1].seq;
    await resumed.waitFor((e) => e.__typename === 'MessageCreatedEvent' && e.message.seq === lastSeq, { ms: 10000 });
    await sleep(200);
    const seenIds = new Set(seenBeforeKill.map((e) => e.message.id));
    const replayed = resumed.of('MessageCreatedEvent').map((e) => e.message.id);
    assert.equal(new Set(replayed).size, replayed.length, 'no event twice');
    const expected = history.filter((m) => m.kind === 'TEXT' && !seenIds.has(m.id)).map((m) => m.id);
    assert.deepEqual(replayed, expected, 'exactly the missed messages, in order');
    await resumed.close();
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
