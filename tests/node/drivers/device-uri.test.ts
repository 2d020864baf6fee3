import { describe, expect, it } from 'vitest';
import { DeviceUriError, formatDeviceUri, parseDeviceUri } from '../../../drivers/transports/device-uri';
import { openTransport } from '../../../drivers/transports/open-transport';

describe('device URIs', () => {
  it('parses every scheme IT types', () => {
    expect(parseDeviceUri('tcp://10.0.0.20:9100')).toEqual({ scheme: 'tcp', host: '10.0.0.20', port: 9100 });
    expect(parseDeviceUri('tcp://printer.local')).toEqual({ scheme: 'tcp', host: 'printer.local', port: 9100 });
    expect(parseDeviceUri('tcp://[fe80::1]:9101')).toEqual({ scheme: 'tcp', host: 'fe80::1', port: 9101 });
    expect(parseDeviceUri('serial:///dev/ttyUSB0?baud=9600')).toEqual({
      scheme: 'serial',
      path: '/dev/ttyUSB0',
      baudRate: 9600,
      dataBits: 8,
      parity: 'none',
      stopBits: 1,
      flow: 'none',
    });
    expect(parseDeviceUri('serial://com3?baud=19200&parity=even&databits=7&flow=rtscts')).toMatchObject({
      path: 'COM3',
      baudRate: 19200,
      parity: 'even',
      dataBits: 7,
      flow: 'rtscts',
    });
    expect(parseDeviceUri('usb://04b8:0202')).toEqual({ scheme: 'usb', vendorId: 0x04b8, productId: 0x0202 });
    expect(parseDeviceUri('hid://05E0:1200')).toEqual({ scheme: 'hid', vendorId: 0x05e0, productId: 0x1200 });
    expect(parseDeviceUri('spooler://EPSON_TM_T88')).toEqual({ scheme: 'spooler', name: 'EPSON_TM_T88' });
    expect(parseDeviceUri('file:///var/tmp/receipt.bin')).toEqual({ scheme: 'file', path: '/var/tmp/receipt.bin' });
    expect(parseDeviceUri('file:///C:/receipts/r.bin')).toEqual({ scheme: 'file', path: 'C:/receipts/r.bin' });
  });

  it('formats back to a canonical URI', () => {
    for (const uri of [
      'tcp://10.0.0.20:9100',
      'serial:///dev/ttyUSB0?baud=9600',
      'usb://04b8:0202',
      'spooler://EPSON_TM_T88',
      'file:///dev/usb/lp0',
      'serial:///dev/ttyS0?baud=2400&parity=odd',
    ]) {
      expect(formatDeviceUri(parseDeviceUri(uri))).toBe(uri);
    }
  });

  it.each([
    ['printer://x', /unknown scheme "printer"; supported: tcp, serial, usb, spooler, file, hid/],
    ['10.0.0.20:9100', /expected scheme:\/\//],
    ['tcp://:9100', /missing host/],
    ['tcp://10.0.0.20:0', /port must be 1\.\.65535, got 0/],
    ['tcp://10.0.0.20:70000', /port must be 1\.\.65535, got 70000/],
    ['tcp://10.0.0.20:http', /port must be a number/],
    ['tcp://10.0.0.20:9100?timeout=3', /unknown parameter "timeout"/],
    ['serial:///dev/ttyUSB0?baud=9601', /baud must be one of/],
    ['serial:///dev/ttyUSB0?baud', /malformed parameter "baud"/],
    ['serial:///dev/ttyUSB0?baud=9600&baud=19200', /given twice/],
    ['serial://dev/ttyUSB0', /absolute device path/],
    ['serial://', /missing port/],
    ['usb://4b8:202', /4-digit hex/],
    ['spooler://', /missing printer queue name/],
    ['spooler://My Printer', /may not contain spaces/],
    ['file://relative/path', /absolute path/],
    ['file:///tmp/%E0%A4%A', /malformed percent-encoding/],
  ])('rejects %s with DeviceUriError', (uri, message) => {
    expect(() => parseDeviceUri(uri)).toThrow(DeviceUriError);
    expect(() => parseDeviceUri(uri)).toThrow(message);
    try {
      parseDeviceUri(uri);
    } catch (e) {
      expect(e).toMatchObject({ code: 'DEVICE_URI_INVALID', uri });
    }
  });

  it('rejects an unknown scheme when opening, before touching any device', async () => {
    await expect(openTransport('lpt://1')).rejects.toMatchObject({ code: 'DEVICE_URI_INVALID' });
    await expect(openTransport('hid://05e0:1200')).rejects.toThrow(/scanner/);
  });
});
