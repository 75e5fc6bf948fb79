// The list of turns on screen: user messages, streamed assistant blocks, tool cards, footers. It paints what the
// model (model.ts) holds and keeps only DOM handles, never a second copy of the conversation.
import type { BlockView, CitationView, CodeBlockAction, WebCitationView, ErrorAction, RetryView, ToolDecision, ToolStatus, TurnView } from '../../shared/protocol';
import { appendCitation, attachmentRow } from './attachmentChip';
import { el, icon } from '../common/dom';
import { MessageRenderer, RenderHooks } from './render';
import { ToolCard } from './toolCard';
import { paintCountdown, paintFooter } from './turnFooter';
import { estimateHeight, TurnWindow } from './turnWindow';
import { CitationNumbers, citationsElement, WebCard } from './webCards';
import { renderUserMessage } from './userMessage';

export interface TranscriptHooks {
  onAction(action: ErrorAction): void;
  onLink(href: string): void;
  onCodeBlockAction(action: CodeBlockAction, code: string, lang: string): void;
  onCancelRetry(): void;
  onRevealRef(turnId: string): void;
  onToolDecision(toolId: string, decision: ToolDecision): void;
  onOpenAttachment(id: string): void;
  onOpenCitation(turnId: string, blockId: string, index: number): void;
  announce(text: string): void;
  /** The turn as the model holds it now. */
  turn(turnId: string): TurnView | undefined;
  /** A turn's element was built and put in the page (it may be built again after scrolling away and back). */
  built?(turnId: string): void;
  /** A later turn continues this one's reply (its max-tokens notice and Continue are done). */
  continued?(turnId: string): boolean;
  /** The first turn held came near the viewport: ask for the turns before it, if there are any (turnWindow.ts). */
  older?(): void;
}

interface BlockEntry {
  renderer?: MessageRenderer;
  card?: ToolCard;
  web?: WebCard;
  body: HTMLElement;
  painted: boolean;
  /** Citations of attached PDFs so far, and the last marker after the block. */
  cited?: number;
  lastRef?: HTMLElement;
  webCitations?: HTMLElement;
}

interface TurnEntry {
  root: HTMLElement;
  reply: HTMLElement;
  footer: HTMLElement;
  blocks: Map<string, BlockEntry>;
  cards: Map<string, ToolCard>;
  webCards: Map<string, WebCard>;
  cites: CitationNumbers;
  countdown?: ReturnType<typeof setInterval>;
  /** The reply's footnotes (citations of attached PDFs), between the reply and its footer. */
  notes?: HTMLOListElement;
}

export class Transcript {
  private turns = new Map<string, TurnEntry>();
  private readonly renderHooks: RenderHooks;
  /** Which turns have DOM (the turns near the viewport); every turn is still built by renderTurn(). */
  private readonly window: TurnWindow;
  /** The view addTurn() was given, for the model that may not hold it yet. */
  private incoming: TurnView | undefined;
  private following = false;

  constructor(readonly root: HTMLElement, private readonly hooks: TranscriptHooks) {
    this.renderHooks = { onLink: (href) => hooks.onLink(href), onCodeBlockAction: (a, code, lang) => hooks.onCodeBlockAction(a, code, lang) };
    this.window = new TurnWindow(root, {
      render: (id) => {
        const view = this.incoming?.id === id ? this.incoming : hooks.turn(id);
        if (!view) return undefined;
        queueMicrotask(() => hooks.built?.(id)); // once the window has put it in the page
        return this.renderTurn(view).root;
      },
      drop: (id) => this.dropTurn(id),
      estimate: (id) => estimateHeight(hooks.turn(id)),
      pinned: (id) => hooks.turn(id)?.status === 'streaming',
      older: () => hooks.older?.(),
    });
  }

  /** Removes every turn, with its renderers and timers. */
  clear(): void {
    this.window.clear();
    for (const id of [...this.turns.keys()]) this.dropTurn(id);
    this.root.replaceChildren();
  }

  /** Paints a whole conversation: the newest turns at once, older ones as they scroll near (turnWindow.ts). */
  showAll(turns: readonly TurnView[]): void {
    this.clear();
    this.window.reset(turns.map((t) => t.id));
    this.scrollToEnd();
    // Once the window has built the turns above the viewport (next frame), the end again: a conversation opens at
    // its last turn.
    const view = this.root.ownerDocument.defaultView;
    view?.requestAnimationFrame?.(() => view.requestAnimationFrame(() => this.scrollToEnd()));
  }

  /** Older turns of the conversation, before all the others (the model holds them now), without moving the view. */
  prependTurns(turns: readonly TurnView[]): void {
    this.window.prepend(turns.map((t) => t.id));
  }

