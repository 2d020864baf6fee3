import { useUi } from '../stores/stores-context';
import { DiscountDialog } from './discount-dialog';
import { LineMenuDialog } from './line-menu-dialog';
import { LookupDialog } from './lookup-dialog';
import { MemberDialog } from './member-dialog';
import { GiftCardDialog } from './gift-card-dialog';
import { MemberEnrolDialog } from './member-enrol-dialog';
import { PriceDialog } from './price-dialog';
import { QuantityDialog } from './quantity-dialog';
import { QuickAddDialog } from './quick-add-dialog';
import { RecallDialog } from './recall-dialog';
import { ReturnsDialog } from './returns-dialog';
import { SuspendDialog } from './suspend-dialog';
import { VoidDialog } from './void-dialog';
import { NoSaleDialog } from '../printing/no-sale-dialog';
import { OrdersDialog } from './orders-dialog';
import { SocialOrderDialog } from './social-order-dialog';
import { VariantDialog } from './variant-dialog';
import { OrderPickupDialog } from './order-pickup-dialog';

/** The one dialog open over the checkout, if any; a new dialog (or another line) starts fresh. */
export function DialogHost() {
  const dialog = useUi((s) => s.dialog);
  if (!dialog) return null;
  switch (dialog.kind) {
    case 'quantity':
      return <QuantityDialog key={`q${dialog.lineId}`} lineId={dialog.lineId} />;
    case 'discount':
      return <DiscountDialog key={`d${dialog.lineId ?? 'cart'}`} lineId={dialog.lineId} />;
    case 'price':
      return <PriceDialog key={`p${dialog.lineId}`} lineId={dialog.lineId} />;
    case 'line-menu':
      return <LineMenuDialog key={`m${dialog.lineId}`} lineId={dialog.lineId} />;
    case 'suspend':
      return <SuspendDialog />;
    case 'recall':
      return <RecallDialog />;
    case 'void':
      return <VoidDialog />;
    case 'no-sale':
      return <NoSaleDialog />;
    case 'returns':
      return <ReturnsDialog />;
    case 'lookup':
      return <LookupDialog />;
    case 'member':
      return <MemberDialog />;
    case 'gift-card':
      return <GiftCardDialog />;
    case 'member-enrol':
      return <MemberEnrolDialog />;
    case 'quick-add':
      return <QuickAddDialog key={dialog.code} code={dialog.code} />;
    case 'orders':
      return <OrdersDialog />;
    case 'social-order':
      return <SocialOrderDialog />;
    case 'variants':
      return <VariantDialog key={dialog.productId} productId={dialog.productId} nameZh={dialog.nameZh} nameEn={dialog.nameEn} />;
    case 'order-pickup':
      return <OrderPickupDialog key={dialog.orderNo} orderNo={dialog.orderNo} />;
  }
}
