// custom_id from workspace-relative paths: within ^[a-zA-Z0-9_-]{1,64}$, unique in a batch, stable.
import * as assert from 'node:assert/strict';
import { assignCustomIds, CUSTOM_ID_PATTERN, customIdFor, slugOf } from '../../../src/core/batch/customId';

describe('batch: custom_id from paths', () => {
  it('is a readable slug of the path plus a short hash, stable across runs', () => {
    const id = customIdFor('src/core/batch/plan.ts');
    assert.match(id, /^src_core_batch_plan_ts-[0-9a-f]{8}$/);
    assert.equal(customIdFor('src/core/batch/plan.ts'), id);
    assert.notEqual(customIdFor('src/core/batch/plan.js'), id);
  });

  it('keeps the tail (the file name) of a long path within 64 characters', () => {
    const long = `${'very-long-folder-name/'.repeat(20)}the-file-name.ts`;
    const id = customIdFor(long);
    assert.ok(id.length <= 64, `${id.length} chars`);
    assert.match(id, CUSTOM_ID_PATTERN);
    assert.match(id, /the-file-name_ts-[0-9a-f]{8}$/);
  });

  it('paths that slug alike get different ids (the hash is of the whole path)', () => {
    const paths = ['a/b.ts', 'a_b.ts', 'a b.ts', 'a-b/ts', 'a/b.ts/', 'ä/b.ts', 'a//b.ts'];
    assert.equal(new Set(paths.map(slugOf)).size < paths.length, true, 'the slugs do collide');
    const ids = assignCustomIds(paths);
    assert.equal(ids.size, paths.length);
    assert.deepEqual([...ids.values()], paths);
    for (const id of ids.keys()) assert.match(id, CUSTOM_ID_PATTERN);
  });

  it('resolves hash collisions: even a constant hash gives unique valid ids', () => {
    const paths = Array.from({ length: 50 }, (_, i) => `${'deep/'.repeat(30)}same-name.ts${'/'.repeat(i % 3)}${i}`);
    const ids = assignCustomIds(paths, () => 'deadbeefdeadbeef');
    assert.equal(ids.size, 50);
    for (const id of ids.keys()) {
      assert.match(id, CUSTOM_ID_PATTERN);
      assert.ok(id.length <= 64);
    }
    const same = assignCustomIds(['x/a.ts', 'x_a.ts', 'x/a.ts'], () => '00000000');
    assert.equal(same.size, 2, 'the same path twice is one id');
    assert.equal(new Set(same.keys()).size, 2);
  });

  it('paths with no usable characters still get a valid id', () => {
    const ids = assignCustomIds(['日本語/ファイル.ts', '///', '....']);
    assert.equal(ids.size, 3);
    for (const id of ids.keys()) assert.match(id, CUSTOM_ID_PATTERN);
  });

  it('a thousand real-looking paths: all unique, all valid', () => {
    const paths = Array.from({ length: 1000 }, (_, i) => `packages/pkg-${i % 37}/src/${i % 11 === 0 ? 'index' : `module_${i}`}.ts`);
    const ids = assignCustomIds(paths);
    assert.equal(ids.size, new Set(paths).size);
    for (const id of ids.keys()) assert.match(id, CUSTOM_ID_PATTERN);
  });
});
