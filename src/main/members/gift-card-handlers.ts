/** Channel handlers of gift cards at the till (issue 13): a card by its code, and a card sold as a line. */
import type { Handlers } from '../api/router';
import type { CartService } from '../checkout/cart-service';
import { PosError } from '../../shared/errors';
import type { GiftCards } from './gift-cards';

type GiftCardChannel = 'gift:find' | 'cart:add-gift-card';

export function createGiftCardHandlers({
  giftCards,
  carts,
}: {
  giftCards: GiftCards;
  carts: CartService;
}): Pick<Handlers, GiftCardChannel> {
  return {
    'gift:find': (req) => giftCards.find(req.code),
    'cart:add-gift-card': async (req, { staff }) => {
      const card = await giftCards.find(req.code);
      if (card.status === 'void') throw new PosError('GIFT_CARD_VOID', `Gift card **** ${card.last4} is void`);
      if (card.status === 'active') throw new PosError('GIFT_CARD_ALREADY_SOLD', `Gift card **** ${card.last4} is already sold`);
      return carts.addGiftCard(staff, { hash: card.id, last4: card.last4 }, req.value);
    },
  };
}
