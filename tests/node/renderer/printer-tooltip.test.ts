/**
 * The status bar printer's tooltip is in the reader's language (it was the driver's English): what
 * the state means and what to do; the driver's own words only on a line labelled for IT.
 */
import { describe, expect, it } from 'vitest';
import type { RegisterStatus } from '../../../src/shared/schemas';
import { printerTooltip } from '../../../src/renderer/components/printer-tooltip';
import { createI18n } from '../../../src/renderer/i18n/create-i18n';

const states: RegisterStatus['printer']['state'][] = ['not-configured', 'ready', 'offline', 'paper-out', 'cover-open', 'error'];

describe('the printer tooltip', () => {
  it('in Chinese for every state, the driver’s English only after 技術資料（供 IT 參考）', async () => {
    const i18n = createI18n({ getItem: () => null, setItem: () => undefined });
    for (const state of states) {
      const tip = printerTooltip(i18n.t, { state, message: null });
      expect(tip, state).toMatch(/[\u4e00-\u9fff]/);
      expect(tip.replace(/\bIT\b/g, ''), state).not.toMatch(/[A-Za-z]/);
    }
    const offline = printerTooltip(i18n.t, { state: 'offline', message: 'connect ECONNREFUSED 127.0.0.1:9100' });
    const [words, forIt, more] = offline.split('\n');
    expect(words).toContain('打印機沒有回應');
    expect(words).not.toMatch(/[A-Za-z]/);
    expect(forIt).toBe('技術資料（供 IT 參考）：connect ECONNREFUSED 127.0.0.1:9100');
    expect(more).toBeUndefined();
    expect(printerTooltip(i18n.t, { state: 'cover-open', message: 'cover open' })).toMatch(/^打印機蓋未關：請關好打印機蓋/);
    expect(printerTooltip(i18n.t, { state: 'ready', message: null, paperNearEnd: true })).toContain('紙卷快用完');

    await i18n.changeLanguage('en');
    expect(printerTooltip(i18n.t, { state: 'paper-out', message: 'paper out' })).toBe(
      'The printer is out of paper: put in a new roll, and the receipts waiting print by themselves\nTechnical detail (for IT): paper out',
    );
  });
});
