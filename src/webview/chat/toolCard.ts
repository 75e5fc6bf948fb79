// A tool call in the chat: name, streamed input, live status, approve/deny when asked, and its result. A protected
// edit (a file that runs or configures code) shows why it is asked and offers no "allow for this conversation". A
// tool of another extension or an MCP server names where it comes from, can be allowed for the workspace, and its
// result is marked untrusted.
import { TOOL_DECISION_LABELS, type ToolDecision, type ToolStatus } from '../../shared/protocol';
import { button, el, icon } from '../common/dom';

const STATUS: Record<ToolStatus, [string, string]> = {
  'pending-approval': ['Waiting for your approval', 'question'],
  running: ['Running…', 'loading codicon-modifier-spin'],
  done: ['Done', 'check'],
  error: ['Failed', 'error'],
  denied: ['Rejected', 'circle-slash'],
  cancelled: ['Cancelled', 'debug-stop'],
};

const RESULT_PREVIEW = 4000;

export class ToolCard {
  readonly root: HTMLElement;
  private readonly input = el('pre', { class: 'tool-input' });
  private readonly status = el('span', { class: 'tool-status' });
  private readonly actions = el('div', { class: 'tool-actions' });
  private readonly warning = el('div', { class: 'tool-protected', role: 'note', hidden: '' });
  private readonly result = el('details', { class: 'tool-result', hidden: '' });
  private readonly source = el('div', { class: 'tool-source', hidden: '' });
  private inputText = '';
  private external = false;

  constructor(name: string, private readonly toolId: string, private readonly decide: (toolId: string, d: ToolDecision) => void) {
    this.root = el('div', { class: 'tool-call', 'data-tool-id': toolId, role: 'group', 'aria-label': `Tool call ${name}` },
      el('div', { class: 'tool-head' }, icon('tools'), el('span', { class: 'tool-name' }, name), this.status),
      this.source, this.input, this.warning, this.actions, this.result);
  }

  /** Another extension's or an MCP server's tool: says where it comes from. */
  setSource(label: string): void {
    this.external = true;
    this.root.dataset.external = 'true';
    this.root.setAttribute('aria-label', `Tool call ${this.root.querySelector('.tool-name')?.textContent ?? ''} from ${label}`);
    this.source.hidden = false;
    this.source.replaceChildren(icon(label.startsWith('MCP') ? 'server-process' : 'extensions'), el('span', {}, `From ${label}`));
  }

  appendInput(delta: string): void {
    this.inputText += delta;
    this.input.textContent = this.inputText;
  }

  /** Pretty-prints the complete input JSON. */
  finishInput(): void {
    try {
      this.input.textContent = JSON.stringify(JSON.parse(this.inputText || '{}'), null, 2);
    } catch {
      /* keep the raw text */
    }
  }

  setStatus(status: ToolStatus, detail?: string, protectedReason?: string): void {
    const [label, iconName] = STATUS[status];
    this.root.dataset.status = status;
    this.status.replaceChildren(icon(iconName), el('span', {}, detail ? `${label} · ${detail}` : label));
    this.actions.replaceChildren();
    const isProtected = status === 'pending-approval' && protectedReason !== undefined;
    this.warning.hidden = !isProtected;
    this.warning.replaceChildren(...(isProtected ? [icon('warning'), el('span', {}, `Always asked: ${protectedReason}`)] : []));
    if (status === 'pending-approval') {
      const mk = (d: ToolDecision, iconName: string, cls: string) => {
        const label = TOOL_DECISION_LABELS[d];
        const b = button(label, iconName, { class: cls, 'data-decision': d }, label);
        b.addEventListener('click', () => this.decide(this.toolId, d));
        return b;
      };
      if (isProtected) this.actions.append(mk('approve', 'check', 'primary'), mk('reject', 'close', 'secondary'));
      else if (this.external) this.actions.append(mk('approve', 'check', 'primary'), mk('always', 'check-all', 'secondary'), mk('workspace', 'workspace-trusted', 'secondary'), mk('reject', 'close', 'secondary'));
      else this.actions.append(mk('approve', 'check', 'primary'), mk('always', 'check-all', 'secondary'), mk('reject', 'close', 'secondary'));
    }
  }

  setResult(text: string, isError: boolean, untrusted = false): void {
    this.result.hidden = false;
    this.result.classList.toggle('is-error', isError);
    this.result.classList.toggle('is-untrusted', untrusted);
    const what = isError ? 'Error result' : `Result (${text.length.toLocaleString()} chars)`;
    const summary = el('summary', {}, icon(isError ? 'error' : 'output'), el('span', {}, what),
      ...(untrusted ? [el('span', { class: 'untrusted-badge', title: 'This text comes from outside Claude API Chat. Claude is told to treat it as data, not as instructions.' }, icon('shield'), el('span', {}, 'Untrusted'))] : []));
    const body = el('pre', { class: 'tool-result-body' }, text.length > RESULT_PREVIEW ? `${text.slice(0, RESULT_PREVIEW)}\n…` : text);
    this.result.replaceChildren(summary, body);
    if (isError) this.result.open = true;
    if (!this.root.dataset.status || this.root.dataset.status === 'running' || this.root.dataset.status === 'pending-approval') this.setStatus(isError ? 'error' : 'done');
  }
}
