import { describe, expect, it } from 'vitest';
import type { Conversation, Member } from './conversations';
import { actionText, memberActions, myRoleIn, sortedMembers } from './roles';

const member = (id: string, name: string, role: Member['role']): Member => ({
  role, joinedAt: '2026-01-01T00:00:00.000Z', readSeq: 0, deliveredSeq: 0, user: { id, displayName: name, presence: null },
});
const owner = member('UO', 'Olga', 'OWNER');
const admin = member('UA', 'Ada', 'ADMIN');
const plain = member('UM', 'Max', 'MEMBER');
const plain2 = member('UB', 'Bea', 'MEMBER');

function group(members: Member[], myRole: Member['role'] | null): Conversation {
  return {
    id: 'G1', kind: 'GROUP', title: 'Team', createdAt: '', lastActivityAt: '', lastSeq: 0, myRole, unreadCount: 0,
    lastMessage: null, members,
  } as Conversation;
}

describe('group roles', () => {
  it('reads my role from the member list, which events keep current (myRole is null there)', () => {
    // A MembershipEvent after the owner transferred ownership to Ada: the stale myRole loses to the list.
    const after = group([member('UO', 'Olga', 'ADMIN'), member('UA', 'Ada', 'OWNER')], 'OWNER');
    expect(myRoleIn(after, 'UO')).toBe('ADMIN');
    expect(myRoleIn(group([], 'ADMIN'), 'UX')).toBe('ADMIN');
    expect(myRoleIn(group([], null), 'UX')).toBe('MEMBER');
  });

  it('lets the owner set roles, transfer ownership and remove anyone but themselves', () => {
    expect(memberActions('OWNER', plain, 'UO')).toEqual(['ADMIN', 'OWNER', 'REMOVE']);
    expect(memberActions('OWNER', admin, 'UO')).toEqual(['MEMBER', 'OWNER', 'REMOVE']);
    expect(memberActions('OWNER', owner, 'UO')).toEqual([]);
  });

  it('lets admins promote and remove plain members only, and members nothing', () => {
    expect(memberActions('ADMIN', plain, 'UA')).toEqual(['ADMIN', 'REMOVE']);
    expect(memberActions('ADMIN', member('UC', 'Cy', 'ADMIN'), 'UA')).toEqual([]);
    expect(memberActions('ADMIN', owner, 'UA')).toEqual([]);
    expect(memberActions('MEMBER', plain2, 'UM')).toEqual([]);
  });

  it('sorts owner, admins, members, then by name; words every action with a confirmation', () => {
    expect(sortedMembers(group([plain, plain2, admin, owner], null)).map((m) => m.user.displayName)).toEqual(['Olga', 'Ada', 'Bea', 'Max']);
    expect(actionText('OWNER', 'Max')).toMatchObject({ label: 'Make Max the owner', ok: 'Transfer ownership' });
    expect(actionText('OWNER', 'Max').confirm).toMatch(/You become an admin/);
    expect(actionText('MEMBER', 'Ada').label).toBe('Make Ada a member');
  });
});
