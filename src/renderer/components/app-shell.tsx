import type { ReactNode } from 'react';
import { StatusBar } from './status-bar';

/** Status bar on top, the screen's work in the middle, its action bar at the bottom (UX.md). */
export function AppShell({ actions, children }: { actions: ReactNode; children: ReactNode }) {
  return (
    <div className="app-shell">
      <StatusBar />
      <main className="app-main">{children}</main>
      {actions}
    </div>
  );
}
