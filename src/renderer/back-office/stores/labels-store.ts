/**
 * 標籤: the label queue as the back office shows it (what receiving and price changes queued, and
 * what people added), which rows are picked, the preview of one, and the calls that add, change,
 * print and clear. A print of an A4 sheet answers a PDF, which the section saves as a file.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { PosApi } from '../../../shared/channels';
import type { Result } from '../../../shared/errors';
import type { LabelKind, LabelPreview, LabelQueueItem, LabelQueueView } from '../../../shared/label-schemas';
import { accepted, newestOnly, type ErrorLineState, type SectionData } from './section-store';

export interface LabelsState extends SectionData, ErrorLineState {
  queue: LabelQueueView | null;
  /** Queue rows ticked for printing or removing. */
  picked: ReadonlySet<number>;
  /** The row whose label the preview shows. */
  previewOf: number | null;
  preview: LabelPreview | null;
  /** How many labels the last print sent, and where (null: a PDF sheet). */
  printed: { labels: number; uri: string | null } | null;
  busy: boolean;
  add(code: string, kind: LabelKind, quantity: number): Promise<boolean>;
  setQuantity(id: number, quantity: number): Promise<boolean>;
  toggle(id: number): void;
  pickAll(all: boolean): void;
  show(item: LabelQueueItem): Promise<void>;
  /** Prints the picked rows; answers the PDF (base64) of a sheet, else null. */
  print(): Promise<{ ok: boolean; pdf: string | null }>;
  removePicked(): Promise<boolean>;
  clearAll(): Promise<boolean>;
}

export function createLabelsStore(api: PosApi): StoreApi<LabelsState> {
  const previews = newestOnly();
  return createStore<LabelsState>()((set, get) => {
    /** A new queue: picks of rows that left it are dropped, new rows start picked (the usual job is "print what came in"). */
    const took = (queue: LabelQueueView, pickNew = false) => {
      const before = new Set((get().queue?.items ?? []).map((i) => i.id));
      const ids = new Set(queue.items.map((i) => i.id));
      const picked = new Set([...get().picked].filter((id) => ids.has(id)));
      if (pickNew) for (const item of queue.items) if (!before.has(item.id)) picked.add(item.id);
      const previewOf = get().previewOf !== null && ids.has(get().previewOf!) ? get().previewOf : null;
      set({ queue, picked, previewOf, ...(previewOf === null ? { preview: null } : {}) });
    };
    const run = async <T>(call: Promise<Result<T>>, then: (value: T) => void): Promise<boolean> => {
      set({ busy: true });
      const answer = await call;
      set({ busy: false });
      if (!accepted(answer, set)) return false;
      then(answer.value);
      return true;
    };
    return {
      queue: null,
      picked: new Set(),
      previewOf: null,
      preview: null,
      printed: null,
      busy: false,
      error: null,

      async load() {
        const answer = await api['labels:queue']({});
        if (accepted(answer, set)) {
          const first = get().queue === null;
          took(answer.value);
          if (first) set({ picked: new Set(answer.value.items.map((i) => i.id)) });
        }
      },

      add: (code, kind, quantity) => run(api['labels:add']({ code, kind, quantity }), (queue) => took(queue, true)),
      setQuantity: (id, quantity) => run(api['labels:set-quantity']({ id, quantity }), (queue) => took(queue)),

      toggle(id) {
        const picked = new Set(get().picked);
        if (picked.has(id)) picked.delete(id);
        else picked.add(id);
        set({ picked });
      },

      pickAll(all) {
        set({ picked: new Set(all ? (get().queue?.items ?? []).map((i) => i.id) : []) });
      },

      async show(item) {
        const current = previews.begin();
        set({ previewOf: item.id });
        const answer = await api['labels:preview']({ productId: item.productId, kind: item.kind });
        if (!current()) return;
        if (accepted(answer, set)) set({ preview: answer.value });
        else set({ preview: null });
      },

      async print() {
        const ids = [...get().picked];
        if (ids.length === 0) return { ok: false, pdf: null };
        let pdf: string | null = null;
        const ok = await run(api['labels:print']({ ids }), (result) => {
          pdf = result.pdf;
          set({ printed: { labels: result.labels, uri: result.uri } });
          took(result.queue);
        });
        return { ok, pdf };
      },

      removePicked() {
        const ids = [...get().picked];
        if (ids.length === 0) return Promise.resolve(false);
        return run(api['labels:remove']({ ids }), (queue) => took(queue));
      },

      clearAll() {
        const ids = (get().queue?.items ?? []).map((i) => i.id);
        if (ids.length === 0) return Promise.resolve(false);
        return run(api['labels:remove']({ ids }), (queue) => took(queue));
      },
    };
  });
}
