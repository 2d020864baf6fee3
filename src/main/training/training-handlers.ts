/** Channels of 練習模式: the state (anyone logged in) and the switch (`training.manage`, managers by default). */
import type { Handlers } from '../api/router';
import type { TrainingService } from './training-service';

export function createTrainingHandlers({ training }: { training: TrainingService }): Pick<Handlers, 'training:status' | 'training:set'> {
  return {
    'training:status': () => training.status(),
    'training:set': (req, { staff }) => training.set(staff, req.on, req.kickDrawer),
  };
}
