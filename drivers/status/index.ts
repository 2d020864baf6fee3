export {
  parseStatusReplies,
  queryPrinterStatus,
  type DrawerSensor,
  type PrinterStatus,
  type StatusGarbled,
  type StatusParse,
  type StatusResult,
} from './printer-status';
