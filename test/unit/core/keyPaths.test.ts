// Every path that sends the API key gets its client from KeyRoute. A tripwire over the sources: a new
// `new Anthropic(...)`, createClient() or loadSdk() outside the route fails here, as does a ChatSession built
// without the route's client factory, or a request that reads claudeChat.baseURL around inspect().
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..', '..', '..');
const SRC = join(ROOT, 'src');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.ts$/.test(name) ? [p] : [];
  });
}

/** Source text without comments, so a mention in a comment is not a call. */
function code(file: string): string {
  return readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

describe('key route: no path around it', () => {
  const files = sources(SRC).map((f) => ({ rel: relative(ROOT, f).split('\\').join('/'), text: code(f) }));

  it('finds the sources', () => {
    assert.ok(files.length > 50, `only ${files.length} files under ${SRC}`);
    assert.ok(files.some((f) => f.rel === 'src/core/keyRoute.ts'));
  });

  it('only the route (and the SDK loader itself) creates SDK clients', () => {
    // sdkBundle.ts only re-exports the SDK as its own bundle; chatSession.ts's default factory is for tests (checked below).
    const allowed = new Set(['src/core/sdk.ts', 'src/core/keyRoute.ts', 'src/core/chatSession.ts', 'src/sdkBundle.ts']);
    const offenders = files
      .filter((f) => !allowed.has(f.rel))
      .filter((f) => /new\s+Anthropic\w*\s*\(|\bcreateClient\s*\(|\bloadSdk\s*\(|from\s+'@anthropic-ai\/sdk'\s*;/.test(f.text.replace(/import\s+type[^;]+;/g, '')))
      .map((f) => f.rel);
    assert.deepEqual(offenders, []);
  });

  it('every ChatSession the extension builds gets the route\'s client factory', () => {
    const builders = files.filter((f) => /new\s+ChatSession\s*\(/.test(f.text));
    assert.ok(builders.length >= 1, 'the extension builds a ChatSession somewhere');
    for (const f of builders) assert.match(f.text, /clientFactory\s*:/, `${f.rel} builds a ChatSession without clientFactory (the default skips the host check)`);
  });

  it('claudeChat.baseURL is read only through inspect() (user value or default)', () => {
    const offenders = files.filter((f) => /\.get\s*(<[^>]*>)?\s*\(\s*['"](claudeChat\.)?baseURL['"]/.test(f.text)).map((f) => f.rel);
    assert.deepEqual(offenders, []);
  });

  it('package.json: baseURL is application-scoped and restricted in untrusted workspaces', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    assert.equal(pkg.contributes.configuration.properties['claudeChat.baseURL'].scope, 'application');
    assert.ok(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations.includes('claudeChat.baseURL'));
    const headerish = Object.keys(pkg.contributes.configuration.properties).filter((k) => /header|proxy|auth|apikey|secret/i.test(k));
    assert.deepEqual(headerish, [], 'no other setting could carry or route the key (add it to the route if one appears)');
  });
});
