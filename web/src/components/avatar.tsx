// A round avatar with initials on a colour derived from the user id, and an
// optional presence dot. The name is spoken by the surrounding control.

const palette = ['#0a7cff', '#7b61ff', '#e8590c', '#12a150', '#d6336c', '#1098ad', '#5c7cfa', '#ae3ec9', '#f08c00', '#2f9e44'];

export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = words[0]?.[0] ?? '?';
  const last = words.length > 1 ? words[words.length - 1]?.[0] ?? '' : '';
  return (first + last).toUpperCase();
}

export function colourFor(id: string): string {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) >>> 0;
  return palette[h % palette.length] ?? palette[0]!;
}

export type Presence = 'online' | 'away' | 'busy' | 'offline';

export function Avatar({ id, name, size = 40, presence }: { id: string; name: string; size?: number; presence?: Presence }) {
  return (
    <span className="avatar" aria-hidden style={{ width: size, height: size, background: colourFor(id), fontSize: Math.round(size * 0.38) }}>
      {initials(name)}
      {presence ? <span className={`dot ${presence}`} /> : null}
    </span>
  );
}
