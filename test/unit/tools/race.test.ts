// Item 9 of the hardening issue: a folder swapped for a symlink between the workspace check and the file access.
// The port hooks run in exactly that window; the reads and writes must be refused and nothing outside touched.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { harness, makeWorkspace, NodePort, SECRET } from './nodePort';

describe('tools: check-then-use races', () => {
  let w: ReturnType<typeof makeWorkspace>;
  let port: NodePort;
  let h: ReturnType<typeof harness>;
  const outsideInner = () => readFileSync(join(w.outside, 'dir', 'inner.txt'), 'utf8');
  /** ws/sub becomes a symlink to outside/dir (the real folder moves aside). */
  const swapSub = () => {
    renameSync(join(w.ws, 'sub'), join(w.ws, 'sub-moved'));
    symlinkSync(join(w.outside, 'dir'), join(w.ws, 'sub'), 'dir');
  };
  beforeEach(() => {
    w = makeWorkspace();
    // Same text as outside/dir/inner.txt, so an edit's "file still holds `before`" check cannot tell them apart.
    mkdirSync(join(w.ws, 'sub'));
    writeFileSync(join(w.ws, 'sub', 'inner.txt'), `${SECRET} inner\n`);
    writeFileSync(join(w.ws, 'sub', 'plain.txt'), 'inside\n');
    port = NodePort.single(w.ws);
    h = harness(port);
  });
  afterEach(() => w.cleanup());

  for (const procFd of [true, false]) {
    const mode = procFd ? '/proc/self/fd' : 'realpath + inode';
    it(`read_file: a folder swapped for a symlink after the check is refused (${mode})`, async () => {
      port.verify = { procFd };
      writeFileSync(join(w.outside, 'dir', 'plain.txt'), `${SECRET} via the swapped folder\n`);
      port.beforeRead = (p) => {
        if (p.endsWith('/sub/plain.txt')) swapSub();
      };
      const r = await h.one('read_file', { path: 'sub/plain.txt' });
      assert.equal(r.isError, true, r.content);
      assert.match(r.content, /^Refused "sub\/plain\.txt": it changed between the workspace check and the access \(a folder on the way or the file itself was replaced, e\.g\. by a symbolic link\), so it was not read\./);
      assert.ok(!r.content.includes(SECRET));
    });
  }

  it('read_file: a file swapped for a symlink (O_NOFOLLOW) or for a FIFO (no hang) is refused', async () => {
    port.beforeRead = (p) => {
      if (p.endsWith('/a.txt')) {
        rmSync(p);
        symlinkSync(join(w.outside, 'secret.txt'), p);
      }
      if (p.endsWith('/empty.txt')) {
        rmSync(p);
        execFileSync('mkfifo', [p]);
      }
    };
    const [link, fifo] = await h.run([
      { name: 'read_file', input: { path: 'a.txt' } },
      { name: 'read_file', input: { path: 'empty.txt' } },
    ]);
    assert.equal(link.isError, true);
    assert.match(link.content, /^Refused "a\.txt": it changed between the workspace check and the access/);
    assert.ok(!link.content.includes(SECRET));
    assert.equal(fifo.isError, true);
    assert.match(fifo.content, /^Refused "empty\.txt": it changed between the workspace check and the access/);
  });

  it('propose_edit: a folder swapped for a symlink while the user approved is refused; the outside file is untouched', async () => {
    h.approver.answers = ['approve'];
    port.beforeWrite = () => swapSub();
    const r = await h.one('propose_edit', { path: 'sub/inner.txt', old_string: 'inner', new_string: 'pwned' });
    assert.equal(h.approver.asked.length, 1);
    assert.equal(r.isError, true);
    assert.match(r.content, /^Refused "sub\/inner\.txt": it changed between the workspace check and the access .* so it was not written\./);
    assert.equal(outsideInner(), `${SECRET} inner\n`);
    assert.deepEqual(port.applied, []);
  });

  it('create_file: a parent folder swapped for a symlink before the write is refused; nothing is created outside', async () => {
    h.approver.answers = ['approve'];
    port.beforeWrite = () => swapSub();
    const r = await h.one('create_file', { path: 'sub/new.txt', content: 'planted\n' });
    assert.equal(r.isError, true);
    assert.match(r.content, /^Refused "sub\/new\.txt": .* so it was not written\./);
    assert.equal(existsSync(join(w.outside, 'dir', 'new.txt')), false);
  });

  it('create_file: a missing folder on the way replaced by a symlink is refused too', async () => {
    h.approver.answers = ['approve'];
    port.beforeWrite = () => symlinkSync(join(w.outside, 'dir'), join(w.ws, 'fresh'), 'dir');
    const r = await h.one('create_file', { path: 'fresh/deeper/new.txt', content: 'planted\n' });
    assert.equal(r.isError, true);
    assert.match(r.content, /so it was not written/);
    assert.equal(existsSync(join(w.outside, 'dir', 'deeper')), false);
  });

  it('a swap in the instant inside the write (the part a by-name write cannot close) is reported, not hidden', async () => {
    h.approver.answers = ['approve'];
    port.duringWrite = () => swapSub();
    const r = await h.one('propose_edit', { path: 'sub/inner.txt', old_string: 'inner', new_string: 'changed' });
    assert.equal(r.isError, true);
    assert.match(r.content, /^The change to sub\/inner\.txt was written, but the path no longer resolves to where it was checked .* Tell the user to check sub\/inner\.txt\./);
  });

  it('without a swap, reads and writes through the checks work as before', async () => {
    h.approver.answers = ['approve', 'approve'];
    assert.match((await h.one('read_file', { path: 'sub/plain.txt' })).content, /\tinside/);
    assert.equal((await h.one('propose_edit', { path: 'sub/plain.txt', old_string: 'inside', new_string: 'still inside' })).isError, false);
    assert.equal((await h.one('create_file', { path: 'sub/a/b/new.txt', content: 'x\n' })).isError, false);
    assert.equal(readFileSync(join(w.ws, 'sub', 'plain.txt'), 'utf8'), 'still inside\n');
    assert.equal(readFileSync(join(w.ws, 'sub', 'a', 'b', 'new.txt'), 'utf8'), 'x\n');
  });
});
