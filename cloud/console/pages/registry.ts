/**
 * The console's screens, in menu order: the extension point for every issue that brings its own
 * head office screen (members, stock, orders, IT ops …). To add one:
 *
 * 1. its permissions in cloud/hq/contract.ts (`permissions`), its routes in cloud/hq/routes/ and
 *    their module in `hqRouteModules` (cloud/hq/index.ts);
 * 2. its component in cloud/console/pages/<name>.tsx (words in both languages with `useTr()`);
 * 3. one entry below. The menu shows it to the roles that hold `permission`; the server refuses
 *    the rest whatever the menu shows. `path` is the address under /hq/ (bookmarkable).
 * 4. a case in tests/e2e/screens.spec.ts (1024×768 and 1366×768).
 */
import type { ComponentType } from 'react';
import type { Permission } from '../../hq/contract';
import { AccountPage } from './account';
import { AuditPage } from './audit';
import { CataloguePage } from './catalogue';
import { CatalogueImportPage } from './catalogue-import';
import { DashboardPage } from './dashboard';
import { PromotionsPage } from './promotions';
import { MallExportPage } from './mall-export';
import { MembersPage } from './members';
import { OrdersPage } from './orders';
import { QuarantinePage } from './quarantine';
import { RegisterStaffPage } from './register-staff';
import { ReportsPage } from './reports';
import { StockPage } from './stock';
import { StoresPage } from './stores';
import { UsersPage } from './users';

export interface ConsolePage {
  /** also the data-testid of its menu entry: `nav-<id>` */
  id: string;
  /** the address under /hq/, e.g. 'catalogue' → /hq/catalogue ('' is the dashboard) */
  path: string;
  title: { zh: string; en: string };
  permission: Permission;
  component: ComponentType;
}

export const consolePages: readonly ConsolePage[] = [
  { id: 'dashboard', path: '', title: { zh: '概覽', en: 'Dashboard' }, permission: 'dashboard.view', component: DashboardPage },
  {
    id: 'stores',
    path: 'stores',
    title: { zh: '分店及收銀機', en: 'Stores & registers' },
    permission: 'stores.view',
    component: StoresPage,
  },
  {
    id: 'quarantine',
    path: 'quarantine',
    title: { zh: '待處理單據', en: 'Quarantine' },
    permission: 'quarantine.view',
    component: QuarantinePage,
  },
  {
    id: 'catalogue',
    path: 'catalogue',
    title: { zh: '貨品及價錢', en: 'Products & prices' },
    permission: 'catalogue.view',
    component: CataloguePage,
  },
  {
    id: 'promotions',
    path: 'promotions',
    title: { zh: '優惠', en: 'Promotions' },
    permission: 'catalogue.view',
    component: PromotionsPage,
  },
  {
    id: 'staff',
    path: 'staff',
    title: { zh: '收銀機員工', en: 'Register staff' },
    permission: 'staff.view',
    component: RegisterStaffPage,
  },
  {
    id: 'import',
    path: 'import',
    title: { zh: '匯入貨品', en: 'Import products' },
    permission: 'catalogue.import',
    component: CatalogueImportPage,
  },
  { id: 'stock', path: 'stock', title: { zh: '庫存', en: 'Stock' }, permission: 'stock.view', component: StockPage },
  { id: 'reports', path: 'reports', title: { zh: '銷售報表', en: 'Sales report' }, permission: 'reports.view', component: ReportsPage },
  { id: 'mall', path: 'mall', title: { zh: '商場營業額', en: 'Mall turnover' }, permission: 'mall.view', component: MallExportPage },
  { id: 'members', path: 'members', title: { zh: '會員', en: 'Members' }, permission: 'members.view', component: MembersPage },
  {
    id: 'orders',
    path: 'orders',
    title: { zh: '網上及社交訂單', en: 'Orders' },
    permission: 'orders.view',
    component: OrdersPage,
  },
  { id: 'users', path: 'users', title: { zh: '總部用戶', en: 'Console users' }, permission: 'users.manage', component: UsersPage },
  { id: 'audit', path: 'audit', title: { zh: '審計紀錄', en: 'Audit trail' }, permission: 'audit.view', component: AuditPage },
  { id: 'account', path: 'account', title: { zh: '我的帳戶', en: 'My account' }, permission: 'dashboard.view', component: AccountPage },
];
