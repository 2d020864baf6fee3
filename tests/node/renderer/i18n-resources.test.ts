import { describe, expect, it } from 'vitest';
import { errorCodes } from '../../../src/shared/errors';
import { outboxKinds } from '../../../src/shared/outbox-kinds';
import { en } from '../../../src/renderer/i18n/en';
import { zhHK } from '../../../src/renderer/i18n/zh-HK';
import { errorText } from '../../../src/renderer/hooks/use-error-text';
import { createI18n, LANGUAGE_STORAGE_KEY, storedLocale, type LanguageStorage } from '../../../src/renderer/i18n/create-i18n';

function keyPaths(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, child]) => keyPaths(child, prefix ? `${prefix}.${key}` : key));
}

function leaves(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Object.values(value as object).flatMap(leaves);
}

function memoryStorage(initial: Record<string, string> = {}): LanguageStorage & { data: Map<string, string> } {
  const data = new Map(Object.entries(initial));
  return { data, getItem: (key) => data.get(key) ?? null, setItem: (key, value) => void data.set(key, value) };
}

describe('translations', () => {
  it('zh-HK and en have exactly the same keys', () => {
    expect(keyPaths(en).sort()).toEqual(keyPaths(zhHK).sort());
  });

  it('names every outbox kind, so a document the cloud put aside is listed as what it is (銷售, 交更 …)', async () => {
    const i18next = createI18n(memoryStorage());
    for (const kind of outboxKinds) {
      const zh = i18next.t(`cloudSync.outboxKind.${kind}`);
      expect(zh, kind).toMatch(/[\u4e00-\u9fff]/);
      await i18next.changeLanguage('en');
      expect(i18next.t(`cloudSync.outboxKind.${kind}`), kind).toMatch(/^[A-Z][a-z]/);
      await i18next.changeLanguage('zh-HK');
    }
  });

  it('no string is blank in either language', () => {
    for (const text of [...leaves(zhHK), ...leaves(en)]) expect(text.trim()).not.toBe('');
  });

  it('every {{placeholder}} appears in both languages of the same key', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    const zhPaths = keyPaths(zhHK);
    const read = (tree: unknown, path: string) =>
      path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], tree) as string;
    for (const path of zhPaths) expect([path, placeholders(read(en, path))]).toEqual([path, placeholders(read(zhHK, path))]);
  });

  it('the Chinese uses Hong Kong counter words, not simplified or Mainland terms', () => {
    const zh = leaves(zhHK).join('\n');
    for (const word of ['收银', '条码', '扫描', '找零', '小票', '库存', '登录', '打印机']) expect(zh).not.toContain(word);
    for (const word of [
      '收銀員',
      '條碼',
      '掃描',
      '待同步',
      '登入',
      '登出',
      '找續',
      '掛單',
      '取單',
      '退貨',
      '換貨',
      '退款',
      '收據',
      '重印收據',
      '折扣',
      '優惠',
    ]) {
      expect(zh).toContain(word);
    }
  });

  it('every error code main can answer has words in both languages', () => {
    for (const code of errorCodes) {
      expect(zhHK.errors[code], code).toBeTruthy();
      expect(en.errors[code], code).toBeTruthy();
    }
  });
});

describe('language choice', () => {
  it('starts in Hong Kong Chinese on a new till', () => {
    const i18n = createI18n(memoryStorage());
    expect(i18n.language).toBe('zh-HK');
    expect(i18n.t('login.title')).toBe('登入');
  });

  it('remembers English across restarts', async () => {
    const storage = memoryStorage();
    await createI18n(storage).changeLanguage('en');
    expect(storage.data.get(LANGUAGE_STORAGE_KEY)).toBe('en');
    const next = createI18n(storage);
    expect(next.language).toBe('en');
    expect(next.t('action.logout')).toBe('Log out');
  });

  it('ignores a stored value that is not a supported language', () => {
    expect(storedLocale(memoryStorage({ [LANGUAGE_STORAGE_KEY]: 'fr' }))).toBe('zh-HK');
    expect(storedLocale(null)).toBe('zh-HK');
  });

  it('still starts when storage throws', () => {
    const broken: LanguageStorage = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
    };
    const i18n = createI18n(broken);
    expect(i18n.language).toBe('zh-HK');
    return expect(i18n.changeLanguage('en')).resolves.toBeTypeOf('function');
  });
});

describe('a refusal from main, in the cashier’s language (issue 10)', () => {
  const refusal = { code: 'BAD_REQUEST' as const, message: 'Tenders cover HK$24.00 of HK$32.50 due' };

  it('a Chinese screen shows the words for the code, never main’s English message', () => {
    const i18n = createI18n(memoryStorage());
    expect(errorText(i18n, refusal)).toBe(zhHK.errors.BAD_REQUEST);
    for (const code of errorCodes) expect(errorText(i18n, { code, message: 'English detail' }), code).toBe(zhHK.errors[code]);
  });

  it('each way an enrolment is refused says, in Chinese only, what shop IT does next; the wait in the cloud’s seconds', async () => {
    const i18n = createI18n(memoryStorage());
    const refusals = [
      'ENROLMENT_CODE_INVALID',
      'ENROLMENT_CODE_USED',
      'ENROLMENT_CODE_EXPIRED',
      'ALREADY_ENROLLED',
      'CLOUD_UNREACHABLE',
      'CLOUD_CERTIFICATE',
      'CLOUD_NOT_SUANPAN',
      'CLOUD_FAILED',
      'ENROLMENT_REFUSED',
    ] as const;
    for (const code of refusals) {
      const words = errorText(i18n, { code, message: 'The cloud at https://cloud.example did not answer', detail: 'ECONNREFUSED' });
      expect(words, code).toMatch(/：.*請/);
      // no English sentence: at most a protocol's or an example address's letters
      expect(words.replace(/https?:\/\/[\w./]+|\bhttps?\b|\bHTTPS\b|\bIT\b|\/hq/g, ''), code).not.toMatch(/[A-Za-z]/);
    }
    const limited = { code: 'ENROLMENT_RATE_LIMITED' as const, message: 'Too many attempts', values: { seconds: 42 } };
    expect(errorText(i18n, limited)).toBe('登記嘗試次數過多，雲端暫停接受：請等 42 秒後再試');
    await i18n.changeLanguage('en');
    expect(errorText(i18n, limited)).toBe('Too many enrolment attempts, the cloud is pausing them: wait 42 seconds, then try again');
  });

  it('an English screen adds which rule was broken', () => {
    const i18n = createI18n(memoryStorage({ [LANGUAGE_STORAGE_KEY]: 'en' }));
    expect(errorText(i18n, refusal)).toBe(`${en.errors.BAD_REQUEST} (Tenders cover HK$24.00 of HK$32.50 due)`);
  });
});
