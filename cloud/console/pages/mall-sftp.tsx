/**
 * A store's SFTP destination for its mall file: host, port, user, remote folder, password or
 * private key (shown only as 已設定 / set: typing one replaces it), and the server's host key
 * fingerprint. 測試連線 / Test connection with no fingerprint pinned only shows the key the server
 * presents (nothing is sent), to pin with one click; once pinned it logs in and checks the folder.
 */
import { useState, type FormEvent } from 'react';
import type { MallExportConfig, MallSftpProbe } from '../../hq/contract';
import { useConsole, useMay, useTr } from '../console-store';
import { SelectField } from '../controls';
import { ErrorLine, InputError, useAction } from '../parts';

type Tr = (zh: string, en: string) => string;

/** An SFTP failure (its code first, as the log and the test answer carry it) in the screen's language. */
export function sftpErrorText(tr: Tr, text: string | null): string | null {
  if (text === null) return null;
  const match = /^(SFTP_[A-Z_]+): (.*)$/s.exec(text);
  if (!match) return text;
  const detail = match[2]!;
  switch (match[1]) {
    case 'SFTP_HOST_KEY_MISMATCH':
      return tr(
        `伺服器的主機金鑰與已釘選的不同，已拒絕連線（${detail}）`,
        `The server’s host key is not the pinned one: refused (${detail})`,
      );
    case 'SFTP_HOST_KEY_NOT_PINNED':
      return tr('未釘選主機金鑰：請先按「測試連線」並釘選指紋', 'No host key pinned: press Test connection and pin the fingerprint first');
    case 'SFTP_AUTH_FAILED':
      return tr('伺服器拒絕登入：請檢查用戶名稱及密碼或私鑰', 'The server refused the login: check the user name and password or key');
    case 'SFTP_TIMEOUT':
      return tr(`伺服器在限時內沒有回應（${detail}）`, `The server did not answer in time (${detail})`);
    case 'SFTP_CONNECT_FAILED':
      return tr(`無法連線（${detail}）`, `Cannot connect (${detail})`);
    case 'SFTP_REMOTE_ERROR':
      return tr(`伺服器拒絕檔案操作（${detail}）`, `The server refused a file operation (${detail})`);
    case 'SFTP_NO_SECRET':
      return tr('未設定密碼或私鑰', 'No password or private key is set');
    case 'SFTP_NOT_SET':
      return tr('此分店未設定 SFTP 目的地', 'This store has no SFTP destination set');
    default:
      return text;
  }
}

