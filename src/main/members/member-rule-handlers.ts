/** Channel handlers of the member rules as this register holds them (head office's once enrolled). */
import type { Handlers } from '../api/router';
import type { Db } from '../db/open';
import { readMemberRules, setLocalMemberRules } from './member-rules';

export function createMemberRuleHandlers({ db }: { db: Db }): Pick<Handlers, 'member:rules' | 'member:set-rules'> {
  return {
    'member:rules': () => readMemberRules(db),
    'member:set-rules': (req) => setLocalMemberRules(db, req),
  };
}
