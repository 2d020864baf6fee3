import type { PosErrorBody } from '../../shared/errors';

export type LoadState = 'idle' | 'loading' | 'ready' | 'failed';

/**
 * Called with every error a store does not handle itself. The app wiring turns DISCONNECTED into
 * the connection screen and NOT_LOGGED_IN into the login screen, in one place for every store.
 */
export type FailureHandler = (error: PosErrorBody) => void;
