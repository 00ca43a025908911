'use client';
// The Contacts tab: requests to answer, your contacts (open a chat), and
// people found by name or email (send a request).
import { useEffect, useState } from 'react';
import type { ChatClient, ChatState, Person } from '@/lib/chat/chat-client';
import { humanMessage } from '@/lib/api/errors';
import { Avatar } from './avatar';
import { presenceOf, presenceText } from './conversation-list';
import { IconUsers } from './icons';

export function ContactsPanel({ chat, state, query, onOpen }: {
  chat: ChatClient; state: ChatState; query: string; onOpen: (conversationId: string) => void;
}) {
  const [results, setResults] = useState<Person[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  // The person a request is being written to, and its optional note.
  const [asking, setAsking] = useState<{ id: string; note: string } | null>(null);
  const q = query.trim();

  useEffect(() => {
    if (q.length < 2) { setResults(null); return; }
    let live = true;
    const t = setTimeout(() => {
      chat.searchPeople(q).then((r) => { if (live) { setResults(r); setError(null); } })
        .catch((e) => { if (live) setError(humanMessage(e)); });
    }, 250);
    return () => { live = false; clearTimeout(t); };
  }, [chat, q]);

  const act = async (key: string, fn: () => Promise<unknown>) => {
    setBusy(key);
    try { await fn(); setError(null); } catch (e) { setError(humanMessage(e)); } finally { setBusy(null); }
  };
  const message = (userId: string) => act(`m:${userId}`, async () => onOpen(await chat.startDirect(userId)));

  const me = chat.me.id;
  const incoming = state.requests.filter((r) => r.to.id === me);
  const outgoing = state.requests.filter((r) => r.from.id === me);
  const pendingTo = new Set(outgoing.map((r) => r.to.id));

  return (
    <div className="list contacts" id="contacts-panel" role="tabpanel" aria-labelledby="tab-contacts">
      {error ? <div className="alert" role="alert" style={{ margin: 8 }}>{error}</div> : null}
      {results ? (
        <section aria-label="People">
          <h3 className="section-title">People</h3>
          {results.length === 0 ? <p className="muted">Nobody matches “{q}”. Try a full email address.</p> : null}
          <ul className="plain">
            {results.map((p) => (
              <li key={p.id} className="person">
                <Avatar id={p.id} name={p.displayName} size={40} presence={p.presence ? presenceOf(p.presence.status) : undefined} />
                <span className="person-name">{p.displayName}</span>
                {p.isContact ? (
                  <button className="btn btn-secondary btn-small" disabled={busy === `m:${p.id}`} onClick={() => message(p.id)} aria-label={`Message ${p.displayName}`}>Message</button>
                ) : pendingTo.has(p.id) ? (
                  <span className="muted small">Request sent</span>
                ) : asking?.id !== p.id ? (
                  <button className="btn btn-primary btn-small" onClick={() => setAsking({ id: p.id, note: '' })} aria-label={`Add ${p.displayName} as a contact`}>Add</button>
                ) : null}
                {asking?.id === p.id && !p.isContact && !pendingTo.has(p.id) ? (
                  <form className="request-form" onSubmit={(e) => {
                    e.preventDefault();
                    void act(`r:${p.id}`, async () => { await chat.requestContact(p.id, asking.note); setAsking(null); });
                  }}>
                    <label htmlFor={`note-${p.id}`}>A note for {p.displayName} (optional)</label>
                    <textarea id={`note-${p.id}`} rows={2} maxLength={500} value={asking.note} autoFocus
                      placeholder="Hi, we met at…" onChange={(e) => setAsking({ id: p.id, note: e.target.value })} />
                    <span className="actions">
                      <button type="button" className="btn btn-secondary btn-small" onClick={() => setAsking(null)}>Cancel</button>
                      <button type="submit" className="btn btn-primary btn-small" disabled={busy === `r:${p.id}`}>Send request</button>
                    </span>
                  </form>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {incoming.length ? (
        <section aria-label="Contact requests">
          <h3 className="section-title">Requests <span className="badge">{incoming.length}</span></h3>
          <ul className="plain">
            {incoming.map((r) => (
              <li key={r.id} className="person request">
                <Avatar id={r.from.id} name={r.from.displayName} size={40} />
                <span className="person-name">{r.from.displayName}<span className="muted small">wants to be your contact</span>
                  {r.note ? <q className="request-note">{r.note}</q> : null}</span>
                <span className="actions">
                  <button className="btn btn-primary btn-small" disabled={busy === r.id} onClick={() => act(r.id, () => chat.respond(r.id, true))} aria-label={`Accept ${r.from.displayName}`}>Accept</button>
                  <button className="btn btn-secondary btn-small" disabled={busy === r.id} onClick={() => act(r.id, () => chat.respond(r.id, false))} aria-label={`Decline ${r.from.displayName}`}>Decline</button>
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-label="Your contacts">
        <h3 className="section-title">Contacts</h3>
        {state.contacts.length === 0 ? (
          <div className="empty">
            <IconUsers />
            <strong>No contacts yet</strong>
            <span>Search above for a colleague by name or email and add them.</span>
          </div>
        ) : (
          <ul className="plain">
            {state.contacts.map((p) => {
              const pr = presenceOf(p.presence?.status);
              return (
                <li key={p.id}>
                  <button className="person person-btn" onClick={() => message(p.id)} aria-label={`Message ${p.displayName}, ${presenceText[pr]}`}>
                    <Avatar id={p.id} name={p.displayName} size={40} presence={pr} />
                    <span className="person-name">{p.displayName}<span className="muted small">{p.presence?.text || presenceText[pr]}</span></span>
                  </button>
                </li>
              );
            })}
          </ul>
        )}
        {state.blocked.length ? (
          <>
            <h3 className="section-title">Blocked</h3>
            <ul className="plain">
              {state.blocked.map((u) => (
                <li key={u.id} className="person">
                  <Avatar id={u.id} name={u.displayName} size={32} />
                  <span className="person-name">{u.displayName}</span>
                  <button className="btn btn-secondary btn-small" aria-label={`Unblock ${u.displayName}`} onClick={() => act(`b:${u.id}`, () => chat.block(u.id, false))}>Unblock</button>
                </li>
              ))}
            </ul>
          </>
        ) : null}
        {outgoing.length ? (
          <>
            <h3 className="section-title">Sent requests</h3>
            <ul className="plain">
              {outgoing.map((r) => (
                <li key={r.id} className="person">
                  <Avatar id={r.to.id} name={r.to.displayName} size={32} />
                  <span className="person-name">{r.to.displayName}<span className="muted small">Waiting for an answer</span>
                    {r.note ? <q className="request-note">{r.note}</q> : null}</span>
                  <button className="btn btn-secondary btn-small" disabled={busy === r.id} aria-label={`Cancel the request to ${r.to.displayName}`}
                    onClick={() => act(r.id, () => chat.cancelRequest(r.id))}>Cancel</button>
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>
    </div>
  );
}
