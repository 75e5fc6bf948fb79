// `compaction` blocks (spec-more §7.2, §7.3): issuing them signed, checking the ones a request sends back, and
// the prompt they leave ("When the API receives a compaction block, all content blocks before it are ignored").
//
//   encrypted_content = base64( nonce(12) || HMAC(secret, "enc" || content) )      (opaque to the client)
//   signature         = base64( nonce(12) || HMAC(secret, "sig" || content || encrypted_content) )
//
// Checks, in order (error codes are the SDK 1.12's `details.error_code` values; message texts UNCONFIRMED):
//   - no compaction beta on the request: the block type is unknown (tag error);
//   - fields other than type/content/encrypted_content/signature/cache_control/tool_changes: "Extra inputs are
//     not permitted" (the Python model_dump() trap of §7.2); content "" is refused, null is a no-op;
//   - a block in a `system` message or not first in its message: compaction_block_misplaced (the docs say "not the
//     first block of the conversation"; threshold compaction returns it first in an assistant message after older
//     ones, which are then ignored, so "first in its message" is the rule applied here: UNCONFIRMED);
//   - more than one block with content: compaction_block_ambiguous;
//   - a signature that does not verify: compaction_signature_invalid; content that does not match its
//     encrypted_content: compaction_content_mismatch.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ApiError, badRequest } from './http';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const NONCE = 12;
const MAC = 32;
const BLOCK_KEYS = new Set(['type', 'content', 'encrypted_content', 'signature', 'cache_control', 'tool_changes']);

export interface IssuedCompaction {
  type: 'compaction';
  content: string;
  encrypted_content: string;
  signature: string;
}

export class CompactionSigner {
  constructor(private readonly secret: string = randomBytes(16).toString('hex')) {}

  issue(content: string): IssuedCompaction {
    const encrypted = this.seal('enc', content);
    return { type: 'compaction', content, encrypted_content: encrypted, signature: this.seal('sig', content + '\u0000' + encrypted) };
  }

  signatureValid(content: string, encrypted: string, signature: string): boolean {
    return this.verify('sig', content + '\u0000' + encrypted, signature);
  }

  encryptedMatches(content: string, encrypted: string): boolean {
    return this.verify('enc', content, encrypted);
  }

  private seal(kind: string, text: string): string {
    const nonce = randomBytes(NONCE);
    return Buffer.concat([nonce, this.mac(nonce, kind, text)]).toString('base64');
  }

  private verify(kind: string, text: string, encoded: string): boolean {
    const raw = Buffer.from(encoded, 'base64');
    if (raw.length !== NONCE + MAC || raw.toString('base64') !== encoded) return false;
    return timingSafeEqual(raw.subarray(NONCE), this.mac(raw.subarray(0, NONCE), kind, text));
  }

  private mac(nonce: Buffer, kind: string, text: string): Buffer {
    return createHmac('sha256', this.secret).update(nonce).update(kind).update('\u0000').update(text).digest();
  }
}

function compactionError(code: string, message: string): ApiError {
  return { ...badRequest(message), details: { error_code: code } };
}

/** Validates every compaction block of `messages` (already shape-checked by validateMessages). */
export function checkCompactionBlocks(messages: Obj[], signer: CompactionSigner, betaOn: boolean): ApiError | undefined {
  let withContent = 0;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    if (!Array.isArray(m.content)) continue;
    for (let j = 0; j < m.content.length; j++) {
      const b = m.content[j] as Obj;
      if (!isObj(b) || b.type !== 'compaction') continue;
      const path = `messages.${i}.content.${j}`;
      if (!betaOn) return badRequest(`${path}.type: Input tag 'compaction' found using 'type' does not match any of the expected tags`); // wording UNCONFIRMED
      for (const k of Object.keys(b)) if (!BLOCK_KEYS.has(k)) return badRequest(`${path}.compaction.${k}: Extra inputs are not permitted`);
      const c = b.content;
      if (c !== undefined && c !== null && typeof c !== 'string') return badRequest(`${path}.compaction.content: Input should be a valid string`);
      if (c === '') return badRequest(`${path}.compaction.content: String should have at least 1 character`); // "Empty string content is not allowed"
      for (const k of ['encrypted_content', 'signature'] as const) {
        if (b[k] !== undefined && b[k] !== null && typeof b[k] !== 'string') return badRequest(`${path}.compaction.${k}: Input should be a valid string`);
      }
      if (m.role === 'system' || j !== 0) {
        return compactionError('compaction_block_misplaced', `${path}: a compaction block must be the first block of its message and may not be in a system message`);
      }
      if (typeof c !== 'string') continue; // a failed compaction (null content) is a no-op
      withContent++;
      const enc = typeof b.encrypted_content === 'string' ? b.encrypted_content : undefined;
      const sig = typeof b.signature === 'string' ? b.signature : undefined;
      if (sig !== undefined && (enc === undefined || !signer.signatureValid(c, enc, sig))) {
        return compactionError('compaction_signature_invalid', `${path}: the compaction block's signature is not valid; send the block back exactly as it was returned`);
      }
      if (enc !== undefined && !signer.encryptedMatches(c, enc)) {
        return compactionError('compaction_content_mismatch', `${path}: the compaction block's content does not match its encrypted_content`);
      }
    }
  }
  if (withContent > 1) return compactionError('compaction_block_ambiguous', 'messages: more than one compaction block has content; send only the latest one');
  return undefined;
}

/**
 * The messages the model sees: everything before the (last) compaction block with content is dropped, and
 * compaction blocks with null content are removed (no-ops). Returns the input itself when there is none.
 */
export function effectiveMessages(messages: Obj[]): { messages: Obj[]; compacted: boolean } {
  let at = -1;
  messages.forEach((m, i) => {
    if (Array.isArray(m.content) && m.content.some((b) => isObj(b) && b.type === 'compaction' && typeof b.content === 'string')) at = i;
  });
  const nullBlock = (b: unknown) => isObj(b) && b.type === 'compaction' && typeof b.content !== 'string';
  const kept = (at < 0 ? messages : messages.slice(at))
    .map((m) => (Array.isArray(m.content) && m.content.some(nullBlock) ? { ...m, content: m.content.filter((b) => !nullBlock(b)) } : m))
    .filter((m) => !Array.isArray(m.content) || m.content.length > 0);
  return { messages: kept, compacted: at >= 0 };
}

function textsOf(m: Obj): string[] {
  if (typeof m.content === 'string') return [m.content];
  if (!Array.isArray(m.content)) return [];
  return m.content.flatMap((b) => {
    if (!isObj(b)) return [];
    if (b.type === 'text') return [String(b.text)];
    if (b.type === 'compaction' && typeof b.content === 'string') return [b.content];
    if (b.type === 'tool_use') return [`(called ${String(b.name)})`];
    return [];
  });
}

/** The fake's summary: deterministic, short, and mentioning what each earlier message was about. */
export function fakeSummary(messages: Obj[], instructions?: string): string {
  const lines = messages.flatMap((m) => textsOf(m).map((t) => `- ${String(m.role)}: ${t.replace(/\s+/g, ' ').slice(0, 80)}`));
  const head = `Summary of the conversation so far (${messages.length} messages)${instructions ? `, following the given instructions` : ''}:`;
  let out = head;
  for (const l of lines) {
    if (out.length + l.length + 1 > 1200) break;
    out += `\n${l}`;
  }
  return out;
}
