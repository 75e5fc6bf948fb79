// A ChatApp in plain node: the real session against the fake API, a real ConversationStore in a temp folder, and
// recording fakes for every editor port.
import { createClient } from '../../../src/core/sdk';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChatApp } from '../../../src/core/chat/chatApp';
import type { ChatAppDeps, EditorPorts, InputRequest, ToolsPort, UsageSink } from '../../../src/core/chat/ports';
import type { ComposerHost } from '../../../src/core/composer/ports';
import { ConversationStore } from '../../../src/core/conversationStore';
import { Emitter } from '../../../src/core/lifecycle';
import type { RequestSettings } from '../../../src/core/ports';
import type { HostToWebview, ToolDecision } from '../../../src/shared/protocol';
import type { UsageRecord } from '../../../src/shared/usage';
import { DEFAULT_TEST_KEY, FakeApi } from '../../fake-api/server';

export type Call = [string, ...unknown[]];

/** Every port call, in order, as [name, ...args]; answers come from the queues below. */
export class FakePorts {
  readonly calls: Call[] = [];
  /** What the next notifications answer (a button label, or undefined = dismissed). */
  readonly answers: (string | undefined)[] = [];
  /** What the next input boxes answer. */
  readonly inputs: (string | undefined)[] = [];
  readonly inputRequests: InputRequest[] = [];
  decideResult = true;

  private note = (kind: string) => async (message: string, ...actions: string[]) => {
    this.calls.push([kind, message, ...actions]);
    return this.answers.shift();
  };

  readonly ports: EditorPorts = {
    notify: { info: this.note('info'), warn: this.note('warn'), error: this.note('error') },
    input: {
      ask: async (r) => {
        this.inputRequests.push(r);
        this.calls.push(['input', r.title]);
        return this.inputs.shift();
      },
    },
    editor: {
      reveal: async (uri, lines) => void this.calls.push(['reveal', uri, lines]),
      openMarkdown: async (text) => void this.calls.push(['openMarkdown', text]),
      openExternal: async (href) => void this.calls.push(['openExternal', href]),
    },
    codeBlocks: { run: async (action, code, lang) => void this.calls.push(['codeBlock', action, code, lang]) },
    approvals: {
      decide: (toolId: string, decision: ToolDecision) => {
        this.calls.push(['decide', toolId, decision]);
        return this.decideResult;
      },
    },
    commands: {
      setApiKey: async () => void this.calls.push(['setApiKey']),
      openSettings: async (query) => void this.calls.push(['openSettings', query]),
      setBusy: async (busy) => void this.calls.push(['busy', busy]),
    },
  };

  named(name: string): Call[] {
    return this.calls.filter((c) => c[0] === name);
  }
}

export class RecordingUsage implements UsageSink {
  readonly records: UsageRecord[] = [];
  readonly log: string[] = [];
  record(r: UsageRecord): void {
    this.records.push(r);
    this.log.push('record');
  }
  streaming(_id: string, tokens: number): void {
    this.log.push(`streaming ${tokens}`);
  }
  streamEnded(): void {
    this.log.push('streamEnded');
  }
  setContext(info: { promptTokens: number; estimate?: number }): void {
    this.log.push(`context ${info.promptTokens}${info.estimate !== undefined ? ' estimate' : ''}`);
  }
}

export interface Harness {
  app: ChatApp;
  posted: HostToWebview[];
  fake: FakePorts;
  usage: RecordingUsage;
  store: ConversationStore;
  settings: RequestSettings;
  modelChanged: Emitter<void>;
  refreshModels: boolean[];
  guardAnswers: boolean[];
  /** Messages of one type posted to the view. */
  of<K extends HostToWebview['type']>(type: K): Extract<HostToWebview, { type: K }>[];
}

export interface HarnessOptions {
  key?: string | undefined;
  tools?: ToolsPort;
  settings?: Partial<RequestSettings>;
  contextWindow?: number;
  /** Not marked ready (to test the handshake). */
  notReady?: boolean;
  storeDir?: string;
  /** The editor behind @-mentions, slash commands and instruction files (test/unit/composer/fakeHost.ts). */
  composer?: ComposerHost;
}

export async function chatHarness(api: FakeApi, opts: HarnessOptions = {}): Promise<Harness> {
  const posted: HostToWebview[] = [];
  const fake = new FakePorts();
  const usage = new RecordingUsage();
  const logger = { info() {}, warn() {}, error() {} };
  const store = new ConversationStore(opts.storeDir ?? mkdtempSync(join(tmpdir(), 'chat-app-')), logger);
  const settings: RequestSettings = { model: 'claude-sonnet-5-5', maxTokens: 1024, baseURL: api.url, maxAttempts: 1, ...opts.settings };
  const modelChanged = new Emitter<void>();
  const refreshModels: boolean[] = [];
  const guardAnswers: boolean[] = [];
  const key = 'key' in opts ? opts.key : DEFAULT_TEST_KEY;
  const deps: ChatAppDeps = {
    view: { post: (m) => posted.push(structuredClone(m)) },
    ports: fake.ports,
    keys: { resolve: async () => ({ key, source: key ? 'secret' : 'none' }) },
    connect: (apiKey, baseURL) => createClient({ apiKey, baseURL: baseURL ?? api.url }),
    config: { settings: () => settings, onDidChangeModel: modelChanged.event },
    store,
    models: {
      list: async (refresh) => {
        refreshModels.push(refresh);
        return { models: [{ id: 'claude-sonnet-5-5', displayName: 'Sonnet 5.5' }, { id: 'claude-haiku-5-5', displayName: 'Haiku 5.5' }] };
      },
      contextWindow: () => opts.contextWindow,
    },
    logger: { info() {}, warn() {}, error() {} },
    tools: opts.tools,
    usage,
    mayRequest: async () => guardAnswers.shift() ?? true,
    estimateDebounceMs: 1,
    composer: opts.composer,
  };
  const app = new ChatApp(deps);
  await app.restored;
  if (!opts.notReady) await app.handle({ type: 'ready' });
  const of = <K extends HostToWebview['type']>(type: K) => posted.filter((m): m is Extract<HostToWebview, { type: K }> => m.type === type);
  return { app, posted, fake, usage, store, settings, modelChanged, refreshModels, guardAnswers, of };
}

/** Waits (bounded) until `check` holds. */
export async function until(what: string, check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
