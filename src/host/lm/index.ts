// Wires the vscode.lm integration: Claude as a language model provider for other extensions (registered once), and
// the tools of other extensions and MCP servers in our agentic loop.
import * as vscode from 'vscode';
import type { ApiKeyService } from '../../core/apiKey';
import type { Connect } from '../../core/keyRoute';
import { DisposableStore, type IDisposable } from '../../core/lifecycle';
import type { CallerConsent } from '../../core/lm/consent';
import { ExternalToolSource } from '../../core/lm/externalTools';
import { TokenCounter } from '../../core/lm/tokenCounter';
import { systemClock, type Logger, type UsageRecorder } from '../../core/ports';
import type { WorkspaceToolRunner } from '../../core/tools/runner';
import type { Approver } from '../../core/tools/workspace';
import type { ModelService } from '../models';
import { createConsent, manageCallerAccess, type TestConsentAsker } from './consentUi';
import { configuredServers, type McpServerInfo } from './mcpServers';
import { ClaudeChatModelProvider, PROVIDER_VENDOR, readProviderSettings } from './provider';
import { ToolBridge } from './toolBridge';
import { chooseTools } from './toolPicker';

export interface LmDeps {
  keys: ApiKeyService;
  connect: Connect;
  models: ModelService;
  usage: UsageRecorder;
  mayRequest(): Promise<boolean>;
  runner: WorkspaceToolRunner;
  approver: Approver;
  logger: Logger;
}

export interface LmIntegration extends IDisposable {
  provider: ClaudeChatModelProvider;
  consent: CallerConsent;
  counter: TokenCounter;
  bridge: ToolBridge;
  tools: ExternalToolSource;
  /** Only in the extension's own tests: answers the caller question. */
  testConsent?: TestConsentAsker;
  chooseTools(): Promise<void>;
  manageAccess(): Promise<void>;
  /** The MCP servers configured for VS Code (read again now). */
  servers(): Promise<McpServerInfo[]>;
}

export function createLm(context: vscode.ExtensionContext, d: LmDeps): LmIntegration {
  const store = new DisposableStore();
  const { consent, testAsker } = createConsent(context);
  let keyKnown = false;
  const hasKey = async () => (keyKnown = !!(await d.keys.resolve()).key);
  const counter = new TokenCounter({
    count: async (model, text) => {
      const { key } = await d.keys.resolve();
      if (!key) throw new Error('no API key');
      const client = await d.connect(key);
      return (await client.messages.countTokens({ model, messages: [{ role: 'user', content: text }] })).input_tokens;
    },
    // Only once the user let some extension use the provider: an unknown caller's counting must not reach the API.
    mayRefine: () => keyKnown && readProviderSettings().enabled && consent.remembered().some(([, v]) => v === 'allow'),
    logger: d.logger,
  });
  store.add({ dispose: () => counter.dispose() });
  const provider = store.add(
    new ClaudeChatModelProvider(
      { settings: readProviderSettings, apiKey: async () => (await d.keys.resolve()).key, connect: d.connect, consent, mayRequest: d.mayRequest, usage: d.usage, clock: systemClock, logger: d.logger },
      d.models,
      counter,
      hasKey,
    ),
  );
  store.add(vscode.lm.registerLanguageModelChatProvider(PROVIDER_VENDOR, provider));
  store.add(context.secrets.onDidChange(() => provider.refresh()));

  const bridge = new ToolBridge(context.workspaceState, d.approver, context.extension.id, d.logger);
  store.add(vscode.extensions.onDidChange(() => bridge.extensionsChanged()));
  const tools = new ExternalToolSource(bridge, d.logger);
  store.add(d.runner.addSource(tools));
  store.add(vscode.workspace.onDidGrantWorkspaceTrust(() => d.runner.changed()));
  void configuredServers(context.globalStorageUri, d.logger).then((s) => (bridge.servers = s));
  return {
    provider,
    consent,
    counter,
    bridge,
    tools,
    testConsent: testAsker,
    chooseTools: () => chooseTools(bridge, context.globalStorageUri, d.logger),
    manageAccess: () => manageCallerAccess(consent),
    servers: async () => (bridge.servers = await configuredServers(context.globalStorageUri, d.logger)),
    dispose: () => store.dispose(),
  };
}
