import { describe, expect, it } from 'vitest';
import { quarantineReasons } from '../../../cloud/hq/contract';
import { reasonName } from '../../../cloud/console/quarantine-reasons';

describe('the console names every quarantine reason', () => {
  it('in zh-HK and in English, never as its bare code', () => {
    for (const reason of quarantineReasons) {
      const zh = reasonName((zhHK) => zhHK, reason);
      const en = reasonName((_zhHK, english) => english, reason);
      expect(zh, reason).not.toBe(reason);
      expect(en, reason).not.toBe(reason);
      expect(zh, reason).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('shows a code it does not know (a row from another cloud version) as the code', () => {
    expect(reasonName((_zhHK, english) => english, 'SOMETHING_NEW')).toBe('SOMETHING_NEW');
  });
});
