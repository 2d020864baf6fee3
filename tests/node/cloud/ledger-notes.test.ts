/**
 * Whose words a ledger note is (cloudWroteNote, isCloudNote): the console labels the cloud's own
 * English line from before migration 0036 for IT and shows a person's reason as typed.
 */
import { describe, expect, it } from 'vitest';
import { cloudWroteNote, isCloudNote } from '../../../cloud/domain/members';

const register = 'register:0b6f1c2e-7a51-4a43-9a5e-2f0d8c1e9a10';

describe('whose words a ledger note is', () => {
  it('an adjustment’s reason and a head office void’s are a person’s; a return’s void and every other note the cloud’s', () => {
    expect(cloudWroteNote('adjust', 'hq:owner@shop.hk')).toBe(false);
    expect(cloudWroteNote('adjust', 'admin')).toBe(false);
    expect(cloudWroteNote('void', 'hq:owner@shop.hk')).toBe(false);
    expect(cloudWroteNote('void', 'admin')).toBe(false);
    expect(cloudWroteNote('void', null)).toBe(false);
    expect(cloudWroteNote('void', register)).toBe(true);
    for (const reason of ['issue', 'release', 'redeem', 'refund', 'earn', 'reverse'] as const) {
      expect(cloudWroteNote(reason, register)).toBe(true);
    }
    expect(cloudWroteNote('issue', 'admin')).toBe(true);
  });

  it('is labelled only when there is a note and nothing to say it from', () => {
    expect(isCloudNote('released by the register (cart-voided): no sale carries it', null, 'release', register)).toBe(true);
    expect(isCloudNote('batch B1', { case: 'issued_in_batch', batch: 'B1' }, 'issue', 'admin')).toBe(false);
    expect(isCloudNote(null, null, 'redeem', register)).toBe(false);
    expect(isCloudNote('顧客投訴補償', null, 'adjust', 'hq:owner@shop.hk')).toBe(false);
  });
});
