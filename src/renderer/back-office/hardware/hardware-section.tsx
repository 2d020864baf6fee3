/**
 * 硬件設定 (back office, needs `hardware.setup`): the receipt printer and cash drawer panels, then
 * the customer display and scanner panels. Every test talks to the real device through main and
 * shows main's typed error when it fails.
 */
import { DisplayPanel } from './display-panel';
import { DrawerPanel } from './drawer-panel';
import { LabelPrinterPanel } from './label-printer-panel';
import { LogoPanel } from './logo-panel';
import { PrinterPanel } from './printer-panel';
import { ScannerPanel } from './scanner-panel';

export function HardwareSection() {
  return (
    <div className="device-panels hardware-section" data-testid="hardware-section">
      <PrinterPanel />
      <DrawerPanel />
      <LogoPanel />
      <LabelPrinterPanel />
      <DisplayPanel />
      <ScannerPanel />
    </div>
  );
}
