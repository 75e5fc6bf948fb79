// ESLint flat config: typescript-eslint's recommended rules over the TypeScript sources, plus the layering of
// DESIGN.md ("one direction of imports: host → core, webview ↔ shared, nobody → host"), per directory:
//   core/    no vscode, no host or webview, no DOM globals (tsconfig.json also has no DOM lib)
//   shared/  plain data: no vscode, nothing from core, host or webview, no DOM globals
//   webview/ browser code: no vscode, no Node built-ins, nothing from core or host (src/webview/tsconfig.json)
//   host/    nothing from the webview
// test/unit/lint/layering.test.ts lints a probe file in each folder to show every rule fires.
import tseslint from 'typescript-eslint';

const vscode = { name: 'vscode', message: 'Only src/host and src/extension.ts talk to VS Code; other layers go through ports (DESIGN.md, Layers).' };
const layer = (dirs, why) => ({ regex: `^(\\.\\.?/)+(\\.\\./)*(${dirs.join('|')})(/|$)`, message: why });
const nodeBuiltins = {
  regex: '^(node:|(fs|path|os|child_process|crypto|http|https|net|url|util|stream|events|worker_threads)(/|$))',
  message: 'The webview runs in a browser: no Node built-ins.',
};
// Browser globals core and shared must not touch (the engine runs in the extension host and in plain node).
const domGlobals = ['window', 'document', 'navigator', 'location', 'localStorage', 'sessionStorage', 'HTMLElement', 'Element', 'Node',
  'MutationObserver', 'IntersectionObserver', 'requestAnimationFrame', 'getComputedStyle', 'customElements', 'acquireVsCodeApi']
  .map((name) => ({ name, message: 'No DOM outside src/webview: the engine runs in the extension host and in plain node.' }));

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'bench-output/**', 'test-output/**', '**/*.mjs', 'esbuild.js'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [vscode], patterns: [layer(['host', 'webview'], 'core/ is the engine: it never imports the host or the webview.')] }],
      'no-restricted-globals': ['error', ...domGlobals],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [vscode], patterns: [layer(['core', 'host', 'webview'], 'shared/ is plain data and the protocol: it imports nothing from the layers that use it.')] }],
      'no-restricted-globals': ['error', ...domGlobals],
    },
  },
  {
    files: ['src/webview/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [vscode], patterns: [layer(['core', 'host'], 'The webview talks to the host only through shared/protocol.ts messages.'), nodeBuiltins] }],
    },
  },
  {
    files: ['src/host/**/*.ts', 'src/extension.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [layer(['webview'], 'The host never imports webview code; it sends messages.')] }],
    },
  },
);
