// Shared by the browser test and the render benchmark: bundle a TypeScript entry with esbuild's JS
// API and launch Debian's Chromium through playwright-core.
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';
import { fileURLToPath } from 'node:url';

const ENTITIES = fileURLToPath(new URL('../../src/webview/chat/render/entities.ts', import.meta.url));

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

export function launchChromium() {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}

/** Bundle one entry (TypeScript or CSS) into a string, as the extension's esbuild.js would. */
export async function bundle(entry, { minify = false } = {}) {
  const isCss = entry.endsWith('.css');
  const out = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    minify,
    logLevel: 'silent',
    // As the chat bundle: markdown-it's entity decoding from the browser (esbuild.js, webviewAlias).
    ...(isCss ? { loader: { '.css': 'css' } } : { platform: 'browser', format: 'iife', target: 'es2022', alias: { entities: ENTITIES } }),
  });
  return out.outputFiles[0].text;
}
