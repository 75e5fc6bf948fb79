// Thinking-block signatures. "Thinking blocks must be passed back unmodified ... a modified block results in
// a 400" (spec §2.2, §4.2), so the fake must recognise what it issued:
//   signature = base64( nonce(12 bytes) || HMAC-SHA256(secret, nonce || thinking text as the client saw it) )
// Verifying recomputes the MAC, so no state is needed for generated signatures. Signatures and redacted data
// given verbatim by a test script are remembered instead. With display "omitted" the client sees thinking ""
// and sends "" back, so the signature covers "" (the text the client holds).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const NONCE = 12;
const MAC = 32;

export class ThinkingSigner {
  private readonly scriptedSignatures = new Map<string, string>();
  private readonly scriptedRedacted = new Set<string>();

  constructor(private readonly secret: string = randomBytes(16).toString('hex')) {}

  sign(thinking: string): string {
    const nonce = randomBytes(NONCE);
    return Buffer.concat([nonce, this.mac(nonce, 'thinking', thinking)]).toString('base64');
  }

  /** A test chose the signature itself: accept exactly this pair later. */
  remember(signature: string, thinking: string): void {
    this.scriptedSignatures.set(signature, thinking);
  }

  verify(thinking: unknown, signature: unknown): boolean {
    if (typeof thinking !== 'string' || typeof signature !== 'string') return false;
    if (this.scriptedSignatures.get(signature) === thinking) return true;
    return this.check(signature, 'thinking', thinking);
  }

  /** Opaque redacted_thinking data; given data (from a script) is remembered as issued. */
  redacted(given?: string): string {
    if (given !== undefined) {
      this.scriptedRedacted.add(given);
      return given;
    }
    const nonce = randomBytes(NONCE);
    return Buffer.concat([nonce, this.mac(nonce, 'redacted', '')]).toString('base64');
  }

  verifyRedacted(data: unknown): boolean {
    if (typeof data !== 'string') return false;
    return this.scriptedRedacted.has(data) || this.check(data, 'redacted', '');
  }

  private check(encoded: string, kind: string, text: string): boolean {
    const raw = Buffer.from(encoded, 'base64');
    if (raw.length !== NONCE + MAC || raw.toString('base64') !== encoded) return false;
    return timingSafeEqual(raw.subarray(NONCE), this.mac(raw.subarray(0, NONCE), kind, text));
  }

  private mac(nonce: Buffer, kind: string, text: string): Buffer {
    return createHmac('sha256', this.secret).update(nonce).update(kind).update('\u0000').update(text).digest();
  }
}
