export { kickDrawer, printJob, readPrinterStatus, type DeviceTarget, type PrintJobOptions, type PrintJobResult } from './print-job';
