// The floor for time to first token (bench/ttft/run.mjs): the least an extension in this VS Code can do between
// Enter in a webview and the first reply text on screen. Plain JS, no build, no SDK, no checks: the webview posts
// the text, the host sends it with fetch (stream: true), reads the SSE stream and posts each text delta, and the
// webview appends it to a <div>. The key comes from ANTHROPIC_API_KEY and the URL from claudeChat.baseURL, as for
// the real extension in the same run.
const vscode = require('vscode');
const crypto = require('crypto');

function html(nonce) {
  const csp = `default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-${nonce}'`;
  return `<!DOCTYPE html><html><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}"><title>Baseline</title></head>
<body><div id="log"></div><textarea id="input" rows="2" aria-label="Message"></textarea>
<script nonce="${nonce}">
const vscode = acquireVsCodeApi();
const log = document.getElementById('log');
const input = document.getElementById('input');
let reply;
input.addEventListener('keydown', (e) => {
  if (e.key !== 'Enter' || e.shiftKey) return;
  e.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  input.value = '';
  const user = document.createElement('div');
  user.className = 'user';
  user.textContent = text;
  reply = document.createElement('div');
  reply.className = 'reply';
  const turn = document.createElement('div');
  turn.className = 'turn';
  turn.append(user, reply);
  log.append(turn);
  vscode.postMessage({ type: 'send', text });
});
window.addEventListener('message', (e) => {
  const m = e.data;
  if (m.type === 'delta' && reply) reply.append(m.text);
  if (m.type === 'done' && reply) reply.parentElement.classList.add('done');
});
vscode.postMessage({ type: 'ready' });
</script></body></html>`;
}

async function* sseEvents(body) {
  const decoder = new TextDecoder();
  let buf = '';
  for await (const chunk of body) {
    buf += decoder.decode(chunk, { stream: true });
    let at;
    while ((at = buf.indexOf('\n\n')) >= 0) {
      const event = buf.slice(0, at);
      buf = buf.slice(at + 2);
      const data = event.split('\n').find((l) => l.startsWith('data:'));
      if (data) yield JSON.parse(data.slice(5));
    }
  }
}

async function send(webview, text) {
  const baseURL = vscode.workspace.getConfiguration('claudeChat').get('baseURL') || 'https://api.anthropic.com';
  try {
    const res = await fetch(`${baseURL.replace(/\/$/, '')}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': process.env.ANTHROPIC_API_KEY || '', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'claude-sonnet-5-5', max_tokens: 256, stream: true, messages: [{ role: 'user', content: text }] }),
    });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    for await (const e of sseEvents(res.body)) {
      if (e.type === 'content_block_delta' && e.delta.type === 'text_delta') void webview.postMessage({ type: 'delta', text: e.delta.text });
    }
  } catch (e) {
    void webview.postMessage({ type: 'delta', text: `Error: ${e.message}` });
  }
  void webview.postMessage({ type: 'done' });
}

exports.activate = (context) => {
  context.subscriptions.push(vscode.commands.registerCommand('ttftBaseline.show', () => vscode.commands.executeCommand('ttftBaseline.view.focus')));
  context.subscriptions.push(vscode.window.registerWebviewViewProvider('ttftBaseline.view', {
    resolveWebviewView(view) {
      view.webview.options = { enableScripts: true };
      view.webview.html = html(crypto.randomBytes(16).toString('base64'));
      view.webview.onDidReceiveMessage((m) => {
        if (m.type === 'send') void send(view.webview, m.text);
      });
    },
  }));
};
exports.deactivate = () => {};
