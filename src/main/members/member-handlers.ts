/** Channel handlers of the F8 member panel: find, enrol, and the member on the open cart. */
import type { Handlers } from '../api/router';
import type { CartService } from '../checkout/cart-service';
import type { MemberService } from './member-service';

type MemberChannel = 'cart:set-member' | 'member:find' | 'member:enrol' | 'member:history';

export function createMemberHandlers({ members, carts }: { members: MemberService; carts: CartService }): Pick<Handlers, MemberChannel> {
  return {
    'cart:set-member': (req, { staff }) => carts.setMember(staff, req.code, req.approval),
    'member:find': (req) => members.find(req.query),
    'member:enrol': (req, { staff }) => members.enrol(staff, req),
    'member:history': (req) => members.history(req.code),
  };
}
