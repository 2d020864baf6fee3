/**
 * The demo shop's members, as if pulled from head office: one with a phone (gold, so the demo's
 * member price applies), one without (found by card code only). Ids far above a real cloud's, so
 * a demo register enrolled with a cloud never confuses them with its members.
 */
import type { FeedMember } from '../../shared/change-feed';

export const demoMembers: readonly FeedMember[] = [
  {
    id: 90_000_001,
    code: 'M90000001',
    name: '陳大文',
    phone: '91234567',
    tier: 'gold',
    active: true,
    points: 1280,
    storeCredit: 5000,
    aliases: [],
  },
  {
    id: 90_000_002,
    code: 'M90000002',
    name: '李美華',
    phone: null,
    tier: 'standard',
    active: true,
    points: 300,
    storeCredit: 0,
    aliases: [],
  },
];
