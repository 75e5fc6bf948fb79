// The controls next to the model picker (effort, tool choice, web tools) for the open conversation, and the warning
// before an action that throws the prompt cache away: switching the model mid-conversation, changing the effort,
// tool choice or web tools, editing the system prompt. Each says what it costs before it happens; declining changes
// nothing (and the control snaps back).
import type { ChatSession } from '../chatSession';
import type { ControlsView, Effort, ToolChoiceMode } from '../../shared/protocol';
import { formatUsd } from '../../shared/format';
import { controlsFor } from './requestOptions';
import type { ChatAppDeps } from './ports';

export const BREAK_ANYWAY = 'Change Anyway';

export class RequestControls {
  constructor(
    private readonly session: ChatSession,
    private readonly deps: Pick<ChatAppDeps, 'config' | 'models' | 'ports' | 'tools' | 'usage' | 'webBlocked'>,
    private readonly post: (controls: ControlsView) => void,
    private readonly save: () => Promise<void>,
    private readonly now: () => number = Date.now,
  ) {}

  view(): ControlsView | undefined {
    const s = this.session.effectiveSettings();
    const caps = this.deps.models.capabilities?.(s.model);
    if (!caps) return undefined;
    const workspaceTools = (this.deps.tools?.definitions().length ?? 0) > 0;
    return controlsFor(this.session.conversation, this.deps.config.settings(), { caps, webBlocked: this.deps.webBlocked?.(), workspaceTools });
  }

  push(): void {
    const v = this.view();
    if (v) this.post(v);
  }

  /**
   * What the next message would lose by `change`, as a sentence, when the conversation's prompt cache is warm;
   * undefined when there is nothing to lose.
   */
  cacheCost(change: string, model = this.session.effectiveSettings().model): string | undefined {
    if (this.session.conversation.turns.length === 0) return undefined;
    const warm = this.session.cacheDoctor.warm(this.now());
    if (!warm) return undefined;
    const tokens = warm.tokens;
    const base = { model, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, batch: false, at: 0, kind: 'chat' as const, exact: true };
    const write = this.deps.usage?.costOf?.({ ...base, cacheWrite5mTokens: tokens });
    const read = this.deps.usage?.costOf?.({ ...base, model: warm.model, cacheReadTokens: tokens });
    const extra = write !== undefined && read !== undefined ? ` (about ${formatUsd(write - read)} more)` : '';
    return `${change} makes the next message write the conversation's ${tokens.toLocaleString('en-US')} cached tokens to the prompt cache again instead of reading them${extra}.`;
  }

  /** Asks before a change that breaks a warm cache. True = go ahead. */
  async confirmBreak(change: string, model?: string): Promise<boolean> {
    const cost = this.cacheCost(change, model);
    if (!cost) return true;
    return (await this.deps.ports.notify.warn(cost, BREAK_ANYWAY)) === BREAK_ANYWAY;
  }

  async setEffort(effort: Effort | 'default'): Promise<void> {
    const conv = this.session.conversation;
    const next = effort === 'default' ? undefined : effort;
    if (conv.effort === next) return;
    if (await this.confirmBreak('Changing the effort')) {
      conv.effort = next;
      await this.save();
    }
    this.push();
  }

  async setToolChoice(choice: ToolChoiceMode): Promise<void> {
    const conv = this.session.conversation;
    const next = choice === 'auto' ? undefined : choice;
    if (conv.toolChoice === next) return;
    if (await this.confirmBreak('Changing the tool choice')) {
      conv.toolChoice = next;
      await this.save();
    }
    this.push();
  }

  async setWebTools(on: boolean): Promise<void> {
    const conv = this.session.conversation;
    const v = this.view();
    if (on && v && !v.web.available) {
      this.push();
      return;
    }
    if (v?.web.on === on) return;
    if (await this.confirmBreak(on ? 'Turning the web tools on' : 'Turning the web tools off')) {
      conv.webTools = on;
      await this.save();
    }
    this.push();
  }
}
