/**
 * On-hand as the register shows it: the cloud's figure for this store as of the last pull, plus
 * what this register sold or took back that this figure does not hold yet (pulled-figures.ts says
 * which). Once the queue is empty and a pull has run, it equals the cloud's on-hand exactly.
 */
import type { Db } from '../db/open';
import { prepared } from '../db/prepared';
import { REFS_NOT_IN_PULLED_FIGURES } from './pulled-figures';

export function registerOnHandMilli(db: Db, sku: string): number {
  return prepared<{ sku: string }, number>(
    db,
    `SELECT coalesce((SELECT on_hand_milli FROM cloud_stock WHERE sku = :sku), 0)
          + coalesce((SELECT sum(m.quantity_milli) FROM stock_movement m JOIN product p ON p.id = m.product_id
                      JOIN (${REFS_NOT_IN_PULLED_FIGURES}) o ON o.ref = m.source
                      WHERE p.sku = :sku), 0)`,
  )
    .pluck()
    .get({ sku }) as number;
}
