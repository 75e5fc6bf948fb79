// The layering rules of eslint.config.mjs fire: a probe file in each folder, linted with the project's own config
// (ESLint's API, no file written), must be flagged for what its layer may not do, and pass for what it may.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { ESLint } from 'eslint';

const ROOT = join(__dirname, '..', '..', '..', '..');

describe('layering enforced by the linter', function () {
  this.timeout(60_000);
  let eslint: ESLint;
  before(() => {
    eslint = new ESLint({ cwd: ROOT });
  });

  /** The layering rules the probe breaks, as "rule: import or name". */
  async function broken(file: string, code: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath: join(ROOT, file) });
    return result.messages.filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-globals').map((m) => `${m.ruleId}@${m.line}`);
  }

  const cases: { file: string; bad: string[]; good: string[] }[] = [
    {
      file: 'src/core/chat/zzProbe.ts',
      bad: ["import * as vscode from 'vscode';", "import type { ChatController } from '../../host/chatController';", "import { Transcript } from '../../webview/chat/transcript';", 'export const t = document.title;', 'export const w = window.innerWidth;', 'export const s = localStorage;'],
      good: ["import type { HostToWebview } from '../../shared/protocol';", "import { ChatSession } from '../chatSession';"],
    },
    {
      file: 'src/shared/zzProbe.ts',
      bad: ["import 'vscode';", "import { ChatApp } from '../core/chat/chatApp';", "import { CHAT_VIEW_ID } from '../host/chatViewProvider';", "import { el } from '../webview/common/dom';", 'export const d = document;'],
      good: ["import type { TurnView } from './protocol';"],
    },
    {
      file: 'src/webview/chat/zzProbe.ts',
      bad: ["import * as vscode from 'vscode';", "import { ChatApp } from '../../core/chat/chatApp';", "import { readSettings } from '../../host/config';", "import { readFileSync } from 'node:fs';", "import * as path from 'path';"],
      good: ["import { checkHostToWebview } from '../../shared/guards';", "import { el } from '../common/dom';", "import { reduce } from './model';"],
    },
    {
      file: 'src/host/zzProbe.ts',
      bad: ["import { reduce } from '../webview/chat/model';"],
      good: ["import * as vscode from 'vscode';", "import { ChatApp } from '../core/chat/chatApp';", "import type { HostToWebview } from '../shared/protocol';"],
    },
  ];

  for (const c of cases) {
    it(`${c.file.split('/').slice(1, -1).join('/')}: flags ${c.bad.length} violations, allows ${c.good.length} imports`, async () => {
      const code = [...c.bad, ...c.good].join('\n') + '\n';
      const flagged = await broken(c.file, code);
      assert.deepEqual(flagged.map((f) => Number(f.split('@')[1])), c.bad.map((_, i) => i + 1), `${c.file}: ${flagged.join(', ')}`);
    });
  }
});