export function MallSftpForm({ storeId, config, onSaved }: { storeId: number; config: MallExportConfig; onSaved(): void }) {
  const { api } = useConsole();
  const tr = useTr();
  const may = useMay();
  const editable = may('mall.manage');
  const sftp = config.sftp;
  const [host, setHost] = useState(sftp?.host ?? '');
  const [port, setPort] = useState(String(sftp?.port ?? 22));
  const [username, setUsername] = useState(sftp?.username ?? '');
  const [directory, setDirectory] = useState(sftp?.directory ?? '');
  const [auth, setAuth] = useState<'password' | 'key'>(sftp?.auth ?? 'password');
  const [password, setPassword] = useState('');
  const [privateKey, setPrivateKey] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [fingerprint, setFingerprint] = useState(sftp?.hostKeySha256 ?? '');
  const [probe, setProbe] = useState<MallSftpProbe | null>(null);
  const [inputError, setInputError] = useState<string | null>(null);
  const save = useAction();
  const test = useAction();

  const body = () => {
    const portNumber = Number(port);
    if (!Number.isInteger(portNumber) || portNumber < 1 || portNumber > 65_535) {
      setInputError(tr('連接埠為 1 至 65535', 'The port is 1 to 65535'));
      return null;
    }
    if (host.trim() === '' || username.trim() === '') {
      setInputError(tr('請填寫主機及用戶名稱', 'Fill in the host and the user name'));
      return null;
    }
    setInputError(null);
    return {
      host: host.trim(),
      port: portNumber,
      username: username.trim(),
      directory: directory.trim(),
      auth,
      hostKeySha256: fingerprint.trim() === '' ? null : fingerprint.trim(),
      ...(auth === 'password' && password !== '' ? { password } : {}),
      ...(auth === 'key' && privateKey.trim() !== ''
        ? { privateKey: privateKey.trim(), ...(passphrase === '' ? {} : { passphrase }) }
        : {}),
    };
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const b = body();
    if (b === null) return;
    if (await save.run(() => api.put(`/mall/exports/${storeId}/sftp`, b))) {
      setPassword('');
      setPrivateKey('');
      setPassphrase('');
      onSaved();
    }
  };

  const runTest = async () => {
    setProbe(null);
    const b = body();
    if (b === null) return;
    await test.run(async () => setProbe((await api.post<{ probe: MallSftpProbe }>(`/mall/exports/${storeId}/sftp/test`, b)).probe));
  };

  const secretSet = sftp?.secretSet === true && sftp.auth === auth;
  return (
    <form className="hq-form" onSubmit={(e) => void submit(e)} data-testid="mall-sftp-form" noValidate>
      <h3>{tr('SFTP 目的地', 'SFTP destination')}</h3>
      <fieldset disabled={!editable || save.busy || test.busy}>
        <div className="hq-row">
          <label>
            {tr('主機', 'Host')}
            <input value={host} onChange={(e) => setHost(e.target.value)} size={18} maxLength={253} data-testid="sftp-host" />
          </label>
          <label>
            {tr('連接埠', 'Port')}
            <input inputMode="numeric" value={port} onChange={(e) => setPort(e.target.value)} size={5} data-testid="sftp-port" />
          </label>
          <label>
            {tr('用戶名稱', 'User')}
            <input value={username} onChange={(e) => setUsername(e.target.value)} size={12} maxLength={64} data-testid="sftp-user" />
          </label>
          <label>
            {tr('遠端資料夾', 'Remote folder')}
            <input
              value={directory}
              onChange={(e) => setDirectory(e.target.value)}
              size={14}
              maxLength={200}
              placeholder="upload/daily"
              data-testid="sftp-directory"
            />
          </label>
        </div>
        <div className="hq-row">
          <SelectField
            label={tr('登入方式', 'Log in with')}
            value={auth}
            onChange={(value) => setAuth(value === 'key' ? 'key' : 'password')}
            choices={[
              ['password', tr('密碼', 'Password')],
              ['key', tr('私鑰', 'Private key')],
            ]}
            testId="sftp-auth"
          />
          {auth === 'password' ? (
            <label>
              {tr('密碼', 'Password')} {secretSet ? <span className="hq-tag">{tr('已設定', 'set')}</span> : null}
              <input
                type="password"
                autoComplete="new-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                placeholder={secretSet ? tr('輸入以更換', 'type to replace') : ''}
                size={16}
                data-testid="sftp-password"
              />
            </label>
          ) : (
            <label>
              {tr('私鑰密碼（如有）', 'Key passphrase (if any)')}
              <input
                type="password"
                autoComplete="new-password"
                value={passphrase}
                onChange={(e) => setPassphrase(e.target.value)}
                size={12}
                data-testid="sftp-passphrase"
              />
            </label>
          )}
        </div>
        {auth === 'key' ? (
          <label>
            {tr('私鑰（OpenSSH 或 PEM）', 'Private key (OpenSSH or PEM)')}{' '}
            {secretSet ? <span className="hq-tag">{tr('已設定', 'set')}</span> : null}
            <textarea
              className="hq-json"
              rows={3}
              value={privateKey}
              onChange={(e) => setPrivateKey(e.target.value)}
              placeholder={
                secretSet ? tr('已設定，貼上新私鑰以更換', 'Set: paste a new key to replace it') : '-----BEGIN OPENSSH PRIVATE KEY-----'
              }
              spellCheck={false}
              data-testid="sftp-private-key"
            />
          </label>
        ) : null}
        <label>
          {tr('主機金鑰指紋（SHA256）', 'Host key fingerprint (SHA256)')}
          <input
            value={fingerprint}
            onChange={(e) => setFingerprint(e.target.value)}
            placeholder={tr('按「測試連線」取得', 'Press Test connection to see it')}
            spellCheck={false}
            data-testid="sftp-fingerprint"
          />
        </label>
      </fieldset>
      <InputError text={inputError} testId="sftp-input-error" />
      {editable ? (
        <div className="hq-row">
          <button type="submit" className="primary" disabled={save.busy || test.busy} data-testid="sftp-save">
            {tr('儲存 SFTP 設定', 'Save SFTP settings')}
          </button>
          <button type="button" disabled={save.busy || test.busy} onClick={() => void runTest()} data-testid="sftp-test">
            {test.busy ? tr('測試中…', 'Testing…') : tr('測試連線', 'Test connection')}
          </button>
        </div>
      ) : null}
      <ErrorLine error={save.error ?? test.error} testId="sftp-error" />
      {probe ? (
        <div data-testid="sftp-probe">
          {probe.ok ? (
            <p className="hq-ok" role="status">
              {tr('連線成功，資料夾可用', 'Connected: the folder is there')}
            </p>
          ) : (
            <p className={probe.code === 'SFTP_HOST_KEY_NOT_PINNED' ? 'hq-muted' : 'hq-error'} role="alert">
              {probe.code === 'SFTP_HOST_KEY_NOT_PINNED'
                ? tr(
                    '伺服器出示以下主機金鑰。請向商場核對後釘選（尚未傳送任何資料）：',
                    'The server shows this host key. Check it with the mall, then pin it (nothing was sent):',
                  )
                : sftpErrorText(tr, probe.message)}
            </p>
          )}
          {probe.fingerprint && probe.fingerprint !== fingerprint.trim() ? (
            <p className="hq-row">
              <code data-testid="sftp-seen-fingerprint">{probe.fingerprint}</code>
              <button type="button" onClick={() => setFingerprint(probe.fingerprint ?? '')} data-testid="sftp-pin">
                {tr('釘選此指紋', 'Pin this fingerprint')}
              </button>
            </p>
          ) : null}
        </div>
      ) : null}
    </form>
  );
}
