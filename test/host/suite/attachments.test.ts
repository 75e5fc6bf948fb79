// Images and PDFs in a real VS Code host: "Add to Claude Context" on a PDF in the workspace (the explorer's command,
// with the file's URI) attaches it to the next message, which carries it as a document block; the message after it
// reads the PDF from the prompt cache. A file outside the workspace dragged in by URI is refused.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ClaudeChatApi } from '../../../src/extension';
import { DEFAULT_TEST_KEY, FakeApi, startFakeApi } from '../../fake-api/server';
import { makePdf, makePng } from '../../support/media';
import { activated } from './extension.test';

type Body = { messages: { role: string; content: { type: string; source?: { media_type?: string }; citations?: unknown; title?: string }[] }[] };

describe('Images and PDFs in a real VS Code host', () => {
  let api: FakeApi;
  let ext: ClaudeChatApi;
  const config = () => vscode.workspace.getConfiguration('claudeChat');
  const folder = () => vscode.workspace.workspaceFolders![0].uri;
  before(async () => {
    api = await startFakeApi();
    ext = await activated();
    await ext.keys.set(DEFAULT_TEST_KEY, api.url);
    await config().update('baseURL', api.url, vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await ext.keys.clear();
    await config().update('baseURL', undefined, vscode.ConfigurationTarget.Global);
    await api.close();
  });
  beforeEach(async () => {
    api.reset();
    await ext.chat.newChat();
  });

  it('Add to Claude Context on a PDF: the next request carries a document block, and the next one reads it from the cache', async () => {
    const pdf = vscode.Uri.joinPath(folder(), 'docs', 'spec.pdf');
    await vscode.workspace.fs.writeFile(pdf, makePdf(3, { text: (n) => `Section ${n}: the widget must be blue.` }));
    await vscode.commands.executeCommand('claudeChat.addFileToContext', pdf, [pdf]);
    const waiting = ext.chat.attachments!.tray.views();
    assert.deepEqual(waiting.map((a) => [a.name, a.mediaType, a.pages]), [['spec.pdf', 'application/pdf', 3]]);
    assert.equal(ext.chat.session.context.length, 0, 'not added as text context');
    await ext.chat.handle({ type: 'send', text: 'What colour must the widget be?' });
    const first = api.messageRequests[0].body as Body;
    const doc = first.messages.at(-1)!.content[0];
    assert.equal(doc.type, 'document');
    assert.equal(doc.source?.media_type, 'application/pdf');
    assert.equal(doc.title, 'spec.pdf');
    assert.deepEqual(doc.citations, { enabled: true });
    await ext.chat.handle({ type: 'send', text: 'And which section says so?' });
    const [u1, u2] = api.messageRequests.map((r) => r.usage!);
    const prompt1 = u1.input_tokens + u1.cache_creation_input_tokens + u1.cache_read_input_tokens;
    assert.ok(u1.cache_creation_input_tokens >= 4500, `the PDF was written to the cache (${u1.cache_creation_input_tokens} tokens)`);
    assert.equal(u2.cache_read_input_tokens, prompt1, 'the second message read the first prompt, PDF included, from the cache');
    const turn = (await ext.chat.state()).turns[0];
    assert.equal(turn.attachments?.[0].name, 'spec.pdf', 'the sent message shows it');
  });

  it('a file dragged in by URI must be in the workspace (by real path); images from it are attached', async () => {
    const png = vscode.Uri.joinPath(folder(), 'shot.png');
    await vscode.workspace.fs.writeFile(png, makePng(120, 80));
    await ext.chat.handle({ type: 'attachUris', uris: [png.toString(), 'file:///etc/hostname'] });
    const views = ext.chat.attachments!.tray.views();
    assert.deepEqual(views.map((a) => [a.name, a.width, a.height]), [['shot.png', 120, 80]]);
    await ext.chat.handle({ type: 'removeAttachment', id: views[0].id });
    assert.equal(ext.chat.attachments!.tray.views().length, 0);
  });
});
