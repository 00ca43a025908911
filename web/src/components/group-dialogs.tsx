'use client';
// Groups: create one from your contacts; see its members and roles; rename,
// add and remove members, leave. Direct conversations: block the person.
import { useState } from 'react';
import type { ChatClient, ChatState } from '@/lib/chat/chat-client';
import type { Conversation } from '@/lib/chat/conversations';
import { humanMessage } from '@/lib/api/errors';
import { Avatar } from './avatar';
import { Dialog } from './dialog';
import { presenceOf, presenceText } from './conversation-list';
import { actionText, memberActions, myRoleIn, roleText, sortedMembers, type MemberAction } from '@/lib/chat/roles';

export function NewGroupDialog({ chat, state, onClose, onCreated }: {
  chat: ChatClient; state: ChatState; onClose: () => void; onCreated: (id: string) => void;
}) {
  const [title, setTitle] = useState('');
  const [picked, setPicked] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const create = async () => {
    setBusy(true);
    try { onCreated(await chat.createGroup(title.trim(), picked)); onClose(); } catch (e) { setError(humanMessage(e)); setBusy(false); }
  };
  return (
    <Dialog title="New group" onClose={onClose} footer={<>
      <button className="btn btn-secondary btn-small" onClick={onClose}>Cancel</button>
      <button className="btn btn-primary btn-small" disabled={busy || !title.trim() || picked.length === 0} onClick={create}>Create group</button>
    </>}>
      {error ? <div className="alert" role="alert">{error}</div> : null}
      <div className="field">
        <label htmlFor="group-title">Group name</label>
        <input id="group-title" value={title} maxLength={100} onChange={(e) => setTitle(e.target.value)} />
      </div>
      <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
        <legend className="role" style={{ marginBottom: 6 }}>Members</legend>
        {state.contacts.length === 0 ? <p className="muted">Add contacts first: groups are made from your contacts.</p> : null}
        {state.contacts.map((c) => (
          <label key={c.id} className="check-row">
            <input type="checkbox" checked={picked.includes(c.id)}
              onChange={(e) => setPicked((p) => (e.target.checked ? [...p, c.id] : p.filter((x) => x !== c.id)))} />
            <Avatar id={c.id} name={c.displayName} size={32} /> {c.displayName}
          </label>
        ))}
      </fieldset>
    </Dialog>
  );
}

