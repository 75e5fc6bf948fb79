// Splitting markdown source into top-level blocks with markdown-it's block parser and its line maps.
//
// A span owns its block's lines plus the gap before it (blank lines, reference definitions), so the
// spans of a text tile it exactly. A block is *closed* once a later top-level block has started on a
// complete line: CommonMark block structure is decided line by line and a closed block never reopens.
// The partial last line is ignored when deciding ("2" may still become "2." and continue a list), and a
// fenced code block whose closing fence line is complete is closed even when nothing follows it yet.
import type MarkdownIt from 'markdown-it';
import { describeOpen, type OpenBlockInfo } from './continuation';
import { markdown } from './markdown';

type Token = MarkdownIt.Token;

/** Half-open character range [start, end) within the text that was split. */
export interface BlockSpan {
  start: number;
  end: number;
}

/** Block tokens from a block-only parse: no inline parsing, no rendering. */
function blockTokens(src: string): Token[] {
  const md = markdown();
  const tokens: Token[] = [];
  // References found here go to a throwaway env: deciding boundaries must not commit anything.
  md.block.parse(src, md, { references: Object.create(null) }, tokens);
  return tokens;
}

/** Top-level block tokens (with line maps). */
function topLevel(tokens: Token[]): Token[] {
  return tokens.filter((t) => t.level === 0 && t.nesting !== -1 && t.map !== null);
}

function topLevelBlocks(src: string): Token[] {
  return topLevel(blockTokens(src));
}

/** Offsets of each line start in `src`, plus src.length as the start of the line after the last. */
function lineStarts(src: string): number[] {
  const starts = [0];
  for (let i = src.indexOf('\n'); i !== -1; i = src.indexOf('\n', i + 1)) starts.push(i + 1);
  if (starts[starts.length - 1] !== src.length) starts.push(src.length);
  return starts;
}

function offsetOfLine(starts: number[], line: number): number {
  return line < starts.length ? starts[line] : starts[starts.length - 1];
}

const FENCE_CLOSE = /^ {0,3}(`{3,}|~{3,})[ \t]*$/;

/** True when `t` is a fenced code block whose last mapped line is its closing fence. */
function isClosedFence(t: Token, src: string, starts: number[]): boolean {
  if (t.type !== 'fence' || !t.map || t.map[1] - t.map[0] < 2) return false;
  const last = src.slice(offsetOfLine(starts, t.map[1] - 1), offsetOfLine(starts, t.map[1])).replace(/\n$/, '');
  const m = FENCE_CLOSE.exec(last);
  return !!m && m[1][0] === t.markup[0] && m[1].length >= t.markup.length;
}

function spansFor(blocks: Token[], count: number, starts: number[]): BlockSpan[] {
  const spans: BlockSpan[] = [];
  let start = 0;
  for (let i = 0; i < count; i++) {
    const end = offsetOfLine(starts, (blocks[i].map as [number, number])[1]);
    spans.push({ start, end });
    start = end;
  }
  return spans;
}

/**
 * The closed blocks at the start of `tail` (which begins at a line start), judged on complete lines
 * only. Returns [] when nothing can be frozen yet. Cost is linear in tail.length.
 */
export function closedBlocks(tail: string): BlockSpan[] {
  return splitTail(tail).closed;
}

/** The open block after the closed ones: what it is, and where its first line starts in the tail. */
export interface OpenBlock extends OpenBlockInfo {
  start: number;
}

/** closedBlocks(), and what the parse found out about the block left open (see continuation.ts). */
export function splitTail(tail: string): { closed: BlockSpan[]; open?: OpenBlock } {
  const lastNl = tail.lastIndexOf('\n');
  if (lastNl < 0) return { closed: [] };
  const complete = tail.slice(0, lastNl + 1);
  const tokens = blockTokens(complete);
  const blocks = topLevel(tokens);
  if (blocks.length === 0) return { closed: [] };
  const starts = lineStarts(complete);
  const lastClosed = isClosedFence(blocks[blocks.length - 1], complete, starts);
  const closed = spansFor(blocks, lastClosed ? blocks.length : blocks.length - 1, starts);
  if (lastClosed) return { closed };
  const line = (i: number) => complete.slice(offsetOfLine(starts, i), offsetOfLine(starts, i + 1)).replace(/\n$/, '');
  const info = describeOpen(tokens, line);
  return { closed, open: info && { ...info, start: offsetOfLine(starts, info.firstLine) } };
}

/**
 * The tail as one open block (its last line may be partial), when it is one block of a kind continuation.ts
 * follows: for a long first line, before any line has completed.
 */
export function singleOpenBlock(tail: string): OpenBlock | undefined {
  const tokens = blockTokens(tail);
  if (topLevel(tokens).length !== 1) return undefined;
  const starts = lineStarts(tail);
  const info = describeOpen(tokens, (i) => tail.slice(offsetOfLine(starts, i), offsetOfLine(starts, i + 1)).replace(/\n$/, ''));
  return info && { ...info, start: offsetOfLine(starts, info.firstLine) };
}

/**
 * All blocks of a finished text: every block is closed, the last span runs to the end (trailing
 * blank lines and a final line without newline included). Whitespace-only text gives [].
 */
export function allBlocks(text: string): BlockSpan[] {
  const blocks = topLevelBlocks(text);
  if (blocks.length === 0) return [];
  const spans = spansFor(blocks, blocks.length, lineStarts(text));
  spans[spans.length - 1].end = text.length;
  return spans;
}
