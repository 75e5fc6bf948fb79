// Explain Selection and attached files through a real ChatSession, the real SDK and the fake API's cache
// accounting: where cache_control lands, and that repeated work on the same file reads it from cache.
import * as assert from 'node:assert/strict';
import { contextBlockText } from '../../../src/core/conversation';
import { explainMessage, fileDoc, turnRef } from '../../../src/core/context/docs';
import { FakeApi, startFakeApi, tokens } from '../../fake-api/server';
import { sessionFor } from '../core/helpers';

type Block = { type: string; text?: string; cache_control?: { type: string; ttl?: string } };
type Body = { system?: Block[]; messages: { role: string; content: Block[] }[] };
const bodyOf = (api: FakeApi, i: number) => api.messageRequests[i].body as Body;
const usageOf = (api: FakeApi, i: number) => api.messageRequests[i].usage!;
const marks = (body: Body) => JSON.stringify(body).split('"cache_control"').length - 1;

/** A source file of about `lines` * 30 characters. */
const source = (name: string, lines = 200) =>
  `// ${name}\n` + Array.from({ length: lines }, (_, i) => `export const ${name}${i} = ${i} * 2; // line ${i + 2}`).join('\n') + '\n';

const FILE = { uri: 'file:///ws/src/big.ts', label: 'src/big.ts', languageId: 'typescript', text: source('big') };
const selectionOf = (text: string, a: number, b: number) => text.split('\n').slice(a, b + 1).join('\n');

function explain(session: ReturnType<typeof sessionFor>['session'], a: number, b: number) {
  session.attach(fileDoc(FILE));
  const r = { startLine: a, endLine: b };
  return session.send(explainMessage(FILE.label, r, FILE.languageId, selectionOf(FILE.text, a, b)), turnRef(FILE, r));
}


/** A system prompt above the model's minimum cacheable length (512 tokens for Sonnet 5.5), so slot 1 is used. */
const LONG_SYSTEM = 'You explain code clearly, with examples where they help. '.repeat(45);

describe('editor: explain selection and attached files are cached', () => {
  let api: FakeApi;
  before(async () => {
    api = await startFakeApi();
  });
  after(() => api.close());
  beforeEach(() => api.reset());

  it('the file is a cached block before the question; the question carries the rolling breakpoint', async () => {
    const { session } = sessionFor(api, { settings: { systemPrompt: LONG_SYSTEM } });
    await explain(session, 9, 11);
    const body = bodyOf(api, 0);
    assert.equal(body.system?.[0].cache_control?.type, 'ephemeral', 'slot 1: system');
    const [doc, question] = body.messages[0].content;
    assert.equal(doc.text, contextBlockText(fileDoc(FILE)), 'the whole file, as its own block');
    assert.deepEqual(doc.cache_control, { type: 'ephemeral' }, 'slot 2: the file');
    assert.match(question.text!, /^Explain lines 10–12 of src\/big\.ts:\n```typescript\nexport const big8 = 8/);
    assert.ok(question.cache_control, 'slot 3: the newest user turn');
    assert.equal(marks(body), 3);
    assert.equal(session.history[0].ref?.startLine, 9);
    assert.equal(session.history[0].ref?.uri, FILE.uri);
  });

  it('a second explain on the same file reads at least the whole file from cache', async () => {
    const { session } = sessionFor(api);
    await explain(session, 0, 3);
    const fileTokens = tokens(contextBlockText(fileDoc(FILE)));
    assert.ok(fileTokens > 512, `the file (${fileTokens} tokens) is over Sonnet 5.5's minimum cacheable length`);
    assert.equal(usageOf(api, 0).cache_read_input_tokens, 0);
    assert.ok(usageOf(api, 0).cache_creation_input_tokens >= fileTokens, 'the first explain writes the file');
    await explain(session, 40, 45);
    assert.equal(session.context.length, 1, 'the same file is attached once (same id)');
    const second = usageOf(api, 1);
    assert.ok(second.cache_read_input_tokens >= fileTokens, `read ${second.cache_read_input_tokens} >= file ${fileTokens}`);
    assert.ok(second.input_tokens < 200, `only the new question is uncached (${second.input_tokens})`);
  });

  it('an explain of an edited file re-sends it in place (same id, same position)', async () => {
    const { session } = sessionFor(api);
    session.attach(fileDoc({ ...FILE, uri: 'file:///ws/other.ts', label: 'other.ts', text: source('other') }));
    await explain(session, 0, 1);
    session.attach(fileDoc({ ...FILE, text: FILE.text + '// edited\n' }));
    await session.send('And now?');
    const docs = bodyOf(api, 1).messages[0].content.slice(0, 2).map((b) => b.text!.split('\n')[0]);
    assert.deepEqual(docs, ['<document path="other.ts">', '<document path="src/big.ts">']);
    assert.match(bodyOf(api, 1).messages[0].content[1].text!, /\/\/ edited\n\n<\/document>$/);
    assert.ok(bodyOf(api, 1).messages[0].content[1].cache_control, 'the breakpoint stays on the last document');
  });

  it('adding a context file mid-conversation still reads the earlier prefix', async () => {
    const { session } = sessionFor(api, { settings: { systemPrompt: LONG_SYSTEM } });
    session.attach(fileDoc(FILE));
    await session.send('What is in big.ts?');
    await session.send('Which constant is largest?');
    const before = usageOf(api, 1);
    const prefix = before.cache_read_input_tokens + before.cache_creation_input_tokens + before.input_tokens;
    session.attach(fileDoc({ uri: 'file:///ws/src/extra.ts', label: 'src/extra.ts', text: source('extra') }));
    await session.send('And extra.ts?');
    const after = usageOf(api, 2);
    const systemAndFile = tokens('You explain code.') + 3 + tokens(contextBlockText(fileDoc(FILE))) + 3 + 4;
    assert.ok(after.cache_read_input_tokens >= systemAndFile, `read ${after.cache_read_input_tokens} >= system + first file ${systemAndFile}`);
    assert.ok(after.cache_read_input_tokens < prefix, 'the turns after the context are new (the new file sits before them)');
    const docs = bodyOf(api, 2).messages[0].content;
    assert.equal(docs[0].cache_control, undefined, 'the breakpoint moved to the last document');
    assert.ok(docs[1].cache_control);
    assert.ok(marks(bodyOf(api, 2)) <= 4);
  });

  it('with the 1h setting the stable slots (system, file) use the 1h TTL, before the 5m turn slots', async () => {
    const { session } = sessionFor(api, { settings: { systemPrompt: LONG_SYSTEM, cacheTtl: '1h' } });
    await explain(session, 0, 0);
    const body = bodyOf(api, 0);
    assert.deepEqual(body.system?.[0].cache_control, { type: 'ephemeral', ttl: '1h' });
    assert.deepEqual(body.messages[0].content[0].cache_control, { type: 'ephemeral', ttl: '1h' });
    assert.deepEqual(body.messages[0].content[1].cache_control, { type: 'ephemeral' });
    assert.ok(usageOf(api, 0).cache_creation.ephemeral_1h_input_tokens >= tokens(contextBlockText(fileDoc(FILE))));
    api.clock.advance(10 * 60_000); // past 5 minutes: only the 1h entries live
    await explain(session, 5, 6);
    assert.ok(usageOf(api, 1).cache_read_input_tokens >= tokens(contextBlockText(fileDoc(FILE))), 'the file is still read after 10 minutes');
  });
});
