/**
 * A back-office section's store lives as long as the section is open, as the section's data always
 * did: opening a section loads main's data afresh, and nothing of it outlives the visit or the
 * staff member. Stores are in ./stores; this is how a section component gets one.
 */
import { useEffect, useState } from 'react';
import { useStore, type StoreApi } from 'zustand';
import type { PosApi } from '../../shared/channels';
import { usePosStores } from '../stores/stores-context';
import type { SectionData } from './stores/section-store';

/** The section's store, made when the section opens and loaded at once; its state, re-rendered on change. */
export function useSectionStore<S extends SectionData>(create: (api: PosApi) => StoreApi<S>): S {
  const { api } = usePosStores();
  const [store] = useState(() => create(api));
  useEffect(() => {
    void store.getState().load();
  }, [store]);
  return useStore(store);
}