export function DetailsDialog({ chat, state, conv, onClose }: {
  chat: ChatClient; state: ChatState; conv: Conversation; onClose: () => void;
}) {
  const me = chat.me.id;
  const [title, setTitle] = useState(conv.title);
  const [error, setError] = useState<string | null>(null);
  const [adding, setAdding] = useState<string[]>([]);
  // A change to a member waiting for "are you sure".
  const [asking, setAsking] = useState<{ action: MemberAction; userId: string; name: string } | null>(null);
  const myRole = myRoleIn(conv, me);
  const canManage = myRole === 'OWNER' || myRole === 'ADMIN';
  const run = async (fn: () => Promise<unknown>) => {
    try { await fn(); setError(null); } catch (e) { setError(humanMessage(e)); }
  };

  if (conv.kind === 'DIRECT') {
    const peer = conv.members.find((m) => m.user.id !== me);
    const blocked = !!peer && state.blocked.some((u) => u.id === peer.user.id);
    return (
      <Dialog title={conv.title} onClose={onClose}>
        {error ? <div className="alert" role="alert">{error}</div> : null}
        {peer ? (
          <div className="member-row">
            <Avatar id={peer.user.id} name={peer.user.displayName} size={48} presence={presenceOf(peer.user.presence?.status)} />
            <span className="person-name">{peer.user.displayName}
              <span className="muted small">{peer.user.presence?.text || presenceText[presenceOf(peer.user.presence?.status)]}</span>
            </span>
          </div>
        ) : null}
        <p className="muted small">Blocking stops {conv.title} from messaging you and seeing your presence. They are not told.</p>
        {peer ? (
          <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap', marginBottom: 12 }}>
            <button className="btn btn-danger btn-small" onClick={() => run(() => chat.block(peer.user.id, !blocked))}>
              {blocked ? `Unblock ${peer.user.displayName}` : `Block ${peer.user.displayName}`}
            </button>
            {state.contacts.some((c) => c.id === peer.user.id) ? (
              <button className="btn btn-secondary btn-small" onClick={() => run(() => chat.removeContact(peer.user.id))}>
                Remove from contacts
              </button>
            ) : null}
          </div>
        ) : null}
      </Dialog>
    );
  }

  const members = sortedMembers(conv);
  const perform = (a: NonNullable<typeof asking>) => run(async () => {
    if (a.action === 'REMOVE') await chat.removeMember(conv.id, a.userId);
    else if (a.action === 'OWNER') await chat.transferOwnership(conv.id, a.userId);
    else await chat.setRole(conv.id, a.userId, a.action);
    setAsking(null);
  });
  const question = asking ? actionText(asking.action, asking.name) : null;
  const addable = state.contacts.filter((c) => !conv.members.some((m) => m.user.id === c.id));
  return (
    <Dialog title="Group details" onClose={onClose} footer={
      <button className="btn btn-danger btn-small" onClick={() => run(async () => { await chat.leave(conv.id); onClose(); })}>Leave group</button>
    }>
      {error ? <div className="alert" role="alert">{error}</div> : null}
      <form className="field" onSubmit={(e) => { e.preventDefault(); void run(() => chat.rename(conv.id, title.trim())); }}>
        <label htmlFor="rename">Group name</label>
        <div style={{ display: 'flex', gap: 8 }}>
          <input id="rename" style={{ flex: 1 }} value={title} maxLength={100} disabled={!canManage} onChange={(e) => setTitle(e.target.value)} />
          {canManage ? <button className="btn btn-secondary btn-small" type="submit" disabled={!title.trim() || title.trim() === conv.title} style={{ height: 46 }}>Rename</button> : null}
        </div>
      </form>
      <h3 className="role">{members.length} members</h3>
      <ul className="plain" aria-label="Members">
        {members.map((m) => {
          const actions = memberActions(myRole, m, me);
          return (
            <li key={m.user.id} className="member-row">
              <Avatar id={m.user.id} name={m.user.displayName} size={36} presence={presenceOf(m.user.presence?.status)} />
              <span className="person-name">{m.user.id === me ? `${m.user.displayName} (you)` : m.user.displayName}
                <span className={`role role-${m.role.toLowerCase()}`} data-testid="member-role">{roleText[m.role]}</span>
              </span>
              {actions.length ? (
                <span className="member-actions">
                  {actions.map((a) => {
                    const t = actionText(a, m.user.displayName);
                    return (
                      <button key={a} className={`btn btn-small ${a === 'REMOVE' ? 'btn-danger' : 'btn-secondary'}`} aria-label={t.label}
                        onClick={() => setAsking({ action: a, userId: m.user.id, name: m.user.displayName })}>{t.button}</button>
                    );
                  })}
                </span>
              ) : null}
              {asking?.userId === m.user.id && question ? (
                <div className="confirm-box" role="alertdialog" aria-label={question.label} aria-describedby="confirm-text">
                  <p id="confirm-text">{question.confirm}</p>
                  <div className="confirm-actions">
                    <button className="btn btn-secondary btn-small" onClick={() => setAsking(null)}>Cancel</button>
                    <button className={`btn btn-small ${asking.action === 'REMOVE' ? 'btn-danger' : 'btn-primary'}`} autoFocus onClick={() => void perform(asking)}>{question.ok}</button>
                  </div>
                </div>
              ) : null}
            </li>
          );
        })}
      </ul>
      {canManage && addable.length ? (
        <fieldset style={{ border: 0, padding: 0, margin: '12px 0 0' }}>
          <legend className="role" style={{ marginBottom: 6 }}>Add people</legend>
          {addable.map((c) => (
            <label key={c.id} className="check-row">
              <input type="checkbox" checked={adding.includes(c.id)}
                onChange={(e) => setAdding((p) => (e.target.checked ? [...p, c.id] : p.filter((x) => x !== c.id)))} />
              <Avatar id={c.id} name={c.displayName} size={28} /> {c.displayName}
            </label>
          ))}
          <button className="btn btn-primary btn-small" disabled={adding.length === 0} style={{ marginTop: 8 }}
            onClick={() => run(async () => { await chat.addMembers(conv.id, adding); setAdding([]); })}>Add to group</button>
        </fieldset>
      ) : null}
    </Dialog>
  );
}
