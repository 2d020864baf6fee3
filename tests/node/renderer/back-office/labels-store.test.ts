/** 標籤's store against a fake PosApi: what is ticked, what print sends, and how refusals show. */
import { describe, expect, it } from 'vitest';
import type { LabelQueueItem, LabelQueueView } from '../../../../src/shared/label-schemas';
import { createLabelsStore } from '../../../../src/renderer/back-office/stores/labels-store';
import { createFakePosApi, fail, ok } from '../fake-pos-api';

const item = (id: number, sku: string, quantity: number, kind: LabelQueueItem['kind'] = 'product'): LabelQueueItem => ({
  id,
  productId: id,
  sku,
  nameZh: '港式奶茶',
  nameEn: 'HK Milk Tea',
  price: 1800,
  kind,
  quantity,
  source: 'GRN-000001',
  createdAt: 1,
});

const queue = (...items: LabelQueueItem[]): LabelQueueView => ({
  items,
  labels: items.reduce((sum, i) => sum + i.quantity, 0),
  printer: {
    profile: 'zebra-203dpi',
    uri: 'tcp://10.0.0.30:9100',
    productTemplate: 'product-40x30',
    shelfTemplate: 'shelf-70x38',
    shelfQr: null,
  },
});

describe('the labels store', () => {
  it('opens with the whole queue ticked; a row added later comes ticked; an unticked row stays out of the print', async () => {
    const fake = createFakePosApi();
    fake.answer('labels:queue', ok(queue(item(1, 'DRI-0001', 12), item(2, 'DRI-0005', 5))));
    const store = createLabelsStore(fake.api);
    await store.getState().load();
    expect([...store.getState().picked]).toEqual([1, 2]);
    store.getState().toggle(2);
    fake.answer('labels:add', ok(queue(item(1, 'DRI-0001', 12), item(2, 'DRI-0005', 5), item(3, 'DRI-0002', 1, 'shelf'))));
    expect(await store.getState().add('DRI-0002', 'shelf', 1)).toBe(true);
    expect([...store.getState().picked].sort()).toEqual([1, 3]);

    fake.answer('labels:print', ok({ labels: 13, uri: 'tcp://10.0.0.30:9100', pdf: null, queue: queue(item(2, 'DRI-0005', 5)) }));
    expect(await store.getState().print()).toEqual({ ok: true, pdf: null });
    expect(fake.calls('labels:print')).toEqual([{ ids: [1, 3] }]);
    expect(store.getState()).toMatchObject({ printed: { labels: 13 }, error: null });
    expect([...store.getState().picked]).toEqual([]);
  });

  it('a refused print keeps the queue and the ticks and shows main’s refusal', async () => {
    const fake = createFakePosApi();
    fake.answer('labels:queue', ok(queue(item(1, 'DRI-0001', 4))));
    const store = createLabelsStore(fake.api);
    await store.getState().load();
    fake.answer('labels:print', fail('DEVICE_FAILED', 'tcp://10.0.0.30:9100: connection refused'));
    expect(await store.getState().print()).toEqual({ ok: false, pdf: null });
    expect(store.getState().error).toMatchObject({ code: 'DEVICE_FAILED' });
    expect(store.getState().queue?.items).toHaveLength(1);
    expect([...store.getState().picked]).toEqual([1]);
  });

  it('an A4 sheet answers its PDF', async () => {
    const fake = createFakePosApi();
    fake.answer('labels:queue', ok(queue(item(1, 'DRI-0001', 2))));
    const store = createLabelsStore(fake.api);
    await store.getState().load();
    fake.answer('labels:print', ok({ labels: 2, uri: null, pdf: 'JVBERi0=', queue: queue() }));
    expect(await store.getState().print()).toEqual({ ok: true, pdf: 'JVBERi0=' });
  });
});
