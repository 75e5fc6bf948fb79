// Two bundles: the extension host (node, cjs, `vscode` external) and the webview (browser, iife).
// Usage: node esbuild.js [--production] [--watch]
const esbuild = require('esbuild');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints errors in the shape the `$esbuild-watch` problem matcher understands. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

/** In the extension bundle, the SDK import of core/sdk.ts resolves to the separate dist/sdk.js, loaded lazily. */
const lazySdk = {
  name: 'lazy-sdk',
  setup(build) {
    build.onResolve({ filter: /^@anthropic-ai\/sdk$/ }, (args) => (args.importer.endsWith('sdkBundle.ts') ? undefined : { path: './sdk.js', external: true }));
  },
};

/**
 * The chat webview takes markdown-it's entity decoding from the browser's parser (src/webview/chat/render/entities.ts)
 * instead of the `entities` package's tables (75 KB).
 */
const webviewAlias = { entities: './src/webview/chat/render/entities.ts' };

/** Each highlight.js language as its own file, dist/hljs/<name>.js, loaded by the chat page on first use. */
const { names: HLJS_LANGUAGES } = require('./src/webview/chat/render/languages.json');
const hljsLanguageFiles = {
  name: 'hljs-language',
  setup(build) {
    build.onResolve({ filter: /^hljs-language:/ }, (args) => ({ path: args.path.slice('hljs-language:'.length), namespace: 'hljs-language' }));
    build.onLoad({ filter: /.*/, namespace: 'hljs-language' }, (args) => {
      if (!HLJS_LANGUAGES.includes(args.path)) throw new Error(`unknown highlight.js language ${args.path}`);
      return {
        // The page's hook (render/languages.ts) registers it; nothing happens where there is no hook.
        contents: `import language from 'highlight.js/lib/languages/${args.path}';\n` +
          `if (typeof globalThis.__claudeChatHljs === 'function') globalThis.__claudeChatHljs(${JSON.stringify(args.path)}, language);\n`,
        resolveDir: __dirname,
        loader: 'js',
      };
    });
  },
};

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'silent',
  plugins: [problemMatcher],
};

const targets = [
  {
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    external: ['vscode'],
    plugins: [problemMatcher, lazySdk],
  },
  {
    // search_text's fallback worker thread (core/tools/workerSearch.ts loads it from next to the bundle).
    ...common,
    entryPoints: ['src/core/tools/searchWorker.ts'],
    outfile: 'dist/searchWorker.js',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
  },
  {
    ...common,
    entryPoints: ['src/sdkBundle.ts'],
    outfile: 'dist/sdk.js',
    platform: 'node',
    format: 'cjs',
    target: 'node18',
  },
  {
    ...common,
    entryPoints: ['src/webview/chat/main.ts'],
    outfile: 'dist/webview.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    alias: webviewAlias,
  },
  {
    ...common,
    entryPoints: HLJS_LANGUAGES.map((name) => ({ in: `hljs-language:${name}`, out: `hljs/${name}` })),
    outdir: 'dist',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    plugins: [problemMatcher, hljsLanguageFiles],
  },
  {
    // The usage report webview; its CSS import becomes dist/usageReport.css.
    ...common,
    entryPoints: ['src/webview/usage/main.ts'],
    outfile: 'dist/usageReport.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    loader: { '.css': 'css', '.ttf': 'file' },
  },
  {
    ...common,
    entryPoints: ['src/webview/chat/style.css'],
    outfile: 'dist/webview.css',
    loader: { '.css': 'css', '.ttf': 'file' },
  },
];

async function main() {
  const contexts = await Promise.all(targets.map((t) => esbuild.context(t)));
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  try {
    await Promise.all(contexts.map((c) => c.rebuild()));
  } finally {
    await Promise.all(contexts.map((c) => c.dispose()));
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
