/**
 * `npm run devices -- display <uri> <line1> <line2> [--profile <name>]`: writes two lines to a pole
 * display once and says whether it worked, for IT and remote support without the register.
 */
import { createPoleDisplay } from '../../../drivers/display';
import { DeviceUriError, parseDeviceUri } from '../../../drivers/transports';
import { DisplayCommandSetName } from '../../shared/customer-display-schemas';
import { PosError } from '../../shared/errors';

export interface DisplayCheck {
  uri: string;
  profile: string;
  line1: string;
  line2: string;
}

/** Resolves with what the display now shows (20 columns each); a port that will not open is DEVICE_FAILED. */
export async function showOnDisplayOnce(check: DisplayCheck): Promise<{ uri: string; lines: readonly [string, string] }> {
  const profile = DisplayCommandSetName.safeParse(check.profile);
  if (!profile.success)
    throw new PosError('BAD_REQUEST', `unknown display profile "${check.profile}"; use one of ${DisplayCommandSetName.options.join(', ')}`);
  try {
    parseDeviceUri(check.uri);
  } catch (error) {
    if (error instanceof DeviceUriError) throw new PosError('DEVICE_URI_INVALID', error.message);
    throw error;
  }
  return new Promise((resolve, reject) => {
    const display = createPoleDisplay({
      commandSet: profile.data,
      uri: check.uri,
      onStateChange: (state, detail) => {
        if (state !== 'disconnected') return;
        reject(new PosError('DEVICE_FAILED', `${check.uri}: ${detail?.message ?? 'the display port did not open'}`));
        void display.close();
      },
    });
    void display.show(check.line1, check.line2).then(async () => {
      const lines = display.current();
      await display.close();
      resolve({ uri: check.uri, lines });
    });
  });
}
