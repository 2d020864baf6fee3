import { describe, expect, it, vi } from 'vitest';
import { createSessionStore } from '../../../src/renderer/stores/session-store';
import { chan, createFakePosApi, deferred, fail, ok, wong } from './fake-pos-api';

const setup = () => {
  const fake = createFakePosApi();
  const onFailure = vi.fn();
  const store = createSessionStore(fake.api, { onFailure });
  return { fake, store, onFailure, s: () => store.getState() };
};

const type = (store: ReturnType<typeof setup>['store'], digits: string) => {
  for (const d of digits) store.getState().pressDigit(d);
};

describe('login', () => {
  it('lists the staff for the login buttons', async () => {
    const { s } = setup();
    await s().loadStaffList();
    expect(s().staffList.map((x) => x.nameZh)).toEqual(['陳小明', '黃美玲', '李志強']);
    expect(s().staffListState).toBe('ready');
  });

  it('asks for a name before taking digits', () => {
    const { s, store } = setup();
    type(store, '1');
    expect(s().pin).toBe('');
    expect(s().loginError).toBe('CHOOSE_STAFF');
  });

  it('takes at most 8 digits, and Backspace deletes the last', () => {
    const { s, store } = setup();
    s().selectStaff(chan.id);
    type(store, '1234567890');
    expect(s().pin).toBe('12345678');
    s().deleteDigit();
    expect(s().pin).toBe('1234567');
  });

  it('a PIN shorter than 4 digits is refused here, without asking main', async () => {
    const { s, store, fake } = setup();
    s().selectStaff(chan.id);
    type(store, '123');
    await s().submitPin();
    expect(s().loginError).toBe('PIN_TOO_SHORT');
    expect(fake.calls('staff:login')).toHaveLength(0);
  });

  it('logs in with the chosen staff member and PIN', async () => {
    const { s, store, fake } = setup();
    fake.answer('staff:login', ok(chan));
    s().selectStaff(chan.id);
    type(store, '1234');
    await s().submitPin();
    expect(fake.calls('staff:login')).toEqual([{ staffId: 1, pin: '1234' }]);
    expect(s().staff).toEqual(chan);
    expect(s().pin).toBe('');
  });

  it('a wrong PIN shows 密碼錯誤, clears the dots and keeps the chosen name', async () => {
    const { s, store, onFailure } = setup();
    s().selectStaff(chan.id);
    type(store, '9999');
    await s().submitPin();
    expect(s().loginError).toBe('PIN_INVALID');
    expect(s().pin).toBe('');
    expect(s().selectedStaffId).toBe(chan.id);
    expect(s().staff).toBeNull();
    expect(onFailure).not.toHaveBeenCalled();
  });

  it('a locked account says so', async () => {
    const { s, store, fake } = setup();
    fake.answer('staff:login', fail('LOCKED_OUT'));
    s().selectStaff(wong.id);
    type(store, '0000');
    await s().submitPin();
    expect(s().loginError).toBe('LOCKED_OUT');
  });

  it('typing again clears the error', async () => {
    const { s, store } = setup();
    s().selectStaff(chan.id);
    type(store, '9999');
    await s().submitPin();
    type(store, '1');
    expect(s().loginError).toBeNull();
  });

  it('ignores keys and a second Enter while the login is on its way', async () => {
    const { s, store, fake } = setup();
    const answer = deferred<ReturnType<typeof ok<typeof chan>>>();
    fake.answer('staff:login', answer.promise);
    s().selectStaff(chan.id);
    type(store, '1234');
    const first = s().submitPin();
    type(store, '5');
    await s().submitPin();
    expect(fake.calls('staff:login')).toHaveLength(1);
    answer.resolve(ok(chan));
    await first;
    expect(s().staff).toEqual(chan);
  });

  it('Esc clears the PIN, and a second Esc the chosen name', () => {
    const { s, store } = setup();
    s().selectStaff(chan.id);
    type(store, '12');
    s().clearPin();
    expect(s().pin).toBe('');
    expect(s().selectedStaffId).toBe(chan.id);
    s().clearPin();
    expect(s().selectedStaffId).toBeNull();
  });

  it('a lost connection during login goes to the connection handler', async () => {
    const { s, store, fake, onFailure } = setup();
    fake.answer('staff:login', fail('DISCONNECTED'));
    s().selectStaff(chan.id);
    type(store, '1234');
    await s().submitPin();
    expect(s().loginError).toBe('FAILED');
    expect(onFailure).toHaveBeenCalledWith(expect.objectContaining({ code: 'DISCONNECTED' }));
  });

  it('forgets a chosen name that is no longer on the list', async () => {
    const { s, fake } = setup();
    s().selectStaff(wong.id);
    fake.answer('staff:list-for-login', ok([chan]));
    await s().loadStaffList();
    expect(s().selectedStaffId).toBeNull();
  });
});

describe('logout', () => {
  it('ends the session', async () => {
    const { s, fake } = setup();
    s().staffChanged(chan);
    await s().logout();
    expect(fake.calls('staff:logout')).toHaveLength(1);
    expect(s().staff).toBeNull();
  });

  it('treats "already logged out" as done', async () => {
    const { s, fake } = setup();
    s().staffChanged(chan);
    fake.answer('staff:logout', fail('NOT_LOGGED_IN'));
    await s().logout();
    expect(s().staff).toBeNull();
  });

  it('stays logged in when the core cannot be reached', async () => {
    const { s, fake, onFailure } = setup();
    s().staffChanged(chan);
    fake.answer('staff:logout', fail('DISCONNECTED'));
    await s().logout();
    expect(s().staff).toEqual(chan);
    expect(onFailure).toHaveBeenCalledOnce();
  });
});

describe('staff from main', () => {
  it('a status naming the person already logged in changes nothing', () => {
    const { s } = setup();
    s().staffChanged(chan);
    const before = s();
    s().staffChanged({ ...chan });
    expect(s().staff).toEqual(chan);
    expect(s().selectedStaffId).toBe(before.selectedStaffId);
  });

  it('a status with nobody logged in leaves a half-typed PIN alone', () => {
    const { s, store } = setup();
    s().selectStaff(wong.id);
    type(store, '12');
    s().staffChanged(null);
    expect(s().pin).toBe('12');
  });

  it('a status naming someone else replaces the session and clears the pad', () => {
    const { s, store } = setup();
    s().selectStaff(wong.id);
    type(store, '12');
    s().staffChanged(chan);
    expect(s().staff).toEqual(chan);
    expect(s().pin).toBe('');
    expect(s().selectedStaffId).toBeNull();
  });
});
