// Standalone fake API for manual use: `npm run fake-api -- --port 8787`, then set claudeChat.baseURL.
import { DEFAULT_TEST_KEY, startFakeApi } from './server';

async function main(): Promise<void> {
  const i = process.argv.indexOf('--port');
  const port = i >= 0 ? Number(process.argv[i + 1]) : 8787;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port needs a number, got ${process.argv[i + 1]}`);
  const api = await startFakeApi({ port });
  console.log(`Fake Anthropic API listening on ${api.url}`);
  console.log(`Accepted key: ${DEFAULT_TEST_KEY}`);
  const stop = () => void api.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e) => {
  console.error(String(e));
  process.exit(1);
});
