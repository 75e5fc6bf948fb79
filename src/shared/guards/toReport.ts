// Guards for messages from the host TO the usage report page. Only that page bundles this file.
import { array, boolean, type GenericSchema, finite, maxLength, number, optional, pipe, strictObject, undefinedable } from 'valibot';
import type { HostToReport } from '../usageReport';
import { checker, count, GuardTable, MAX_HOST_TEXT, MAX_ITEMS, message, Mismatched, text } from './common';

const hostText = text(MAX_HOST_TEXT);
const list = <S extends GenericSchema>(item: S) => pipe(array(item), maxLength(MAX_ITEMS));
const tokens = strictObject({ inputTokens: count, outputTokens: count, cacheReadTokens: count, cacheWrite5mTokens: count, cacheWrite1hTokens: count, webSearchRequests: optional(count) });
const costSum = strictObject({ known: pipe(number(), finite()), unknownTokens: count, unknownModels: list(hostText) });
const money = pipe(number(), finite());
export const HOST_TO_REPORT = {
  data: message('data', {
    data: strictObject({
      generatedAt: count,
      days: list(strictObject({ day: hostText, input: money, cache: money, output: money, tools: money, total: money, tokens: count, unknownTokens: count })),
      models: list(strictObject({ model: hostText, requests: count, tokens, cost: undefinedable(money), savings: undefinedable(money) })),
      workspaces: list(strictObject({ workspace: hostText, requests: count, tokens: count, cost: costSum })),
      callers: list(strictObject({ caller: hostText, requests: count, tokens: count, cost: costSum })),
      currentWorkspace: hostText,
      period: strictObject({ cost: costSum, tokens: count, requests: count }),
      session: strictObject({
        responses: count, tokens, cost: costSum, hitShare: optional(money), savings: money,
        investment: optional(strictObject({ invested: money, reads: optional(count) })), webSearches: count,
      }),
      problems: list(hostText),
      empty: boolean(),
    }),
  }),
} satisfies GuardTable<HostToReport>;
const _hostToReportExact: [Mismatched<HostToReport, typeof HOST_TO_REPORT>] extends [never] ? true : Mismatched<HostToReport, typeof HOST_TO_REPORT> = true;

/** Messages from the host, checked by the usage report webview. */
export const checkHostToReport = checker<HostToReport>(HOST_TO_REPORT);
