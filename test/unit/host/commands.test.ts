// The command table's names against package.json: every contributed command has a handler (the table's type has
// one entry per name) and every name is contributed; every command a menu or key binding names exists; every
// `claudeChat.*` context key a `when` clause reads is one the extension sets, and each one it sets is read.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMAND_NAMES, commandId, CONTEXT_KEYS } from '../../../src/host/commandIds';

interface Manifest {
  contributes: {
    commands: { command: string }[];
    menus: Record<string, { command?: string; submenu?: string; when?: string }[]>;
    keybindings: { command: string; when?: string }[];
    submenus: { id: string }[];
  };
}

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8')) as Manifest;
const ids: string[] = COMMAND_NAMES.map(commandId);

describe('command table against package.json', () => {
  it('contributes exactly the commands the table registers', () => {
    const contributed = manifest.contributes.commands.map((c) => c.command);
    assert.deepEqual([...contributed].sort(), [...ids].sort());
    assert.equal(new Set(ids).size, ids.length, 'no name twice');
  });

  it('menus and key bindings name only registered commands (or declared submenus)', () => {
    const submenus = new Set(manifest.contributes.submenus.map((s) => s.id));
    const named = [...Object.values(manifest.contributes.menus).flat(), ...manifest.contributes.keybindings];
    assert.ok(named.length > 10);
    for (const item of named) {
      if ('submenu' in item && item.submenu) assert.ok(submenus.has(item.submenu), item.submenu);
      else assert.ok(ids.includes(item.command ?? ''), `unknown command ${item.command}`);
    }
  });

  it('when clauses read only the context keys the extension sets, and each one it sets is read', () => {
    const whens = [...Object.values(manifest.contributes.menus).flat(), ...manifest.contributes.keybindings].map((i) => i.when ?? '').join(' ');
    const read = new Set(whens.replace(/==\s*[\w.-]+/g, '').match(/\bclaudeChat\.[A-Za-z]+/g) ?? []); // not the values compared to
    assert.deepEqual([...read].sort(), Object.values(CONTEXT_KEYS).sort());
  });
});
