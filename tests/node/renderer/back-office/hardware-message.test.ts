import { describe, expect, it } from 'vitest';
import { createI18n } from '../../../../src/renderer/i18n/create-i18n';
import { failureDetail, outcomeMessage, uriFailureDetail } from '../../../../src/renderer/back-office/hardware/hardware-message';
import { zhHK } from '../../../../src/renderer/i18n/zh-HK';

const i18n = createI18n({ getItem: () => null, setItem: () => undefined });

describe('a hardware panel’s refusal', () => {
  it('says what happened in the reader’s words; the device’s English apart, for the line labelled for IT', () => {
    const error = { code: 'DEVICE_FAILED' as const, message: 'connect ECONNREFUSED 10.0.0.20:9100' };
    expect(outcomeMessage({ bad: true, error }, i18n.t)).toEqual({
      text: zhHK.errors.DEVICE_FAILED,
      bad: true,
      detail: 'connect ECONNREFUSED 10.0.0.20:9100',
    });
  });

  it('a permission refusal has no detail; a bad URI’s detail names what is wrong on the display and scanner panels', () => {
    expect(failureDetail({ code: 'FORBIDDEN', message: 'needs hardware.manage' })).toBeNull();
    const uri = { code: 'DEVICE_URI_INVALID' as const, message: 'Unknown scheme bogus:, use tcp://, serial://, usb://' };
    expect(outcomeMessage({ bad: true, error: uri }, i18n.t, uriFailureDetail)).toEqual({
      text: zhHK.errors.DEVICE_URI_INVALID,
      bad: true,
      detail: uri.message,
    });
    expect(uriFailureDetail({ code: 'DEVICE_FAILED', message: 'timeout' })).toBeNull();
  });
});
