export { aimSymbologyName } from './aim-symbology';
export { createHidPosAssembler, HidReportError, parseHidPosReport, type HidPosReport, type Scan } from './hid-pos-report';
export { createHidScanner, type HidDeviceLike, type HidScanner, type HidScannerOptions, type HidScannerState } from './hid-scanner';
export { createKeyboardReportDecoder } from './keyboard-report';
export { HidDeviceError, listHidDevices, openNodeHidDevice, type HidDeviceInfo } from './node-hid-device';
