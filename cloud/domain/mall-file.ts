// The mall turnover file and what sends it: shared by the export (cloud/domain/mall-export.ts) and
// the SFTP sender (cloud/domain/mall-sftp.ts), so neither imports the other's module for its types.
import type { MallSftpSettings } from '../hq/contract';

/** One day's (or hour's) file, rendered by the store's template. */
export interface MallFile {
  fileName: string;
  content: Buffer;
}

/** The store's SFTP destination as stored: its settings and the sealed password or key. */
export interface SftpTarget {
  settings: MallSftpSettings;
  sealedSecret: Buffer | null;
}

/** Delivers a rendered file (to a folder, or over SFTP); answers where it went. */
export interface MallFileSender {
  send(file: MallFile & { storeCode: string; sftp?: SftpTarget }): Promise<string>;
}
