// The controls next to the model picker: effort, tool choice and the web tools, each offering only what the chosen
// model accepts (the host sends the options: core/chat/requestOptions.ts). Changing one mid-conversation may ask first
// (it throws the prompt cache away); the host answers with the controls as they now are.
import type { ControlsView, Effort, ToolChoiceMode } from '../../shared/protocol';
import { el, icon } from '../common/dom';

export interface ControlHooks {
  setEffort(effort: Effort | 'default'): void;
  setToolChoice(choice: ToolChoiceMode): void;
  setWebTools(on: boolean): void;
}

const EFFORT_LABEL: Record<Effort, string> = { low: 'Low', medium: 'Medium', high: 'High', xhigh: 'Extra high', max: 'Max' };
const CHOICE_LABEL: Record<ToolChoiceMode, string> = { auto: 'Tools: auto', none: 'Tools: off', any: 'Must use a tool' };
const CHOICE_HINT: Record<ToolChoiceMode, string> = {
  auto: 'Claude decides whether to use tools (tool_choice auto).',
  none: 'Tools stay defined (the cache is kept) but Claude may not call them (tool_choice none).',
  any: 'The first reply to each message must call a tool (tool_choice any); later rounds are auto.',
};

export class RequestControls {
  readonly root = el('span', { class: 'request-controls' });
  private readonly effort = el('select', { class: 'effort', id: 'effort-select', 'aria-label': 'Effort' });
  private readonly choice = el('select', { class: 'tool-choice', id: 'tool-choice-select', 'aria-label': 'Tool choice' });
  private readonly web = el('button', { type: 'button', class: 'icon web-toggle', id: 'web-toggle', 'aria-pressed': 'false' });

  constructor(hooks: ControlHooks) {
    this.web.append(icon('globe'));
    this.effort.addEventListener('change', () => hooks.setEffort(this.effort.value as Effort | 'default'));
    this.choice.addEventListener('change', () => hooks.setToolChoice(this.choice.value as ToolChoiceMode));
    this.web.addEventListener('click', () => {
      if (this.web.getAttribute('aria-disabled') === 'true') return;
      hooks.setWebTools(this.web.getAttribute('aria-pressed') !== 'true');
    });
    this.root.append(this.effort, this.choice, this.web);
    this.root.hidden = true;
  }

  update(c: ControlsView): void {
    this.root.hidden = false;
    const e = c.effort;
    this.effort.hidden = e.options.length === 0;
    const def = e.modelDefault ? `Default (${EFFORT_LABEL[e.modelDefault].toLowerCase()})` : 'Default';
    this.effort.replaceChildren(el('option', { value: 'default' }, `Effort: ${def.toLowerCase()}`), ...e.options.map((l) => el('option', { value: l }, `Effort: ${EFFORT_LABEL[l].toLowerCase()}`)));
    this.effort.value = e.value === 'default' || e.options.includes(e.value) ? e.value : 'default';
    this.effort.title = `How much effort Claude spends (output_config.effort); lower is faster and cheaper. Only the levels this model accepts are listed.${e.modelDefault ? ` Default for this model: ${EFFORT_LABEL[e.modelDefault].toLowerCase()}.` : ''}`;
    this.effort.setAttribute('aria-label', `Effort: ${e.value === 'default' ? def.toLowerCase() : EFFORT_LABEL[e.value].toLowerCase()}`);

    const t = c.toolChoice;
    this.choice.hidden = !t.available;
    this.choice.replaceChildren(...t.options.map((m) => el('option', { value: m }, CHOICE_LABEL[m])));
    this.choice.value = t.value;
    this.choice.title = `${CHOICE_HINT[t.value]}${t.options.includes('any') ? '' : ' "Must use a tool" is not offered: this model (or thinking "enabled") rejects forced tool use.'}`;

    const w = c.web;
    this.web.setAttribute('aria-pressed', String(w.on));
    this.web.setAttribute('aria-disabled', String(!w.available));
    this.web.classList.toggle('on', w.on);
    const label = !w.available ? `Web search and fetch unavailable: ${w.note ?? ''}` : w.on ? 'Web search and fetch: on for this conversation (click to turn off)' : 'Web search and fetch: off (click to turn on for this conversation)';
    this.web.setAttribute('aria-label', label);
    this.web.title = label;
  }
}
