// The atomic writer: the data is on disk before the rename makes it visible, and the rename is made durable.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readJsonOrQuarantine, writeJsonAtomic } from '../../../src/core/atomicFile';
import { object, string } from 'valibot';

describe('atomic file writes', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(join(tmpdir(), 'claude-atomic-'));
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  it('fsyncs the temp file before the rename, and the folder after it (where the platform allows)', async () => {
    const calls: string[] = [];
    const probe = await fs.open(join(dir, 'probe'), 'w');
    const proto = Object.getPrototypeOf(probe) as { sync: () => Promise<void>; datasync: () => Promise<void> };
    await probe.close();
    const { sync, datasync } = proto;
    const rename = fs.rename;
    // Which file a handle belongs to is not public; a handle opened on a folder has no size to write.
    proto.sync = async function (this: fs.FileHandle) {
      const isDir = (await this.stat()).isDirectory();
      calls.push(isDir ? 'fsync folder' : 'fsync file');
      return sync.call(this);
    };
    proto.datasync = async function (this: fs.FileHandle) {
      calls.push('fsync file');
      return datasync.call(this);
    };
    fs.rename = async (a, b) => {
      calls.push('rename');
      return rename(a, b);
    };
    try {
      await writeJsonAtomic(join(dir, 'a.json'), { x: 1 });
    } finally {
      proto.sync = sync;
      proto.datasync = datasync;
      fs.rename = rename;
    }
    const expected = process.platform === 'win32' ? ['fsync file', 'rename'] : ['fsync file', 'rename', 'fsync folder'];
    assert.deepEqual(calls, expected);
    assert.deepEqual(JSON.parse(await fs.readFile(join(dir, 'a.json'), 'utf8')), { x: 1 });
    assert.deepEqual((await fs.readdir(dir)).sort(), ['a.json', 'probe']);
  });

  it('a file another window rewrote between the read and the move aside is not quarantined', async () => {
    const file = join(dir, 'x.json');
    await fs.writeFile(file, '{"name": 5}');
    const rename = fs.rename;
    fs.rename = async (a, b) => {
      fs.rename = rename;
      await fs.writeFile(file + '.new', '{"name":"fresh"}');
      await rename(file + '.new', file); // the other window's atomic write lands first
      return rename(a, b);
    };
    try {
      const r = await readJsonOrQuarantine(file, object({ name: string() }));
      assert.deepEqual(r, { kind: 'ok', value: { name: 'fresh' } });
    } finally {
      fs.rename = rename;
    }
    assert.deepEqual(JSON.parse(await fs.readFile(file, 'utf8')), { name: 'fresh' }, 'the good file is back in place');
    assert.deepEqual(await fs.readdir(dir), ['x.json'], 'nothing was set aside');
  });
});
