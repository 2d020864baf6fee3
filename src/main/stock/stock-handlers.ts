/** Channels of stock at the counter (issue 14): on-hand, reasons, and the documents scanned and posted. */
import type { Handlers } from '../api/router';
import type { StockService } from './stock-service';
import type { SharedCounts } from './shared-counts';

type StockChannel = Extract<keyof Handlers, `stock:${string}`>;

export function createStockHandlers({
  stock,
  sharedCounts,
}: {
  stock: StockService;
  sharedCounts: SharedCounts;
}): Pick<Handlers, StockChannel> {
  return {
    'stock:on-hand': (req) => stock.onHand(req),
    'stock:set-reorder': (req) => {
      stock.setReorderLevel(req.productId, req.quantity);
      return stock.onHand({ text: '', lowOnly: false });
    },
    'stock:reasons': () => stock.reasons(),
    'stock:save-reason': (req, ctx) => stock.saveReason(ctx.staff, req),
    'stock:documents': (req, ctx) => stock.list(ctx.staff, req.status),
    'stock:open': (req, ctx) => stock.open(ctx.staff, req),
    'stock:document': (req, ctx) => stock.view(ctx.staff, req.documentId),
    'stock:scan': (req, ctx) => stock.scan(ctx.staff, req),
    'stock:set-line': (req, ctx) => stock.setLine(ctx.staff, req),
    // a shared count's variance and post are the cloud's (shared-counts.ts)
    'stock:variance': (req, ctx) =>
      stock.isShared(req.documentId) ? sharedCounts.variance(ctx.staff, req.documentId) : stock.variance(ctx.staff, req.documentId),
    'stock:post': (req, ctx) =>
      stock.isShared(req.documentId)
        ? sharedCounts.post(ctx.staff, req.documentId, req.acceptUnsent ?? false)
        : stock.post(ctx.staff, req.documentId),
    'stock:count-sessions': () => sharedCounts.list(),
    'stock:cancel-count': (req, ctx) => sharedCounts.cancel(ctx.staff, req.documentId, req.whole, req.reason, req.withdraw),
    'stock:join-count': (req, ctx) => sharedCounts.join(ctx.staff, req.sessionId),
    'stock:count-refresh': (req, ctx) => sharedCounts.refresh(ctx.staff, req.documentId),
    'stock:cancel': (req, ctx) => stock.cancel(ctx.staff, req.documentId),
    'stock:reason-report': (req) => stock.reasonReport(req),
    'stock:inbound': () => stock.inbound(),
    'stock:purchase-orders': () => stock.purchaseOrders(),
  };
}
