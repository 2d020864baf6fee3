/**
 * The back office's sections, in menu order. Each area of the register adds its own row here:
 * an id (also the test id suffix), its title key, the permission that shows it, and the component.
 * The back-office screen shows the sections the logged-in staff member may use and nothing else;
 * main checks the same permission on every channel the section calls.
 */
import type { ComponentType } from 'react';
import type { Permission } from '../../shared/permissions';
import { PaymentMethodsSection } from './payment-methods/payment-methods-section';
import { SyncSection } from './sync/sync-section';
import { BackupSection } from './backup/backup-section';
import { UpdatesSection } from './updates/updates-section';
import { HealthSection } from './health/health-section';
import { ShiftSection } from './shift/shift-section';
import { DayCloseSection } from './shift/day-close-section';
import { ReportsSection } from './reports/reports-section';
import { StaffSection } from './staff/staff-section';
import { RolesSection } from './staff/roles-section';
import { AuditSection } from './audit/audit-section';
import { HardwareSection } from './hardware/hardware-section';
import { StockSection } from './stock/stock-section';
import { LabelsSection } from './labels/labels-section';
import { TrainingSection } from './training/training-section';

export interface BackOfficeSection {
  id: string;
  /** An i18n key for the menu entry and the section title. */
  titleKey: string;
  requires: Permission;
  Component: ComponentType;
}

export const backOfficeSections: readonly BackOfficeSection[] = [
  { id: 'payment-methods', titleKey: 'paymentMethods.title', requires: 'settings.edit', Component: PaymentMethodsSection },
  { id: 'stock', titleKey: 'stock.title', requires: 'stock.view', Component: StockSection },
  { id: 'labels', titleKey: 'labels.title', requires: 'labels.print', Component: LabelsSection },
  { id: 'shift', titleKey: 'shift.title', requires: 'shift.manage', Component: ShiftSection },
  { id: 'day-close', titleKey: 'dayClose.title', requires: 'day.close', Component: DayCloseSection },
  { id: 'reports', titleKey: 'reports.title', requires: 'reports.view', Component: ReportsSection },
  { id: 'staff', titleKey: 'staffAdmin.title', requires: 'staff.manage', Component: StaffSection },
  { id: 'roles', titleKey: 'rolesAdmin.title', requires: 'roles.manage', Component: RolesSection },
  { id: 'audit', titleKey: 'auditAdmin.title', requires: 'audit.view', Component: AuditSection },
  { id: 'hardware', titleKey: 'hardware.title', requires: 'hardware.setup', Component: HardwareSection },
  { id: 'sync', titleKey: 'cloudSync.title', requires: 'sync.manage', Component: SyncSection },
  { id: 'backup', titleKey: 'backupAdmin.title', requires: 'backup.manage', Component: BackupSection },
  { id: 'updates', titleKey: 'updatesAdmin.title', requires: 'backup.manage', Component: UpdatesSection },
  { id: 'health', titleKey: 'health.title', requires: 'backup.manage', Component: HealthSection },
  { id: 'training', titleKey: 'trainingAdmin.title', requires: 'training.manage', Component: TrainingSection },
];
