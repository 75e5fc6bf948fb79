// The LanguageModelChatProvider "Claude (your API key)": a thin adapter from VS Code's provider API to the engine
// in core/lm/provider.ts. Registered once in activate (disposing drops VS Code's cached models). Uses finalized API
// only; the caller's id is read from the options object at run time when VS Code puts it there (`requestInitiator`
// is proposed: on a VS Code that leaves it out, every caller is "an extension VS Code did not name").
import * as vscode from 'vscode';
import { chatInformation } from '../../core/lm/chatInfo';
import { ClaudeProviderEngine, ProviderError, type ProviderDeps, type ProviderSettings } from '../../core/lm/provider';
import type { TokenCounter } from '../../core/lm/tokenCounter';
import type { ProviderThinking } from '../../core/lm/modelCaps';
import { Disposable } from '../../core/lifecycle';
import type { ModelService } from '../models';
import { callerOf } from './consentUi';
import { countText, toLmMessages, toLmTools, toResponsePart } from './convert';

export const PROVIDER_VENDOR = 'claude-api-chat';
const SECTION = 'claudeChat.languageModelProvider';

export function readProviderSettings(): ProviderSettings {
  const c = vscode.workspace.getConfiguration(SECTION);
  const top = vscode.workspace.getConfiguration('claudeChat');
  const thinking = c.get<string>('thinking', 'auto');
  const max = c.get<number>('maxOutputTokens', 16000);
  return {
    enabled: c.get<boolean>('enabled', true) !== false,
    maxOutputTokens: Number.isInteger(max) && max > 0 ? Math.min(max, 128_000) : 16000,
    thinking: (['auto', 'on', 'off'].includes(thinking) ? thinking : 'auto') as ProviderThinking,
    thinkingBudget: top.get<number>('thinkingBudget', 4096),
    cacheTtl: top.get<boolean>('cacheTtl1h', false) ? '1h' : '5m',
  };
}

export class ClaudeChatModelProvider extends Disposable implements vscode.LanguageModelChatProvider {
  readonly engine: ClaudeProviderEngine;
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChangeLanguageModelChatInformation = this.changed.event;

  constructor(deps: Omit<ProviderDeps, 'model'>, private readonly models: ModelService, private readonly counter: TokenCounter, private readonly hasKey: () => Promise<boolean>) {
    super();
    this.engine = new ClaudeProviderEngine({ ...deps, model: (id) => this.models.catalog.cached()?.find((m) => m.id === id) });
    this.register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(SECTION)) this.changed.fire();
      }),
    );
  }

  /** The key or the settings changed: VS Code asks for the models again. */
  refresh(): void {
    this.changed.fire();
  }

  async provideLanguageModelChatInformation(options: vscode.PrepareLanguageModelChatModelOptions): Promise<vscode.LanguageModelChatInformation[]> {
    if (!readProviderSettings().enabled) return [];
    if (!(await this.hasKey())) {
      if (!options.silent) void vscode.commands.executeCommand('claudeChat.setApiKey');
      return [];
    }
    const { models } = await this.models.list();
    return chatInformation(models);
  }

  async provideLanguageModelChatResponse(
    model: vscode.LanguageModelChatInformation,
    messages: readonly vscode.LanguageModelChatRequestMessage[],
    options: vscode.ProvideLanguageModelChatResponseOptions,
    progress: vscode.Progress<vscode.LanguageModelResponsePart>,
    token: vscode.CancellationToken,
  ): Promise<void> {
    const abort = new AbortController();
    const sub = token.onCancellationRequested(() => abort.abort());
    if (token.isCancellationRequested) abort.abort();
    try {
      const caller = callerOf((options as { requestInitiator?: unknown }).requestInitiator);
      const mode = options.toolMode === vscode.LanguageModelChatToolMode.Required ? 2 : 1;
      await this.engine.respond(model.id, toLmMessages(messages), toLmTools(options.tools), mode, caller, (p) => {
        const part = toResponsePart(p);
        if (part && !abort.signal.aborted) progress.report(part);
      }, abort.signal);
    } catch (e) {
      throw asLanguageModelError(e);
    } finally {
      sub.dispose();
    }
  }

  async provideTokenCount(model: vscode.LanguageModelChatInformation, text: string | vscode.LanguageModelChatRequestMessage): Promise<number> {
    return this.counter.count(model.id, countText(text));
  }
}

function asLanguageModelError(e: unknown): Error {
  if (!(e instanceof ProviderError)) return e instanceof Error ? e : new Error(String(e));
  switch (e.code) {
    case 'NoPermissions':
      return vscode.LanguageModelError.NoPermissions(e.message);
    case 'Blocked':
      return vscode.LanguageModelError.Blocked(e.message);
    case 'NotFound':
      return vscode.LanguageModelError.NotFound(e.message);
    default:
      return new Error(e.message);
  }
}
