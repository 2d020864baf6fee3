/** The printed receipt's member lines (issue 13): name with the masked phone, points earned and the balance. */
import { describe, expect, it } from 'vitest';
import { receiptDocument } from '../../../src/main/devices/receipt-document';
import { receipt } from '../cloud/helpers';

const texts = (blocks: ReturnType<typeof receiptDocument>['blocks']) =>
  blocks.flatMap((b) => (b.type === 'text' ? [b.text] : b.type === 'pair' ? [`${b.left} | ${b.right}`] : []));

describe('the member on the printed receipt', () => {
  it('prints the member, the points earned and the balance; a receipt without a member prints none of it', () => {
    const plain = receipt({ storeCode: 'MK01', registerCode: '01' }, 1, [{ sku: 'P1', quantity: 1 }]);
    const member = { code: 'M90000001', name: '陳大文', maskedPhone: '9xxx 4567', tier: 'gold', pointsEarned: 12, pointsBalance: 1292 };
    const lines = texts(receiptDocument({ ...plain, member }).blocks);
    expect(lines).toEqual(
      expect.arrayContaining(['會員 Member 陳大文 9xxx 4567', '今次積分 Points earned | +12', '積分結餘 Points balance | 1,292']),
    );
    expect(texts(receiptDocument(plain).blocks).some((t) => t.includes('Member'))).toBe(false);
  });
});
