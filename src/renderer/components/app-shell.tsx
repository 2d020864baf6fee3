import type { ReactNode } from 'react';
import { StatusBar } from './status-bar';
import { TrainingBanner } from './training-banner';
import { useRegister } from '../stores/stores-context';

/**
 * Status bar on top, the screen's work in the middle, its action bar at the bottom (UX.md). In
 * 練習模式 a banner sits under the status bar and a frame runs round the whole screen.
 */
export function AppShell({ actions, children }: { actions: ReactNode; children: ReactNode }) {
  const training = useRegister((s) => s.status?.training?.on === true);
  return (
    <div className={training ? 'app-shell is-training' : 'app-shell'} data-training={training || undefined}>
      <StatusBar />
      {training && <TrainingBanner />}
      <main className="app-main">{children}</main>
      {actions}
    </div>
  );
}
