// Bad input never reaches the API: no files, only binaries or oversized files, over the batch limits.
import * as assert from 'node:assert/strict';
import { promises as fs, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { planAndSubmit } from '../../../src/core/batch/job';
import { BATCH_LIMITS, checkBatchLimits } from '../../../src/core/batch/limits';
import { PendingStore } from '../../../src/core/batch/pendingStore';
import type { PlanInput, ReadFile } from '../../../src/core/batch/plan';
import { collectFiles, ContextFs, DirEntry } from '../../../src/core/context/collectFiles';
import { PriceBook } from '../../../src/core/usage/priceBook';
import { client, files, MODEL, tempDir, useFakeApi } from './helpers';

function nodeFs(root: string): ContextFs {
  return {
    async list(rel) {
      const entries = await fs.readdir(join(root, rel), { withFileTypes: true });
      return entries.map((e): DirEntry => ({ name: e.name, kind: e.isSymbolicLink() ? 'other' : e.isDirectory() ? 'dir' : e.isFile() ? 'file' : 'other' }));
    },
    size: async (rel) => (await fs.stat(join(root, rel))).size,
    read: (rel) => fs.readFile(join(root, rel)),
  };
}

describe('batch: bad input submits nothing', () => {
  const api = useFakeApi();
  let dir: ReturnType<typeof tempDir>;
  let store: PendingStore;
  let confirmed: number;
  beforeEach(() => {
    dir = tempDir('claude-batch-bad-');
    store = new PendingStore(join(dir.path, 'storage'));
    confirmed = 0;
  });
  afterEach(() => dir.dispose());

  async function attempt(input: Partial<PlanInput>) {
    const c = await client(api());
    const out = await planAndSubmit(
      c.messages.batches,
      { files: [], maxFileKB: 256, instruction: 'Review.', model: MODEL, maxTokens: 100, book: PriceBook.builtIn(), ...input },
      { baseURL: api().url, workspace: 'ws' },
      { store, now: Date.now, confirm: async () => (confirmed++, true) },
    );
    assert.equal(api().requests.length, 0, 'nothing reached the API');
    assert.equal(confirmed, 0, 'the user was not asked to confirm');
    assert.deepEqual(await store.list(), [], 'nothing pending');
    assert.equal(out.kind, 'refused');
    return out.kind === 'refused' ? out.message : '';
  }

  it('no files', async () => {
    assert.equal(await attempt({ files: [] }), 'No files to review: choose files or folders. Nothing was submitted.');
  });

  it('a folder with only binaries, oversized and empty files (read through collectFiles, as the host does)', async () => {
    const put = (rel: string, content: string | Buffer) => {
      mkdirSync(dirname(join(dir.path, 'ws', rel)), { recursive: true });
      writeFileSync(join(dir.path, 'ws', rel), content);
    };
    put('img/logo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x00, 0x0d]));
    put('bin/tool', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]));
    put('data/huge.json', `[${'1,'.repeat(1500)}1]`);
    put('empty.ts', '  \n');
    put('ignored/secret.ts', 'export const s = 1;\n');
    put('.gitignore', 'ignored/\n');
    const r = await collectFiles(nodeFs(join(dir.path, 'ws')), [{ rel: '', kind: 'dir' }], { limits: { maxFileBytes: 2048 } });
    const read: ReadFile[] = r.files.map((f) => ({ label: f.rel, uri: `file:///ws/${f.rel}`, text: f.text }));
    assert.deepEqual(read.map((f) => f.label).sort(), ['.gitignore', 'empty.ts'], 'collectFiles leaves only the ignore file and an empty file');
    const message = await attempt({ files: read.filter((f) => f.label !== '.gitignore'), skipped: r.skipped, truncated: r.truncated, maxFileKB: 2 });
    assert.equal(message, 'No text files to review (skipped: 1 ignored by .gitignore or files.exclude, 2 binary, 1 over 2 KB, 1 empty). Nothing was submitted.');
  });

  it('over 100,000 requests per batch', async () => {
    const many = files(Object.fromEntries(Array.from({ length: BATCH_LIMITS.maxRequests + 1 }, (_, i) => [`f${i}.ts`, 'x'])));
    const message = await attempt({ files: many });
    assert.equal(message, '100,001 files is over the Message Batches limit of 100,000 requests per batch. Choose fewer files or folders. Nothing was submitted.');
  });

  it('over the body size limit (256 MB; a lower limit here so the test stays small)', async () => {
    const big = files({ 'a.txt': 'é'.repeat(300_000), 'b.txt': 'é'.repeat(300_000) });
    // 600,000 two-byte characters: 1,200,000+ bytes of UTF-8 (1.1 MB), over a 1 MB limit though only 600,000 characters.
    const message = await attempt({ files: big, limits: { maxRequests: 10, maxBodyBytes: 1024 * 1024 } });
    assert.match(message, /^The batch would be 1\.1 MB, over the Message Batches limit of 1\.0 MB per batch\. Choose fewer or smaller files\. Nothing was submitted\.$/);
    assert.equal(BATCH_LIMITS.maxBodyBytes, 256 * 1024 * 1024);
    assert.equal(checkBatchLimits([{ custom_id: 'a', params: { model: MODEL, max_tokens: 1, messages: [{ role: 'user', content: 'é'.repeat(10) }] } }], { maxRequests: 1, maxBodyBytes: 1e6 }), undefined);
  });

  it('the user declining the confirmation sends nothing either', async () => {
    const c = await client(api());
    const out = await planAndSubmit(
      c.messages.batches,
      { files: files({ 'a.ts': 'const a = 1;\n' }), maxFileKB: 256, instruction: 'Review.', model: MODEL, maxTokens: 100, book: PriceBook.builtIn() },
      { baseURL: api().url, workspace: 'ws' },
      { store, now: Date.now, confirm: async () => false },
    );
    assert.deepEqual(out, { kind: 'declined' });
    assert.equal(api().requests.length, 0);
  });
});
