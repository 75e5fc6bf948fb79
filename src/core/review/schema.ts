// The findings of a review as JSON: file, line range, severity, message and an optional replacement. Sent as the JSON
// schema of output_config.format (or the fallback tool, core/structured/jsonReply.ts) and checked with the same shape
// in valibot before anything reaches the Problems panel. An answer that is not {findings: [...]} is refused whole; a
// single finding that does not match is dropped and counted (never shown, never applied).
import { array, integer, maxLength, minLength, minValue, number, object, optional, picklist, pipe, safeParse, string, transform, unknown } from 'valibot';
import type { JsonSpec } from '../structured/jsonReply';

export const SEVERITIES = ['error', 'warning', 'info', 'hint'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Most findings kept from one answer (the rest are counted as dropped). */
export const MAX_FINDINGS = 200;

const line = pipe(number(), integer(), minValue(1));
// "Enum/const values may differ in capitalization" (spec-more §4.3): compare case-insensitively.
const severity = pipe(string(), transform((s) => s.trim().toLowerCase()), picklist(SEVERITIES));

const FINDING = object({
  file: pipe(string(), maxLength(1000)),
  startLine: line,
  endLine: line,
  severity,
  message: pipe(string(), minLength(1), maxLength(4000)),
  replacement: optional(pipe(string(), maxLength(200_000))),
});

const ANSWER = object({ findings: array(unknown()) });

export interface Finding {
  file: string;
  /** 1-based, inclusive, as the model numbered them. */
  startLine: number;
  endLine: number;
  severity: Severity;
  message: string;
  replacement?: string;
}

export const FINDINGS_TOOL_NAME = 'report_findings';

export const FINDINGS_SPEC: JsonSpec<typeof ANSWER> = {
  toolName: FINDINGS_TOOL_NAME,
  toolDescription: 'Report the findings of the review. An empty list means the file looks fine.',
  schema: {
    type: 'object',
    properties: {
      findings: {
        type: 'array',
        description: 'The problems found, most important first. Empty when the file looks fine.',
        items: {
          type: 'object',
          properties: {
            file: { type: 'string', description: 'The path of the reviewed file, exactly as given in <document path="…">.' },
            startLine: { type: 'integer', description: 'First line of the problem, 1-based, as numbered in the file.' },
            endLine: { type: 'integer', description: 'Last line of the problem, 1-based, inclusive (>= startLine).' },
            severity: { type: 'string', enum: [...SEVERITIES], description: 'error: a bug or vulnerability; warning: likely wrong or risky; info: worth knowing; hint: style or a small improvement.' },
            message: { type: 'string', description: 'One or two sentences: what is wrong and why.' },
            replacement: {
              type: 'string',
              description: 'Optional: the complete new text for lines startLine..endLine (whole lines, same indentation, no markdown fences). Leave it out when no mechanical fix applies.',
            },
          },
          required: ['file', 'startLine', 'endLine', 'severity', 'message'],
          additionalProperties: false,
        },
      },
    },
    required: ['findings'],
    additionalProperties: false,
  },
  check: ANSWER,
};

/** The findings of a checked answer, one by one: a malformed one (or one past MAX_FINDINGS) is dropped and counted. */
export function splitFindings(list: readonly unknown[]): { findings: Finding[]; malformed: number } {
  const findings: Finding[] = [];
  let malformed = 0;
  for (const item of list) {
    const r = findings.length < MAX_FINDINGS ? safeParse(FINDING, item) : undefined;
    if (r?.success) findings.push(r.output as Finding);
    else malformed++;
  }
  return { findings, malformed };
}
