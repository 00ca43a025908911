// Group roles as the member list shows them: who I am in a group and what I
// may do to each member, following the server's rules (docs/api.md,
// Conversations): owners set anyone's role and transfer ownership; admins
// promote plain members; owners remove anyone, admins plain members only.
// The member list is authoritative: MembershipEvents carry it (but no
// myRole, which is per reader), so a role changed live shows at once.
import type { Conversation, Member } from './conversations';

export type Role = Member['role'];

export const roleText: Record<Role, string> = { OWNER: 'Owner', ADMIN: 'Admin', MEMBER: 'Member' };

const rank: Record<Role, number> = { OWNER: 0, ADMIN: 1, MEMBER: 2 };

/** My role in a conversation: from its member list, else what the server last said. */
export function myRoleIn(conv: Conversation, me: string): Role {
  return conv.members.find((m) => m.user.id === me)?.role ?? conv.myRole ?? 'MEMBER';
}

/** Members by role (owner, admins, members), then by name. */
export function sortedMembers(conv: Conversation): Member[] {
  return [...conv.members].sort((a, b) => rank[a.role] - rank[b.role] || a.user.displayName.localeCompare(b.user.displayName));
}

/** A change to a member: a new role, ownership, or removal. */
export type MemberAction = 'ADMIN' | 'MEMBER' | 'OWNER' | 'REMOVE';

/** What someone of role `mine` may do to `target` (never to themselves: they leave instead). */
export function memberActions(mine: Role, target: Member, me: string): MemberAction[] {
  if (target.user.id === me) return [];
  if (mine === 'OWNER') {
    const roles: MemberAction[] = target.role === 'ADMIN' ? ['MEMBER'] : ['ADMIN'];
    return [...roles, 'OWNER', 'REMOVE'];
  }
  if (mine === 'ADMIN' && target.role === 'MEMBER') return ['ADMIN', 'REMOVE'];
  return [];
}

/** The button for an action on a member, and the question that confirms it. */
export function actionText(action: MemberAction, name: string): { button: string; label: string; confirm: string; ok: string } {
  switch (action) {
    case 'ADMIN':
      return { button: 'Make admin', label: `Make ${name} an admin`, ok: 'Make admin',
        confirm: `Make ${name} an admin? Admins can rename the group, add people and remove members.` };
    case 'MEMBER':
      return { button: 'Remove admin', label: `Make ${name} a member`, ok: 'Make member',
        confirm: `Make ${name} a plain member again? They can no longer manage the group.` };
    case 'OWNER':
      return { button: 'Make owner', label: `Make ${name} the owner`, ok: 'Transfer ownership',
        confirm: `Make ${name} the owner of this group? You become an admin, and only ${name} can change roles from then on.` };
    case 'REMOVE':
      return { button: 'Remove', label: `Remove ${name}`, ok: 'Remove',
        confirm: `Remove ${name} from the group? They no longer see it.` };
  }
}
