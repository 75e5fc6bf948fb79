// Deterministic long markdown answers: ~20 sections, each a heading, prose with inline markup,
// a list, sometimes a table, and a fenced code block. Everything scales with the target length.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ('the renderer streams each block once while the open block is parsed again on every frame so long answers stay ' +
  'fast cache prompt token context editor file function value request response stream delta message model').split(' ');
const LANGS = ['ts', 'python', 'bash', 'json', 'rust', 'go', 'java', 'sql', 'css', 'html', 'yaml', 'diff', 'cpp', 'csharp'];

function sentence(next) {
  const n = 8 + Math.floor(next() * 12);
  const w = [];
  for (let i = 0; i < n; i++) {
    let word = WORDS[Math.floor(next() * WORDS.length)];
    const p = next();
    if (p < 0.04) word = `**${word}**`;
    else if (p < 0.08) word = `\`${word}()\``;
    else if (p < 0.1) word = `[${word}](https://example.com/${word})`;
    else if (p < 0.12) word = `*${word}*`;
    w.push(word);
  }
  const s = w.join(' ');
  return s[0].toUpperCase() + s.slice(1) + '.';
}

function paragraph(next, chars) {
  let p = '';
  while (p.length < chars) p += (p ? ' ' : '') + sentence(next);
  return p;
}

function code(next, lang, chars) {
  const lines = [];
  let n = 0;
  for (let i = 0; n < chars; i++) {
    const indent = '  '.repeat(Math.floor(next() * 3));
    const line = `${indent}const value${i} = compute("${WORDS[i % WORDS.length]}", ${Math.floor(next() * 1000)}); // step ${i}`;
    lines.push(line);
    n += line.length + 1;
    if (next() < 0.08) lines.push('');
  }
  return '```' + lang + '\n' + lines.join('\n') + '\n```';
}

/** A markdown answer of about `chars` characters with `codeBlocks` fenced code blocks. */
export function makeAnswer(chars, { codeBlocks = 20, seed = 7 } = {}) {
  // Fixed parts (headings, lists, tables) do not scale: size the scaled parts so the total fits.
  let scale = 1;
  for (let i = 0; i < 3; i++) scale *= chars / build(chars * scale, codeBlocks, seed).length;
  let text = build(chars * scale * 0.995, codeBlocks, seed);
  const next = rng(seed + 1);
  while (text.length < chars) text += '\n' + paragraph(next, Math.min(400, chars - text.length)) + '\n';
  return text.slice(0, chars);
}

function build(chars, codeBlocks, seed) {
  const next = rng(seed);
  const per = chars / codeBlocks;
  const parts = [];
  for (let s = 0; s < codeBlocks; s++) {
    parts.push(`## Step ${s + 1}: ${sentence(next).slice(0, 40)}`);
    parts.push(paragraph(next, per * 0.2));
    parts.push(paragraph(next, per * 0.15));
    const items = [];
    for (let i = 0; i < 4; i++) items.push(`- ${sentence(next)}`);
    parts.push(items.join('\n'));
    if (s % 4 === 1) parts.push('| Name | Value | Note |\n|:--|--:|:-:|\n' +
      Array.from({ length: 5 }, (_, i) => `| row${i} | ${i * 7} | ${WORDS[i]} |`).join('\n'));
    parts.push(code(next, LANGS[s % LANGS.length], per * 0.4));
    parts.push(paragraph(next, per * 0.15));
  }
  return parts.join('\n\n') + '\n';
}

/** Split `text` into exactly `n` deltas of (nearly) equal size. */
export function splitDeltas(text, n) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(text.slice(Math.floor((i * text.length) / n), Math.floor(((i + 1) * text.length) / n)));
  return out;
}

/**
 * One long open block of about `chars` characters: the worst case for streaming (the block stays open to the end).
 * 'paragraph': sentences with a soft line break every few; 'table': a 3-column table; 'list': a bullet list with a
 * nested item now and then; 'blockquote': quoted paragraphs separated by empty quote lines.
 */
export function makeShape(kind, chars, seed = 11) {
  const next = rng(seed);
  const lines = [];
  let n = 0;
  const push = (line) => {
    lines.push(line);
    n += line.length + 1;
  };
  if (kind === 'table') {
    push('| Name | Value | Note |');
    push('|:--|--:|:--|');
  }
  for (let i = 0; n < chars; i++) {
    if (kind === 'paragraph') push(sentence(next) + ' ' + sentence(next));
    else if (kind === 'table') push(`| row${i} | ${Math.floor(next() * 100000)} | ${sentence(next).slice(0, 60)} |`);
    else if (kind === 'list') push(i % 5 === 4 ? `  - ${sentence(next)}` : `- ${sentence(next)}`);
    else if (kind === 'blockquote') push(i % 4 === 3 ? '>' : `> ${sentence(next)} ${sentence(next)}`);
    else throw new Error(`unknown shape ${kind}`);
  }
  return lines.join('\n').slice(0, chars);
}
