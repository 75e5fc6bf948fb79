// The long session's size estimate (requestBuild.ts) with images and PDFs: an attachment counts by its own token
// estimate, never by the characters of its base64 (a 3 MB PDF is ~4 million characters but a few pages of tokens).
// Counting the base64 made the projection pass the window: compaction fired at once, then the request was refused
// as "too large even after compaction".
import * as assert from 'node:assert/strict';
import { setAttachmentData } from '../../../src/core/attachments/blocks';
import type { Attachment } from '../../../src/core/attachments/types';
import { newConversation } from '../../../src/core/conversation';
import { buildRequest } from '../../../src/core/session/requestBuild';
import { resolveSessionSettings } from '../../../src/core/session/settings';
import { turnTranscript } from '../../../src/core/session/summarize';

describe('Long-session size estimate with images and PDFs', () => {
  function conversationWith(a: Attachment) {
    const conv = newConversation(0);
    conv.turns.push({ id: 't1', userText: 'what does this show?', blocks: [{ id: 'b1', kind: 'text', text: 'a chart', complete: true }], status: 'complete', model: 'claude-sonnet-5-5', attachments: [a] });
    return conv;
  }
  const build = (conv: ReturnType<typeof newConversation>) =>
    buildRequest(conv, { model: 'claude-sonnet-5-5', maxTokens: 1024, baseURL: 'http://127.0.0.1:1' }, { session: resolveSessionSettings({}), editing: 'off', serverBlocks: false });

  it('an attached PDF counts its estimated tokens, not its base64 characters; the base64 still goes in the request', () => {
    const pdf: Attachment = { id: 'a1', name: 'report.pdf', mediaType: 'application/pdf', bytes: 3_000_000, tokens: 6000, pages: 3, hash: 'f'.repeat(64) };
    const data = 'A'.repeat(4_000_000);
    setAttachmentData(pdf, data);
    const built = build(conversationWith(pdf));
    assert.ok(JSON.stringify(built.params.messages).includes(data), 'the document is sent');
    assert.ok(built.rough >= 6000 && built.rough < 7000, `rough ${built.rough}`);
    assert.ok(built.parts.history >= 6000 && built.parts.history < 7000, JSON.stringify(built.parts));
  });

  it('an image in a tool result counts its estimate too', () => {
    const img: Attachment = { id: 'a2', name: 'shot.png', mediaType: 'image/png', bytes: 900_000, tokens: 1600, width: 1200, height: 800, hash: 'e'.repeat(64) };
    setAttachmentData(img, 'B'.repeat(1_200_000));
    const conv = newConversation(0);
    conv.turns.push({
      id: 't1', userText: 'look at shot.png', status: 'complete', model: 'claude-sonnet-5-5',
      blocks: [
        { id: 'b1', kind: 'tool_use', text: '', toolName: 'read_file', toolId: 'tu1', input: { path: 'shot.png' }, complete: true },
        { id: 'b2', kind: 'tool_result', text: 'shot.png: an image', toolId: 'tu1', complete: true, attachments: [img] },
        { id: 'b3', kind: 'text', text: 'a chart', complete: true },
      ],
    });
    const built = build(conv);
    assert.ok(JSON.stringify(built.params.messages).includes('"type":"image"'), 'the image is sent');
    assert.ok(built.rough >= 1600 && built.rough < 2600, `rough ${built.rough}`);
  });

  it('the transcript a summary is written from names the attached files (the summarizer does not get the files)', () => {
    const pdf: Attachment = { id: 'a1', name: 'report.pdf', mediaType: 'application/pdf', bytes: 3_000_000, tokens: 6000, pages: 3, hash: 'f'.repeat(64) };
    const text = turnTranscript(conversationWith(pdf).turns[0]);
    assert.match(text, /## User\nwhat does this show\?\n\[attached: report\.pdf \(PDF\)\]/);
  });
});
