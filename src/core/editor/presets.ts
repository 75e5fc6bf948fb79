// What "Refactor Selection" can be asked to do. The instruction text goes after the cached file block.

export interface RefactorPreset {
  id: 'simplify' | 'types' | 'errors' | 'tests';
  label: string;
  detail: string;
  instruction: string;
}

export const REFACTOR_PRESETS: readonly RefactorPreset[] = [
  {
    id: 'simplify',
    label: 'Simplify',
    detail: 'Shorter and clearer, same behaviour',
    instruction: 'Simplify this code: make it shorter and easier to read without changing its behaviour.',
  },
  {
    id: 'types',
    label: 'Add types',
    detail: 'Precise type annotations, same behaviour',
    instruction: 'Add precise type annotations (in the idiom of the language) without changing behaviour.',
  },
  {
    id: 'errors',
    label: 'Add error handling',
    detail: 'Handle the failures that can happen here',
    instruction: 'Add error handling: check the inputs and handle the failures that can happen here, with clear error messages. Keep the behaviour for valid input.',
  },
  {
    id: 'tests',
    label: 'Write tests',
    detail: 'The code unchanged, followed by tests for it',
    instruction: 'Write unit tests for this code in the style and test framework the file already uses. The replacement is the selected code unchanged, followed by the tests.',
  },
];

/** The instruction for a preset id, or the text itself for a custom instruction. */
export function instructionFor(choice: string): string {
  return REFACTOR_PRESETS.find((p) => p.id === choice)?.instruction ?? choice;
}
