/**
 * An order refusal says what happened to this order and what to do there: the cloud's CLAIM_STANDING
 * and CLAIM_RELEASED answers have words of their own (not the generic 資料已被更改…), and a clash
 * says where 知道了 is from where the cashier reads it.
 */
import { describe, expect, it } from 'vitest';
import { errorText } from '../../../src/renderer/hooks/use-error-text';
import { createI18n } from '../../../src/renderer/i18n/create-i18n';

const i18nFor = async (language: 'zh-HK' | 'en') => {
  const i18n = createI18n({ getItem: () => null, setItem: () => undefined });
  await i18n.changeLanguage(language);
  return i18n;
};

const message = 'An earlier claim of this register on order C1 is still being released: nothing was collected';

describe('a sale refused because of the order’s claim in the cloud', () => {
  it('another claim of this register still standing: says so in Chinese, that nothing was collected, and to wait and try again', async () => {
    const zh = errorText(await i18nFor('zh-HK'), { code: 'ORDER_CLAIM_STANDING', message });
    const generic = errorText(await i18nFor('zh-HK'), { code: 'CONFLICT', message });
    expect(zh).not.toBe(generic);
    expect(zh).toContain('本機');
    expect(zh).toContain('未有取貨');
    expect(zh).toMatch(/請稍候.*再試/);
    expect(zh).not.toMatch(/[A-Za-z]/);
    const en = errorText(await i18nFor('en'), { code: 'ORDER_CLAIM_STANDING', message });
    expect(en).toMatch(/^An earlier sale on this register .* nothing was collected: wait a moment and try again/);
    expect(en).not.toContain(message);
  });

  it('a claim released before the cloud got it: nothing was collected, try again', async () => {
    const zh = errorText(await i18nFor('zh-HK'), { code: 'ORDER_CLAIM_RELEASED', message: 'The claim on order C1 was released meanwhile' });
    expect(zh).toMatch(/未有取貨：請再試一次$/);
    expect(zh).not.toMatch(/[A-Za-z]/);
    expect(errorText(await i18nFor('en'), { code: 'ORDER_CLAIM_RELEASED', message: 'x' })).toMatch(/nothing was collected: try again$/);
  });
});

describe('a clash refusal, where the cashier reads it', () => {
  const clash = {
    code: 'ORDER_CLASH' as const,
    message: 'Order C1 clashed with MK01-02: acknowledge the clash before handing over more of it',
  };

  it('on the till: open 網上訂單 (Shift+F5) and press 知道了', async () => {
    const zh = errorText(await i18nFor('zh-HK'), clash);
    expect(zh).toContain('網上訂單 (Shift+F5)');
    expect(zh).toContain('知道了');
  });

  it('inside 網上訂單: the clash is on this order, press 知道了 there; no Shift+F5', async () => {
    for (const language of ['zh-HK', 'en'] as const) {
      const words = errorText(await i18nFor(language), clash, 'orders');
      expect(words, language).not.toContain('Shift+F5');
      expect(words, language).toContain(language === 'en' ? 'Got it' : '知道了');
    }
  });

  it('in its pickup form: back to 網上訂單 with Esc, then 知道了', async () => {
    const zh = errorText(await i18nFor('zh-HK'), clash, 'order-pickup');
    expect(zh).toContain('Esc');
    expect(zh).toContain('知道了');
    expect(zh).not.toContain('Shift+F5');
  });

  it('other refusals read the same wherever they show', async () => {
    const i18n = await i18nFor('zh-HK');
    const final = { code: 'ORDER_FINAL' as const, message: 'x' };
    expect(errorText(i18n, final, 'orders')).toBe(errorText(i18n, final));
  });
});
