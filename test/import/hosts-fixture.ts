import type { SeedMeeting } from '../../emulator/index.js';

/** Hosts and invitations as Webex has them: an admin token is a user too (the seeds' default host). */
export const ADMIN = 'host@example.com';
export const ALICE = 'alice@example.com';
export const BOB = 'bob@example.com';
export const HOSTS = {
  adminOwn: 'c3000000000000000000000000000001',
  aliceInvitesAdmin: 'c3000000000000000000000000000002',
  aliceOwn: 'c3000000000000000000000000000003',
  bobInvitesAlice: 'c3000000000000000000000000000004',
  bobOwn: 'c3000000000000000000000000000005',
};
const slot = (day: number) => ({ timezone: 'UTC', start: `2027-02-${String(day).padStart(2, '0')}T10:00:00Z`, end: `2027-02-${String(day).padStart(2, '0')}T10:30:00Z` });
export const HOSTED: SeedMeeting[] = [
  { id: HOSTS.adminOwn, title: 'Admin own', ...slot(1) },
  { id: HOSTS.aliceInvitesAdmin, title: 'Alice invites admin', hostEmail: ALICE, invitees: [ADMIN], ...slot(2) },
  { id: HOSTS.aliceOwn, title: 'Alice own', hostEmail: ALICE, ...slot(3), recurrence: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=WE;COUNT=5' },
  { id: HOSTS.bobInvitesAlice, title: 'Bob invites Alice', hostEmail: BOB, invitees: [ALICE], ...slot(4) },
  { id: HOSTS.bobOwn, title: 'Bob own', hostEmail: BOB, ...slot(5) },
];

