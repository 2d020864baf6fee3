export { openDisplayPeer, type DisplayPeer } from './display-peer';
export { createDisplayScreen, type DisplayScreen } from './display-screen';
export {
  startPrinterEmulator,
  statusBytesFor,
  type EmulatedJob,
  type EmulatedState,
  type EmulatorBehaviour,
  type PrinterEmulator,
  type PrinterEmulatorOptions,
} from './printer-emulator';
export { startSocatPair, type SocatPair, type SocatPairOptions } from './socat-pair';
export { startLabelPrinterEmulator, type LabelPrinterEmulator } from './label-printer-emulator';
