'use client';
// Full-text search over my conversations, below the conversation list; a
// result opens its conversation at that message (ChatClient.reveal). Loaded
// on demand (next/dynamic) when a search starts.
import { useEffect, useState } from 'react';
import type { ChatClient } from '@/lib/chat/chat-client';
import { humanMessage } from '@/lib/api/errors';

type Hit = Awaited<ReturnType<ChatClient['searchMessages']>>[number];

/** Full-text search over my conversations; a result opens its conversation at that message. */
export default function MessageSearch({ chat, query, onOpen }: { chat: ChatClient; query: string; onOpen: (conversationId: string, seq: number) => void }) {
  const [hits, setHits] = useState<Hit[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    const t = setTimeout(() => {
      chat.searchMessages(query).then((h) => { if (live) { setHits(h); setError(null); } }).catch((e) => { if (live) setError(humanMessage(e)); });
    }, 300);
    return () => { live = false; clearTimeout(t); };
  }, [chat, query]);
  if (error) return <div className="alert" role="alert" style={{ margin: 8 }}>{error}</div>;
  if (!hits || hits.length === 0) return null;
  return (
    <section className="search-results" aria-label="Messages found">
      <h3 className="section-title">Messages</h3>
      <ul className="plain" style={{ padding: '0 8px 8px' }}>
        {hits.map((h) => (
          <li key={h.id}>
            <button className="hit" onClick={() => onOpen(h.conversationId, h.seq)}>
              <span className="where">{h.conversation?.title ?? ''} · {h.sender.displayName}</span>
              <Snippet text={h.snippet ?? ''} />
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** A search snippet: hits are between U+E000 and U+E001. */
function Snippet({ text }: { text: string }) {
  const parts = text.split(/(\uE000[^\uE001]*\uE001)/u);
  return (
    <span>
      {parts.map((p, i) => (p.startsWith('\uE000') ? <mark key={i}>{p.slice(1, -1)}</mark> : <span key={i}>{p}</span>))}
    </span>
  );
}
