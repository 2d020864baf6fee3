import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLaunchOptions } from '../../../src/main/electron/launch-options';

const cwd = resolve('/home/cashier');

describe('launch options', () => {
  it('a plain launch is a windowed register on the default data folder', () => {
    expect(parseLaunchOptions(['/opt/Suanpan/suanpan'], {}, cwd)).toEqual({
      demo: false,
      kiosk: false,
      fullscreen: false,
      dataDir: null,
      devTools: false,
      customerScreen: false,
    });
  });

  it('reads the switches IT puts in a shortcut', () => {
    const options = parseLaunchOptions(['C:\\Suanpan\\Suanpan.exe', '--kiosk', '--demo', '--devtools'], {}, cwd);
    expect(options).toMatchObject({ demo: true, kiosk: true, fullscreen: false, devTools: true });
  });

  it('opens the customer screen from --customer-screen or SUANPAN_CUSTOMER_SCREEN', () => {
    expect(parseLaunchOptions(['suanpan', '--customer-screen'], {}, cwd).customerScreen).toBe(true);
    expect(parseLaunchOptions(['suanpan'], { SUANPAN_CUSTOMER_SCREEN: 'yes' }, cwd).customerScreen).toBe(true);
    expect(parseLaunchOptions(['suanpan'], {}, cwd).customerScreen).toBe(false);
  });

  it('reads switches after the app path of a development launch', () => {
    expect(parseLaunchOptions(['electron', '.', '--fullscreen'], {}, cwd).fullscreen).toBe(true);
  });

  it('turns on demo mode from SUANPAN_DEMO', () => {
    expect(parseLaunchOptions(['suanpan'], { SUANPAN_DEMO: '1' }, cwd).demo).toBe(true);
    expect(parseLaunchOptions(['suanpan'], { SUANPAN_DEMO: 'true' }, cwd).demo).toBe(true);
    expect(parseLaunchOptions(['suanpan'], { SUANPAN_DEMO: '0' }, cwd).demo).toBe(false);
  });

  it('does not take a switch that only starts like one', () => {
    expect(parseLaunchOptions(['suanpan', '--demo-store', '--kiosk-mode'], {}, cwd)).toMatchObject({ demo: false, kiosk: false });
  });

  it('takes a data folder from --data-dir before SUANPAN_DATA_DIR, relative to where it was started', () => {
    expect(parseLaunchOptions(['suanpan', '--data-dir=till-2'], { SUANPAN_DATA_DIR: '/srv/other' }, cwd).dataDir).toBe(
      resolve(cwd, 'till-2'),
    );
    expect(parseLaunchOptions(['suanpan'], { SUANPAN_DATA_DIR: '/srv/suanpan' }, cwd).dataDir).toBe('/srv/suanpan');
    expect(parseLaunchOptions(['suanpan', '--data-dir='], {}, cwd).dataDir).toBeNull();
  });
});
