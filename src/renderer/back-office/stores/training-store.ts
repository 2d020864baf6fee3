/** 練習模式 / Training: the register's training state and the manager's switch (`training:set`). */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ChannelResponse, PosApi } from '../../../shared/channels';
import { newestOnly, statusActions, statusLoader, type ErrorLineState, type SectionData } from './section-store';

type TrainingStatus = ChannelResponse<'training:status'>;

export interface TrainingSectionState extends SectionData, ErrorLineState {
  status: TrainingStatus | null;
  busy: boolean;
  switchOn(kickDrawer: boolean): Promise<boolean>;
  switchOff(): Promise<boolean>;
}

export function createTrainingStore(api: PosApi): StoreApi<TrainingSectionState> {
  const reads = newestOnly();
  return createStore<TrainingSectionState>()((set) => {
    const run = statusActions<TrainingStatus>(set, reads);
    return {
      status: null,
      busy: false,
      error: null,
      load: statusLoader(set, reads, () => api['training:status']({})),
      switchOn: (kickDrawer) => run(() => api['training:set']({ on: true, kickDrawer })),
      switchOff: () => run(() => api['training:set']({ on: false })),
    };
  });
}
