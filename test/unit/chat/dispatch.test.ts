// Every message the chat webview can send, through the core ChatApp in plain node: the real session against the
// fake API, fakes for the editor ports. CASES has one entry per WebviewToHost type, so a new message type does not
// compile until it has a test (turnCases.ts, conversationCases.ts).
import type { WebviewToHost } from '../../../src/shared/protocol';
import { FakeApi, startFakeApi } from '../../fake-api/server';
import { CONVERSATION_CASES } from './conversationCases';
import { OPTION_CASES } from './optionCases';
import { Case, TURN_CASES } from './turnCases';
import { SESSION_CASES } from './sessionCases';
import { ATTACHMENT_CASES } from '../attachments/attachmentCases';

const CASES: Record<WebviewToHost['type'], Case> = { ...TURN_CASES, ...CONVERSATION_CASES, ...SESSION_CASES, ...ATTACHMENT_CASES, ...OPTION_CASES };

describe('ChatApp: every message from the webview, in plain node', () => {
  let api: FakeApi;
  before(async () => {
    api = await startFakeApi({ models: [{ id: 'claude-tiny-test', max_input_tokens: 3000, max_tokens: 1024 }] });
  });
  after(() => api.close());
  beforeEach(() => api.reset());

  for (const [type, c] of Object.entries(CASES)) it(`${type}: ${c.title}`, () => c.run(api));
});
