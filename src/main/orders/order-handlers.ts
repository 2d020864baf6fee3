/** Channels of 網上訂單 at the till (issue 15): the queue, moves, the pick list, collecting, social orders. */
import type { Handlers } from '../api/router';
import type { OrderService } from './order-service';

type OrderChannel = Extract<keyof Handlers, `order:${string}`>;

export function createOrderHandlers({ orders }: { orders: OrderService }): Pick<Handlers, OrderChannel> {
  return {
    'order:list': (req) => orders.list(req.filter),
    'order:move': (req, { staff }) => orders.move(staff, req.orderNo, req.to, req.reason),
    'order:print-pick-list': (req, { staff }) => orders.printPickList(staff, req.orderNo),
    'order:collect': (req, { staff }) => orders.collect(staff, req.code),
    'order:pickup': (req, { staff }) => orders.pickup(staff, req),
    'order:create': (req, { staff }) => orders.create(staff, req),
    'order:acknowledge': (req) => orders.acknowledge(req.orderNo),
  };
}