  /** A new turn at the end of the conversation. */
  addTurn(view: TurnView): void {
    this.incoming = view;
    try {
      this.window.append(view.id);
    } finally {
      this.incoming = undefined;
    }
  }

  /** Forgets a turn's DOM handles: its renderers and timers (turnWindow.ts removed or will remove its element). */
  private dropTurn(id: string): void {
    const t = this.turns.get(id);
    if (!t) return;
    this.clearCountdown(t);
    for (const b of t.blocks.values()) b.renderer?.dispose();
    this.turns.delete(id);
  }

  /** Builds one turn: the user's message, the reply's blocks, the footer. Every turn on screen is built here. */
  private renderTurn(view: TurnView): TurnEntry {
    const user = renderUserMessage(view, {
      onRevealRef: (id) => this.hooks.onRevealRef(id),
      render: this.renderHooks,
      attachments: (list) => attachmentRow(list, { open: (id) => this.hooks.onOpenAttachment(id) }, 'Attachments sent'),
    });
    const reply = el('div', { class: 'reply-body' });
    const footer = el('div', { class: 'turn-footer' });
    const assistant = el('div', { class: 'msg assistant', 'aria-label': 'Claude replied' });
    assistant.append(el('div', { class: 'who' }, icon('sparkle'), el('span', {}, 'Claude')), reply, footer);
    const root = el('section', { class: 'turn', 'data-turn': view.id }, user, assistant);
    const entry: TurnEntry = { root, reply, footer, blocks: new Map(), cards: new Map(), webCards: new Map(), cites: new CitationNumbers() };
    this.turns.set(view.id, entry);
    this.materialize(view);
    this.paintStatus(entry, view);
    return entry;
  }

  private materialize(view: TurnView): void {
    for (const b of view.blocks) {
      this.startBlock(view.id, b);
      this.stopBlock(view.id, b.id);
    }
  }

  /** The page to its very end: the last turn's end clears the sticky composer (scrollIntoView hid it behind it). */
  scrollToEnd(): void {
    const s = this.root.ownerDocument.scrollingElement;
    if (s) s.scrollTop = s.scrollHeight;
  }

  startBlock(turnId: string, block: BlockView): void {
    const t = this.turns.get(turnId);
    if (!t || t.blocks.has(block.id)) return;
    if (block.kind === 'tool_result') {
      const card = t.cards.get(block.toolId ?? '');
      card?.setResult(block.text, !!block.isError, !!block.untrusted);
      if (card && block.attachments?.length) card.root.append(attachmentRow(block.attachments, { open: (id) => this.hooks.onOpenAttachment(id) }, 'Files the tool returned'));
      return;
    }
    if (block.kind === 'web_search_tool_result' || block.kind === 'web_fetch_tool_result') {
      let card = t.webCards.get(block.toolId ?? '');
      if (!card) {
        // A result whose call is not on screen (should not happen): a card of its own.
        card = new WebCard(block.kind === 'web_fetch_tool_result' ? 'web_fetch' : 'web_search', block.toolId ?? block.id, (h) => this.hooks.onLink(h));
        t.reply.append(card.root);
      }
      card.setResult(block.sources, block.errorCode);
      return;
    }
    let entry: BlockEntry;
    if (block.kind === 'server_tool_use') {
      const web = new WebCard(block.toolName ?? 'web_search', block.toolId ?? block.id, (h) => this.hooks.onLink(h));
      t.webCards.set(block.toolId ?? block.id, web);
      t.reply.append(web.root);
      entry = { body: web.root, web, painted: false };
    } else if (block.kind === 'tool_use') {
      const card = new ToolCard(block.toolName ?? 'tool', block.toolId ?? block.id, (id, d) => this.hooks.onToolDecision(id, d));
      if (block.toolSource) card.setSource(block.toolSource);
      if (block.toolStatus) card.setStatus(block.toolStatus, undefined, block.protectedReason);
      t.cards.set(block.toolId ?? block.id, card);
      t.reply.append(card.root);
      entry = { body: card.root, card, painted: false };
    } else if (block.kind === 'thinking' || block.kind === 'redacted_thinking') {
      const details = el('details', { class: 'thinking' });
      details.append(el('summary', {}, icon('lightbulb'), el('span', {}, block.kind === 'thinking' ? 'Thinking' : 'Thinking (redacted)')));
      const body = el('div', { class: 'thinking-body' });
      details.append(body);
      t.reply.append(details);
      entry = { body, renderer: new MessageRenderer(body, this.renderHooks), painted: false };
    } else {
      const body = el('div', { class: 'text-block' });
      t.reply.append(body);
      entry = { body, renderer: new MessageRenderer(body, this.renderHooks), painted: false };
    }
    t.blocks.set(block.id, entry);
    if (block.text) this.appendDelta(turnId, block.id, block.text);
    for (const c of block.citations ?? []) this.citation(turnId, block.id, c);
    if (block.webCitations?.length) this.setWebCitations(turnId, block.id, block.webCitations);
  }

