// activate() time of the packaged extension in a real VS Code (code-server), read from the extension's own log.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { installVsix, launchBrowser, makeProfile, startCodeServer } from '../../test/host/codeServer.mjs';
import { findChromium, provisionCodeServer } from '../../test/host/provision.mjs';
import { openChat, waitForWorkbench } from '../../test/host/ui/workbench.mjs';

function findLogLine(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      const r = findLogLine(p);
      if (r) return r;
    } else if (name === 'Claude API Chat.log') {
      const m = /activated in ([0-9.]+) ms/.exec(readFileSync(p, 'utf8'));
      if (m) return Number(m[1]);
    }
  }
  return undefined;
}

export async function measureActivation(vsix, runs = 3) {
  const cs = provisionCodeServer();
  const chromium = findChromium();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const profile = makeProfile();
    installVsix(cs, profile, vsix);
    const server = await startCodeServer(cs, profile);
    const browser = await launchBrowser(cs, chromium);
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(`${server.url}/?folder=${encodeURIComponent(profile.workspace)}`);
      await waitForWorkbench(page);
      await openChat(page);
      const deadline = Date.now() + 30_000;
      let ms;
      while (ms === undefined && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 250));
        ms = findLogLine(join(profile.userData, 'logs'));
      }
      if (ms === undefined) throw new Error('the extension did not log its activation time within 30 s');
      times.push(ms);
    } finally {
      await browser.close();
      await server.stop();
    }
  }
  times.sort((a, b) => a - b);
  return { runs: times, median: times[Math.floor(times.length / 2)] };
}
