// The scripted session of the cache benchmark: 10 turns over ~30k tokens of attached files (four at the start,
// a fifth added at turn 5; or all five at the start), with tool rounds in four of the turns. Deterministic text,
// realistic sizes.

export const SYSTEM_PROMPT =
  'You are a senior engineer reviewing a TypeScript code base with the user. Answer precisely, cite file paths and ' +
  'line numbers, prefer small concrete suggestions, and use the workspace tools when the attached files are not enough.';

/** A deterministic source file of about `tokens` tokens (4 characters each). */
function source(name, tokens) {
  const lines = [`// ${name}: generated for the cache benchmark`];
  let chars = lines[0].length;
  for (let i = 0; chars < tokens * 4; i++) {
    const line =
      i % 7 === 0
        ? `export function ${name.replace(/\W/g, '_')}_${i}(input: readonly number[], limit = ${i}): number {`
        : i % 7 === 6
          ? '}'
          : `  const v${i} = input.filter((x) => x > ${i % 13}).reduce((a, b) => a + b * ${i % 5}, ${i}); // step ${i}`;
    lines.push(line);
    chars += line.length + 1;
  }
  return lines.join('\n') + '\n';
}

const FILES = {
  'src/engine/session.ts': 6000,
  'src/engine/cache.ts': 6000,
  'src/engine/stream.ts': 6000,
  'src/engine/tools.ts': 6000,
  'src/engine/usage.ts': 6000,
};

export function contextFile(label) {
  const uri = `file:///bench/${label}`;
  return { id: uri, uri, label, text: source(label, FILES[label]), kind: 'file', languageId: 'typescript' };
}

/** What a tool returns: a file excerpt for read_file (~1.5k tokens), a shorter listing for the others. */
export function toolResultText(name, input) {
  if (name === 'read_file') return source(String(input.path), 1500);
  return Array.from({ length: 40 }, (_, i) => `src/engine/${name}-${i}.ts:${i + 1}: match ${i} for ${JSON.stringify(input)}`).join('\n');
}

const answer = (topic, tokens) => {
  const words = `Looking at ${topic}: the function keeps its state in a closure, the error path returns early, and the cache key is derived from the request prefix.`;
  return Array.from({ length: Math.ceil((tokens * 4) / (words.length + 1)) }, () => words).join(' ');
};

const FIRST = ['src/engine/session.ts', 'src/engine/cache.ts', 'src/engine/stream.ts', 'src/engine/tools.ts'];

/** The 10 turns; with `lateAttach` the fifth file is added at turn 5, else all five are attached at turn 1. */
export const script = (lateAttach) => [
  { attach: lateAttach ? FIRST : [...FIRST, 'src/engine/usage.ts'], ask: 'Give me an overview of how these four files fit together.', answer: answer('the overview', 600) },
  { ask: 'Where is the request retried, and is the delay capped?', tools: [{ name: 'read_file', input: { path: 'src/engine/retry.ts' } }], answer: answer('retries', 400) },
  { ask: 'Could session.ts drop a turn when the stream fails half way?', answer: answer('partial turns', 500) },
  { ask: 'Find every place that writes the conversation to disk.', tools: [{ name: 'search_text', input: { query: 'writeFile' } }, { name: 'read_file', input: { path: 'src/engine/store.ts' } }], answer: answer('persistence', 450) },
  { attach: lateAttach ? ['src/engine/usage.ts'] : [], ask: 'Does usage.ts count cache writes correctly?', answer: answer('usage accounting', 500) },
  { ask: 'Show me the callers of the cost function.', tools: [{ name: 'find_files', input: { pattern: '**/*cost*.ts' } }], answer: answer('callers', 300) },
  { ask: 'Suggest a smaller interface between stream.ts and session.ts.', answer: answer('the interface', 700) },
  {
    ask: 'Check the three tool handlers for missing input validation.',
    tools: [
      { name: 'read_file', input: { path: 'src/engine/tools/read.ts' } },
      { name: 'read_file', input: { path: 'src/engine/tools/search.ts' } },
      { name: 'read_file', input: { path: 'src/engine/tools/edit.ts' } },
    ],
    answer: answer('validation', 600),
  },
  { ask: 'Write a test plan for cache.ts.', answer: answer('the test plan', 600) },
  { ask: 'Summarise the three most important changes you would make first.', answer: answer('priorities', 400) },
];
