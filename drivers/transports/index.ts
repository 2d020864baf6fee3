export { DeviceUriError, formatDeviceUri, parseDeviceUri, SUPPORTED_SCHEMES, type DeviceScheme, type DeviceUri } from './device-uri';
export { listSerialPorts, type SerialPortInfo } from './list-devices';
export { openTransport, type OpenTransportOptions } from './open-transport';
export { windowsSharePath } from './spooler-transport';
export {
  TransportClosedError,
  TransportError,
  TransportOpenError,
  TransportTimeoutError,
  TransportWriteError,
  UnsupportedTransportError,
  type Transport,
  type TransportClosed,
  type WriteOptions,
} from './transport';
export { resolveUsbPrinterNode } from './usb-transport';
