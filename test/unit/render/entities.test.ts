// The webview's entity decoder (the browser's parser instead of the `entities` tables) against the `entities`
// package markdown-it ships with, for every HTML5 entity name and for near misses.
import * as assert from 'assert';
import { decodeHTML as refLoose, decodeHTMLStrict as refStrict } from 'entities';
import { decodeHTML, decodeHTMLStrict, useDocument } from '../../../src/webview/chat/render/entities';
import { makeDom } from './helpers';

// Every HTML5 entity name (WHATWG list; generated once with Python's html.entities.html5).
const names = require('../../../../test/unit/render/entityNames.json') as string[];

describe('render/entities: markdown-it decoders from the HTML parser', () => {
  before(() => useDocument(makeDom().document));

  it('agrees with the entities package on all 2,125 HTML5 entity names, strict and loose', () => {
    assert.ok(names.length > 2000, `${names.length} names`);
    const bad: string[] = [];
    for (const name of names) {
      const s = `&${name};`;
      if (!/^&[A-Za-z][A-Za-z0-9]{1,31};$/.test(s)) continue;
      if (decodeHTMLStrict(s) !== refStrict(s)) bad.push(`strict ${s}`);
      if (decodeHTML(s) !== refLoose(s)) bad.push(`loose ${s}`);
    }
    assert.deepStrictEqual(bad, []);
  });

  it('agrees on near misses and legacy prefixes, and passes anything else through', () => {
    for (const s of ['&notit;', '&ampx;', '&copyright;', '&nosuchentity;', '&semi;', '&AMP;', '&amp;', '&lt;', '&Xi;', '&x;', '&a1b2;']) {
      assert.strictEqual(decodeHTMLStrict(s), refStrict(s), `strict ${s}`);
      assert.strictEqual(decodeHTML(s), refLoose(s), `loose ${s}`);
    }
    for (const s of ['&<b>x</b>;', '<script>', '&amp', 'plain', '&#65;']) assert.strictEqual(decodeHTML(s), s);
  });
});
