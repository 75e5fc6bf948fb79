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
import type { Turn } from '../../../src/core/conversation';
import { Emitter } from '../../../src/core/lifecycle';
import type { AttachmentDeps } from '../../../src/core/attachments/ports';
import type { CacheMissRecord, RequestSettings } from '../../../src/core/ports';
import type { ModelCapabilities } from '../../../src/core/capabilities';
import type { ContextCapabilities } from '../../../src/core/session/longSession';
import type { CheckpointPorts } from '../../../src/core/session/restore';
import type { HostToWebview, ToolDecision, WebviewToHost } from '../../../src/shared/protocol';
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
  readonly misses: CacheMissRecord[] = [];
  /** When set, the cost the turn footer shows (price per token of every kind, and per search). */
  pricePerToken: number | undefined;
  costOf(r: UsageRecord): number | undefined {
    if (this.pricePerToken === undefined) return undefined;
    return (r.inputTokens + r.outputTokens + r.cacheReadTokens + r.cacheWrite5mTokens + r.cacheWrite1hTokens) * this.pricePerToken + (r.webSearchRequests ?? 0) * 0.01;
  }
  cacheMiss(m: CacheMissRecord): void {
    this.misses.push(m);
  }
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
  /** The capability table port (core/capabilities.ts); without it no request controls are offered. */
  capabilities?: (model: string) => ModelCapabilities;
  /** Why the web tools are off (Restricted Mode), or undefined. */
  webBlocked?: () => string | undefined;
  storeDir?: string;
  /** Restoring checkpoints (a node workspace and a scripted restore port: test/unit/session/helpers.ts). */
  checkpoints?: CheckpointPorts;
  contextCapabilities?: (model: string) => ContextCapabilities | undefined;
  /** Images and PDFs: the store folder, the editor's file port, and the webview's image work (see attachmentFakes.ts). */
  attachments?: AttachmentDeps;
  /** Answers the webview would give to a prepareImage (default: none, it times out). */
  prepare?: (m: Extract<HostToWebview, { type: 'prepareImage' }>) => Promise<Extract<WebviewToHost, { type: 'imagePrepared' }>> | undefined;
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
    view: {
      post: (m) => {
        posted.push(structuredClone(m));
        if (m.type === 'prepareImage') void opts.prepare?.(m)?.then((answer) => app.handle(answer));
      },
    },
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
      contextCapabilities: opts.contextCapabilities,
      ...(opts.capabilities ? { capabilities: opts.capabilities } : {}),
    },
    checkpoints: opts.checkpoints,
    webBlocked: opts.webBlocked,
    logger: { info() {}, warn() {}, error() {} },
    tools: opts.tools,
    usage,
    mayRequest: async () => guardAnswers.shift() ?? true,
    estimateDebounceMs: 1,
    attachments: opts.attachments,
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

/** `n` finished turns, ids tb0…, each one short text reply (`text` makes some longer). */
export function bigTurns(n: number, text = (i: number) => `Answer ${i}: use addition.`): Turn[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `tb${i}`, userText: `Question ${i}`, status: 'complete', model: 'm', stopReason: 'end_turn',
    blocks: [{ id: `tb${i}b0`, kind: 'text', text: text(i), complete: true }],
  }));
}
