import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import boundaries (STYLE.md 1)', () => {
  it.each([
    ['src/renderer/checkout/cart.tsx', "import Database from 'better-sqlite3';\nexport const db = new Database(':memory:');\n"],
    ['src/renderer/app.tsx', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n"],
    ['src/renderer/app.tsx', "import { createRegister } from '../main/register';\nexport const x = createRegister;\n"],
    ['src/renderer/app.tsx', "import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;\n"],
    ['src/main/sales/sale-service.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    ['drivers/escpos/encoder.ts', "import { channels } from '../../src/shared/channels';\nexport const x = channels;\n"],
    ['src/shared/money.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n"],
    ['cloud/domain/sales.ts', "import { openDatabase } from '../../src/main/db/open';\nexport const x = openDatabase;\n"],
    ['cloud/domain/sales.ts', "import { encodeText } from '../../drivers/escpos/encoder';\nexport const x = encodeText;\n"],
    ['cloud/console/pages/catalogue.tsx', "import { setPrice } from '../../domain/catalogue';\nexport const x = setPrice;\n"],
    ['cloud/console/pages/catalogue.tsx', "import { login } from '../../hq/users';\nexport const x = login;\n"],
    ['cloud/console/app.tsx', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n"],
    ['cloud/console/app.tsx', "import pg from 'pg';\nexport const x = pg;\n"],
    ['cloud/console/app.tsx', "import { createRegister } from '../../src/main/register';\nexport const x = createRegister;\n"],
  ])('%s may not import what it imports here', async (filePath, code) => {
    expect(await restrictedImports(filePath, code)).not.toEqual([]);
  });

  it.each([
    ['src/renderer/app.tsx', "import { formatHKD } from '../shared/money';\nexport const x = formatHKD;\n"],
    ['src/main/electron/window.ts', "import { BrowserWindow } from 'electron';\nexport const x = BrowserWindow;\n"],
    ['src/preload/electron-preload.ts', "import { contextBridge } from 'electron';\nexport const x = contextBridge;\n"],
    ['src/shared/channels.ts', "import { z } from 'zod';\nimport { Cents } from './schemas';\nexport const x = [z, Cents];\n"],
    ['cloud/domain/mutation-kinds.ts', "import { outboxKinds } from '../../src/shared/outbox-kinds';\nexport const x = outboxKinds;\n"],
    [
      'cloud/console/pages/catalogue.tsx',
      "import { permissions } from '../../hq/contract';\nimport { formatHKD } from '../../../src/shared/money';\nimport { useTr } from '../console-store';\nexport const x = [permissions, formatHKD, useTr];\n",
    ],
    [
      'cloud/console/app.tsx',
      "import { roles } from '../hq/contract';\nimport { formatHKD } from '../../src/shared/money';\nexport const x = [roles, formatHKD];\n",
    ],
  ])('%s may import what it imports here', async (filePath, code) => {
    expect(await restrictedImports(filePath, code)).toEqual([]);
  });
});
