// Wiring for the long-session tests: a responder that answers summarization requests apart from the chat's
// scripted replies, a real workspace tool runner on a temp folder, and a restore port that writes with node's fs.
import { promises as fs, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { RestorePort, RestoreWrite } from '../../../src/core/session/restore';
import { SUMMARIZER_SYSTEM } from '../../../src/core/session/summarize';
import { WorkspaceToolRunner } from '../../../src/core/tools/runner';
import type { ApprovalDecision, Approver } from '../../../src/core/tools/workspace';
import type { FakeApi, RecordedRequest, ScriptedReply } from '../../fake-api/server';
import { NodePort } from '../tools/nodePort';

type Body = { model: string; system?: unknown; messages: { role: string; content: unknown }[]; compaction?: unknown; context_management?: unknown };

export const bodyOf = (r: RecordedRequest) => r.body as Body;
export const isSummaryRequest = (r: RecordedRequest) => JSON.stringify(bodyOf(r).system ?? '').includes(SUMMARIZER_SYSTEM.slice(0, 40));
/** Chat requests only (not summarization, not the API's compaction). */
export const chatRequests = (api: FakeApi) => api.messageRequests.filter((r) => !isSummaryRequest(r) && bodyOf(r).compaction === undefined);
export const summaryRequests = (api: FakeApi) => api.messageRequests.filter(isSummaryRequest);

/**
 * Answers summarization requests with a short summary (numbered) and everything else from `chat` (then the fake's
 * default echo). Replaces the fake's queue for these tests, so a summary never takes a reply meant for the chat.
 */
export function scripted(
  api: FakeApi,
  summary: (n: number, r: RecordedRequest) => string | ScriptedReply = (n) => `- Summary ${n}: the user asked questions; Claude answered.`,
): { chat: ScriptedReply[] } {
  const s = { chat: [] as ScriptedReply[] };
  let n = 0;
  api.setResponder((r) => {
    if (!isSummaryRequest(r)) return s.chat.shift();
    const out = summary(++n, r);
    return typeof out === 'string' ? { kind: 'text', text: out } : out;
  });
  return s;
}

/** The text of every block of a request, as the model sees it. */
export function requestText(r: RecordedRequest): string {
  return JSON.stringify(bodyOf(r).messages);
}

export const promptOf = (r: RecordedRequest) => (r.usage ? r.usage.input_tokens + r.usage.cache_read_input_tokens + r.usage.cache_creation_input_tokens : 0);

/** Approves every edit; counts the questions. */
export class YesApprover implements Approver {
  asked = 0;
  async approve(): Promise<ApprovalDecision> {
    this.asked++;
    return 'approve';
  }
}

export interface AgentWorkspace {
  ws: string;
  port: NodePort;
  runner: WorkspaceToolRunner;
  file(rel: string): string;
  write(rel: string, text: string): void;
  read(rel: string): Promise<string>;
  cleanup(): void;
}

/** A temp workspace with files, and the real tool runner on it (edits approved). */
export function agentWorkspace(files: Record<string, string>): AgentWorkspace {
  const tmp = mkdtempSync(join(tmpdir(), 'claude-session-'));
  const ws = join(tmp, 'ws');
  const write = (rel: string, text: string) => {
    mkdirSync(dirname(join(ws, rel)), { recursive: true });
    writeFileSync(join(ws, rel), text);
  };
  mkdirSync(ws, { recursive: true });
  for (const [rel, text] of Object.entries(files)) write(rel, text);
  writeFileSync(join(tmp, 'outside.txt'), 'outside the workspace\n');
  const port = NodePort.single(ws);
  const runner = new WorkspaceToolRunner({ workspace: port, approver: new YesApprover(), trusted: true });
  return {
    ws,
    port,
    runner,
    file: (rel) => join(ws, rel),
    write,
    read: (rel) => fs.readFile(join(ws, rel), 'utf8'),
    cleanup: () => rmSync(tmp, { recursive: true, force: true }),
  };
}

/** A RestorePort that records what it showed and asked, answers from a script, and writes with fs. */
export class FsRestorePort implements RestorePort {
  readonly diffs: { title: string; files: RestoreWrite[] }[] = [];
  readonly questions: { message: string; detail: string; actions: string[] }[] = [];
  readonly applied: RestoreWrite[][] = [];
  answers: (string | undefined)[] = [];

  async showDiff(title: string, files: readonly RestoreWrite[]): Promise<void> {
    this.diffs.push({ title, files: [...files] });
  }

  async ask(message: string, detail: string, ...actions: string[]): Promise<string | undefined> {
    this.questions.push({ message, detail, actions });
    return this.answers.shift();
  }

  async apply(files: readonly RestoreWrite[]): Promise<void> {
    for (const f of files) {
      const now = await fs.readFile(f.target, 'utf8').catch(() => undefined);
      if (now !== f.current) throw new Error(`${f.path} changed since the restore was shown`);
    }
    for (const f of files) {
      if (f.restored === undefined) await fs.rm(f.target, { force: true });
      else await fs.writeFile(f.target, f.restored);
    }
    this.applied.push([...files]);
  }
}
