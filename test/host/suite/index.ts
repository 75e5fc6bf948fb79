// Entry point VS Code loads inside the extension host (extensionTestsPath). Runs the in-host mocha suite and
// writes a result file for the runner, which prints the closing `N passed, N failed` line.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const grep = process.env.CLAUDE_CHAT_TEST_GREP || process.env.CLAUDE_CHAT_SUITE_GREP || undefined;
  const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, color: false, reporter: 'spec', ...(grep ? { grep } : {}) });
  // CLAUDE_CHAT_SUITE_FILES picks the files of a special launch (e.g. Restricted Mode, test/host/run.mjs).
  const chosen = process.env.CLAUDE_CHAT_SUITE_FILES?.split(',').filter(Boolean);
  const files = chosen ?? ['extension.test.js', 'chat.test.js', 'usage.test.js', 'tools.test.js', 'editor.test.js', 'review.test.js', 'batch.test.js', 'keyRoute.test.js', 'lm.test.js', 'attachments.test.js', 'composer.test.js', 'longSession.test.js'];
  for (const f of files) mocha.addFile(join(__dirname, f));
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const file = process.env.CLAUDE_CHAT_RESULT_FILE;
      const stats = runner.stats ?? { passes: 0, failures };
      if (file) writeFileSync(file, JSON.stringify({ passes: stats.passes, failures: stats.failures }));
      if (failures > 0) reject(new Error(`${failures} in-host tests failed`));
      else resolve();
    });
  });
}