  /**
   * A citation of a text block: a numbered marker right after the cited text (the reply's text blocks then flow as
   * one paragraph, as the API splits a cited answer into blocks), and a footnote under the reply with the passage
   * and the PDF page it opens.
   */
  citation(turnId: string, blockId: string, c: CitationView): void {
    const t = this.turns.get(turnId);
    const b = t?.blocks.get(blockId);
    if (!t || !b) return;
    appendCitation(t, b, c, (index) => this.hooks.onOpenCitation(turnId, blockId, index));
  }

  /** The web sources a text block cites, as numbered links right after it. */
  setWebCitations(turnId: string, blockId: string, citations: readonly WebCitationView[]): void {
    const t = this.turns.get(turnId);
    const b = t?.blocks.get(blockId);
    if (!t || !b) return;
    b.webCitations?.remove();
    b.webCitations = citationsElement(citations, t.cites, (h) => this.hooks.onLink(h));
    b.body.after(b.webCitations);
  }

  appendDelta(turnId: string, blockId: string, text: string): void {
    const b = this.turns.get(turnId)?.blocks.get(blockId);
    if (!b) return;
    const first = !b.painted;
    b.painted = true;
    if (b.renderer) {
      b.renderer.append(text);
      // Paint the first words at once; later deltas coalesce to one render per frame.
      if (first) b.renderer.flush();
    } else if (b.web) b.web.appendInput(text);
    else b.card?.appendInput(text);
    this.followIfAtBottom();
  }

  stopBlock(turnId: string, blockId: string): void {
    const b = this.turns.get(turnId)?.blocks.get(blockId);
    b?.renderer?.finish();
    b?.card?.finishInput();
    b?.web?.finishInput();
  }

  toolStatus(turnId: string, toolId: string, status: ToolStatus, detail?: string, protectedReason?: string, source?: string): void {
    const card = this.turns.get(turnId)?.cards.get(toolId);
    if (source !== undefined) card?.setSource(source);
    card?.setStatus(status, detail, protectedReason);
    if (status === 'pending-approval') this.hooks.announce('A tool call is waiting for your approval.');
  }

  /** The turn goes on (the tool loop was resumed). */
  resume(view: TurnView): void {
    const t = this.turns.get(view.id);
    if (t) this.paintStatus(t, view);
  }

  /** Shows a live countdown to the next attempt, with Cancel. */
  retryWait(turnId: string, r: RetryView): void {
    const t = this.turns.get(turnId);
    if (!t) return;
    this.clearCountdown(t);
    t.countdown = paintCountdown(t.footer, r, () => this.hooks.onCancelRetry());
    this.hooks.announce(`${r.reason} Retrying in ${Math.ceil(r.delayMs / 1000)} seconds.`);
  }

  endTurn(view: TurnView): void {
    const t = this.turns.get(view.id);
    if (!t) return;
    this.clearCountdown(t);
    for (const b of t.blocks.values()) b.renderer?.finish();
    this.paintStatus(t, view);
    const text = view.blocks.filter((b) => b.kind === 'text').map((b) => b.text).join('\n');
    if (view.status === 'complete') this.hooks.announce(`Claude replied: ${text.slice(0, 500)}`);
    else if (view.status === 'stopped') this.hooks.announce('Reply stopped.');
    else if (view.status === 'error') this.hooks.announce(`Error: ${view.error?.message ?? 'request failed'}`);
  }

  private paintStatus(t: TurnEntry, view: TurnView): void {
    t.root.dataset.status = view.status;
    paintFooter(t.footer, view, (a) => this.hooks.onAction(a), this.hooks.continued?.(view.id) ?? false);
  }

  private clearCountdown(t: TurnEntry): void {
    if (t.countdown) clearInterval(t.countdown);
    t.countdown = undefined;
  }

  /**
   * Keeps the end in view while it grows, if the user was there when the frame's first delta came. Reads layout
   * once per frame (it used to on every delta) and scrolls after the frame's render.
   */
  private followIfAtBottom(): void {
    if (this.following) return;
    const s = this.root.ownerDocument.scrollingElement;
    if (!s || s.scrollHeight - s.scrollTop - s.clientHeight >= 120) return;
    const view = this.root.ownerDocument.defaultView;
    if (!view || typeof view.requestAnimationFrame !== 'function') {
      s.scrollTop = s.scrollHeight;
      return;
    }
    this.following = true;
    view.requestAnimationFrame(() => {
      this.following = false;
      s.scrollTop = s.scrollHeight;
    });
  }
}
