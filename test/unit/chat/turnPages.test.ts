// Which turns the host sends (core/chat/turnPages.ts): a long conversation's state holds only its newest turns,
// bounded in number and size, with the last turn always in; the pages before a turn walk back to the first turn
// without a gap or a repeat, each bounded however large the conversation or its turns.
import * as assert from 'node:assert/strict';
import { INITIAL_CHARS, INITIAL_TURNS_SENT, newestPage, PAGE_CHARS, PAGE_TURNS, pageBeforeTurn } from '../../../src/core/chat/turnPages';
import { bigTurns } from './fakes';

const size = (v: unknown) => JSON.stringify(v).length;

describe('turn pages: what a long conversation sends to the view', () => {
  it('a state of 2,500 turns holds only the newest INITIAL_TURNS_SENT, and says how many come before', () => {
    const turns = bigTurns(2500);
    const page = newestPage(turns);
    assert.equal(page.turns.length, INITIAL_TURNS_SENT);
    assert.deepEqual(page.turns.map((t) => t.id), turns.slice(-INITIAL_TURNS_SENT).map((t) => t.id));
    assert.equal(page.olderTurns, 2500 - INITIAL_TURNS_SENT);
    assert.equal(page.turns[0].blocks[0].text, `Answer ${2500 - INITIAL_TURNS_SENT}: use addition.`, 'views, as the whole state had them');
    assert.equal('complete' in page.turns[0].blocks[0], false, 'engine-only fields stay out');
  });

  it('a short conversation is sent whole; an empty one is empty', () => {
    assert.deepEqual(newestPage(bigTurns(5)).turns.map((t) => t.id), ['tb0', 'tb1', 'tb2', 'tb3', 'tb4']);
    assert.equal(newestPage(bigTurns(5)).olderTurns, 0);
    assert.deepEqual(newestPage([]), { turns: [], olderTurns: 0 });
  });

  it('large turns: the state stops once INITIAL_CHARS is reached, and the last turn goes even when it alone is larger', () => {
    const page = newestPage(bigTurns(100, (i) => `${i} `.padEnd(20_000, 'x')));
    assert.ok(page.turns.length < 10, `${page.turns.length} turns`);
    assert.ok(size(page.turns) < INITIAL_CHARS + 21_000, `${size(page.turns)} chars`);
    assert.equal(page.turns.length + page.olderTurns, 100);
    const huge = newestPage(bigTurns(3, () => 'y'.repeat(2_000_000)));
    assert.deepEqual(huge.turns.map((t) => t.id), ['tb2']);
    assert.equal(huge.olderTurns, 2);
  });

  it('pages before a turn walk back to the first turn, in order, no gap and no repeat, each bounded', () => {
    const turns = bigTurns(2500, (i) => (i % 7 === 0 ? 'z'.repeat(9_000) : `Answer ${i}`));
    let page = newestPage(turns);
    const seen = page.turns.map((t) => t.id);
    let requests = 0;
    while (page.olderTurns > 0 && requests < 1000) {
      requests++;
      const older = pageBeforeTurn(turns, page.turns[0].id)!;
      assert.ok(older.turns.length >= 1 && older.turns.length <= PAGE_TURNS, `${older.turns.length} turns`);
      assert.ok(size(older.turns) < PAGE_CHARS + 10_000, `${size(older.turns)} chars`);
      assert.equal(older.olderTurns + older.turns.length, page.olderTurns);
      seen.unshift(...older.turns.map((t) => t.id));
      page = older;
    }
    assert.deepEqual(seen, turns.map((t) => t.id));
    assert.ok(requests > 2500 / PAGE_TURNS - 1 && requests < 100, `${requests} requests`);
  });

  it('the first turn has nothing before it; a turn the conversation does not have gets no page', () => {
    const turns = bigTurns(10);
    assert.deepEqual(pageBeforeTurn(turns, 'tb0'), { turns: [], olderTurns: 0 });
    assert.equal(pageBeforeTurn(turns, 'nope'), undefined);
    assert.equal(pageBeforeTurn(turns, '__proto__'), undefined);
  });
});
