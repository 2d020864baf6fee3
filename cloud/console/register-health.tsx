/** A register's health as the dashboard and the register list show it: state, version, queue, last sync. */
import type { RegisterHealth } from '../hq/contract';
import { useTr } from './console-store';
import { When } from './parts';

export function RegisterState({ register }: { register: RegisterHealth }) {
  const tr = useTr();
  if (register.revokedAt !== null) return <span className="lamp off">{tr('已停用', 'Revoked')}</span>;
  return register.online ? (
    <span className="lamp ok">{tr('在線', 'Online')}</span>
  ) : (
    <span className="lamp bad">{tr('離線', 'Offline')}</span>
  );
}

/** Documents still waiting at the register (highlighted when many, or for long), and any the cloud quarantined. */
export function RegisterQueue({ register, testId }: { register: RegisterHealth; testId?: string }) {
  const tr = useTr();
  if (register.queueDepth === null) return <span className="hq-muted">—</span>;
  return (
    <>
      <span
        className={register.queueWaiting ? 'queue-waiting' : undefined}
        title={
          register.queueWaiting
            ? tr('單據在收銀機等候同步已久或數量多', 'Documents have waited long, or many wait, at the register')
            : undefined
        }
        data-testid={testId}
      >
        {register.queueDepth}
      </span>
      {register.quarantined ? (
        <span className="hq-tag warn">{tr(`${register.quarantined} 待處理`, `${register.quarantined} quarantined`)}</span>
      ) : null}
    </>
  );
}

/** "3 分鐘前 / 3 min ago", then the time in the store's time zone. */
export function SyncAgo({ ms, now }: { ms: number | null; now: number }) {
  const tr = useTr();
  if (ms === null) return <span className="hq-muted">{tr('未曾同步', 'Never')}</span>;
  const minutes = Math.max(0, Math.floor((now - ms) / 60_000));
  const ago =
    minutes < 1
      ? tr('剛剛', 'just now')
      : minutes < 60
        ? tr(`${minutes} 分鐘前`, `${minutes} min ago`)
        : minutes < 48 * 60
          ? tr(`${Math.floor(minutes / 60)} 小時前`, `${Math.floor(minutes / 60)} h ago`)
          : tr(`${Math.floor(minutes / 1440)} 日前`, `${Math.floor(minutes / 1440)} days ago`);
  return (
    <span className="sync-ago">
      {ago}
      <small className="hq-muted">
        <When ms={ms} />
      </small>
    </span>
  );
}
