import { describe, expect, it } from 'vitest';
import { quarantineReasonName, quarantineReasons } from '../../../src/shared/quarantine-reasons';

describe('every quarantine reason has a name (the console and the register read the same)', () => {
  it('in zh-HK and in English, never as its bare code', () => {
    for (const reason of quarantineReasons) {
      const zh = quarantineReasonName((zhHK) => zhHK, reason);
      const en = quarantineReasonName((_zhHK, english) => english, reason);
      expect(zh, reason).not.toBe(reason);
      expect(en, reason).not.toBe(reason);
      expect(zh, reason).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('shows a code it does not know (a row from another cloud version) as the code', () => {
    expect(quarantineReasonName((_zhHK, english) => english, 'SOMETHING_NEW')).toBe('SOMETHING_NEW');
  });
});
