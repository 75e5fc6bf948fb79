// What "Review Files in Batch" can ask about each file. The instruction goes after the file block.

export interface BatchPreset {
  id: 'review' | 'explain' | 'bugs' | 'docstrings';
  label: string;
  detail: string;
  instruction: string;
  /** Answers come back as findings (JSON, core/review/schema.ts) for the Problems panel, not as Markdown. */
  findings?: boolean;
}

export const BATCH_PRESETS: readonly BatchPreset[] = [
  {
    id: 'review',
    label: 'Code review',
    detail: 'Correctness, clarity, design; findings go to the Problems panel',
    findings: true,
    instruction:
      'Review this file as a senior engineer would in a code review. List the most important issues first (correctness, ' +
      'security, error handling, clarity, design), each with the line or symbol it concerns and a concrete suggestion. ' +
      'Say so briefly if the file looks fine.',
  },
  {
    id: 'explain',
    label: 'Explain',
    detail: 'What the file does and how it fits together',
    instruction:
      'Explain what this file does: its purpose, its main parts and how they fit together, and anything non-obvious ' +
      'a new contributor should know.',
  },
  {
    id: 'bugs',
    label: 'Find bugs',
    detail: 'Likely bugs only; findings go to the Problems panel',
    findings: true,
    instruction:
      'Find bugs in this file: logic errors, unhandled edge cases, resource leaks, race conditions, wrong API use. ' +
      'For each, give the location, how it can be triggered and a fix. Do not list style issues. Say so if you find none.',
  },
  {
    id: 'docstrings',
    label: 'Write docstrings',
    detail: 'Doc comments for the public functions, classes and types',
    instruction:
      'Write documentation comments in the idiom of the language (JSDoc/TSDoc, Python docstrings, …) for the public ' +
      'functions, classes and types in this file. Show each as the comment followed by the signature it documents.',
  },
];

/** The preset a choice names (id or label, any case), if any. */
export function batchPresetFor(choice: string): BatchPreset | undefined {
  const lc = choice.trim().toLowerCase();
  return BATCH_PRESETS.find((p) => p.id === lc || p.label.toLowerCase() === lc);
}

/**
 * The instruction for a choice: a preset id ("review") or label ("Code review", any case), or else the text
 * itself as a custom instruction. Blank -> undefined.
 */
export function batchInstructionFor(choice: string): string | undefined {
  const c = choice.trim();
  if (!c) return undefined;
  const lc = c.toLowerCase();
  const preset = BATCH_PRESETS.find((p) => p.id === lc || p.label.toLowerCase() === lc);
  return preset ? preset.instruction : c;
}
