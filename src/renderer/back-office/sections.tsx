/**
 * The back office's sections, in menu order. Each area of the register adds its own row here:
 * an id (also the test id suffix), its title key, the permission that shows it, and the component.
 * The back-office screen shows the sections the logged-in staff member may use and nothing else;
 * main checks the same permission on every channel the section calls.
 */
import type { ComponentType } from 'react';
import type { Permission } from '../../shared/permissions';

export interface BackOfficeSection {
  id: string;
  /** An i18n key for the menu entry and the section title. */
  titleKey: string;
  requires: Permission;
  Component: ComponentType;
}

export const backOfficeSections: readonly BackOfficeSection[] = [];
