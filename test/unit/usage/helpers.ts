// Shared test data for the usage tests.
import type { UsageRecord } from '../../../src/shared/usage';

/** A usage record with every count 0 unless given (Sonnet 5.5, a chat turn of conversation c1). */
export function rec(p: Partial<UsageRecord>): UsageRecord {
  return {
    model: 'claude-sonnet-5-5', inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0,
    batch: false, at: Date.UTC(2026, 10, 22, 12), kind: 'chat', conversationId: 'c1', exact: true, ...p,
  };
}
