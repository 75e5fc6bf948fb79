// Small validators shared by the request checks.
import { ApiError, badRequest } from './http';

/** `cache_control: {type:"ephemeral", ttl?:"5m"|"1h"}` (spec §2.3). Undefined/null means "none". */
export function checkCacheControl(cc: unknown, path: string): ApiError | undefined {
  if (cc === undefined || cc === null) return undefined;
  if (typeof cc !== 'object' || Array.isArray(cc)) return badRequest(`${path}: Input should be a valid dictionary or object to extract fields from`);
  const o = cc as Record<string, unknown>;
  if (o.type !== 'ephemeral') return badRequest(`${path}.type: Input should be 'ephemeral'`);
  if (o.ttl !== undefined && o.ttl !== '5m' && o.ttl !== '1h') return badRequest(`${path}.ttl: Input should be '5m' or '1h'`);
  return undefined;
}
