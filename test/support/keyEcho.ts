// A hostile "gateway" for redaction tests: it answers every request with an API-shaped error whose message
// echoes the key it received (and the headers that carried it), as a misconfigured or malicious proxy would.
// Not the fake Anthropic API: the real API never echoes a key. Binds 127.0.0.1 only.
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface KeyEcho {
  url: string;
  /** Every request received: method, path and the key it carried. */
  requests: { method: string; path: string; key: string | undefined }[];
  close(): Promise<void>;
}

export async function startKeyEcho(status = 400): Promise<KeyEcho> {
  const requests: KeyEcho['requests'] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const xKey = req.headers['x-api-key'];
      const auth = req.headers['authorization'];
      const key = typeof xKey === 'string' ? xKey : typeof auth === 'string' ? auth.replace(/^Bearer\s+/i, '') : undefined;
      requests.push({ method: req.method ?? 'GET', path: new URL(req.url ?? '/', 'http://x').pathname, key });
      const message = `invalid key ${key} (x-api-key: ${key}; Authorization: Bearer ${key})`;
      const body = JSON.stringify({ type: 'error', error: { type: status === 400 ? 'invalid_request_error' : 'api_error', message }, request_id: `req_echo_${requests.length}` });
      res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_echo_${requests.length}`, 'x-should-retry': 'false' });
      res.end(body);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(() => r()));
    },
  };
}
