// A tiny stdio MCP server for the tests, built with the official SDK: `add` (read-only) and `echo`.
// Configured in the test workspace's .vscode/mcp.json as server "calc": VS Code lists its tools as mcp_calc_add and
// mcp_calc_echo once it is started.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const server = new McpServer({ name: 'calc', version: '0.0.1' });
server.registerTool('add', {
  description: 'Adds two numbers.',
  inputSchema: { a: z.number(), b: z.number() },
  annotations: { readOnlyHint: true },
}, async ({ a, b }) => ({ content: [{ type: 'text', text: String(a + b) }] }));
server.registerTool('echo', {
  description: 'Returns the text it is given.',
  inputSchema: { text: z.string() },
  annotations: { readOnlyHint: true },
}, async ({ text }) => ({ content: [{ type: 'text', text }] }));
await server.connect(new StdioServerTransport());
