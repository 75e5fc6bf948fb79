// Token estimates for images and PDFs. Images follow the documented rule (spec-more §1.4): the image is scaled to
// the largest aspect-preserving size that fits the model's tier, then costs ceil(w/28) × ceil(h/28) tokens. PDFs
// are an estimate ("typically 1,500–3,000 tokens per page", §2.3); count_tokens gives the exact figure.

export const PATCH = 28;

export interface ImageTier {
  maxEdge: number;
  maxTokens: number;
}

/** "Claude 4.7 and later models". */
export const HIGH_RES: ImageTier = { maxEdge: 2576, maxTokens: 4784 };
/** "all other models (e.g. Haiku 4.5)". */
export const STANDARD: ImageTier = { maxEdge: 1568, maxTokens: 1568 };

/** Models older than Claude 4.7 (the standard tier). Anything newer or unknown gets the high-resolution tier. */
const STANDARD_MODELS = /^claude-(3|haiku-4-5|sonnet-4-(5|6)|sonnet-4-(0|2025)|opus-4-(0|1|5|6|2025)|sonnet-4$|opus-4$)/;

export function imageTier(model: string): ImageTier {
  return STANDARD_MODELS.test(model) ? STANDARD : HIGH_RES;
}

const patches = (n: number) => Math.ceil(n / PATCH);

function fits(w: number, h: number, t: ImageTier): boolean {
  return patches(w) * PATCH <= t.maxEdge && patches(h) * PATCH <= t.maxEdge && patches(w) * patches(h) <= t.maxTokens;
}

/** The size the API scales an image to before the model sees it (the docs' binary search, on the long edge). */
export function resizedSize(width: number, height: number, tier: ImageTier): { width: number; height: number } {
  if (width < 1 || height < 1 || fits(width, height, tier)) return { width, height };
  const wide = width >= height;
  const long = wide ? width : height;
  const short = wide ? height : width;
  const at = (l: number) => {
    const s = Math.max(1, Math.round((l * short) / long));
    return wide ? { width: l, height: s } : { width: s, height: l };
  };
  let lo = 1;
  let hi = long;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    const d = at(mid);
    if (fits(d.width, d.height, tier)) lo = mid;
    else hi = mid - 1;
  }
  return at(lo);
}

export function imageTokens(width: number, height: number, model: string): number {
  const d = resizedSize(width, height, imageTier(model));
  return patches(d.width) * patches(d.height);
}

/** Estimated tokens per PDF page: text plus the page image (the docs give 1,500–3,000 for the text alone). */
export const PDF_TOKENS_PER_PAGE = 2000;

export function pdfTokens(pages: number | undefined): number {
  return Math.max(1, pages ?? 1) * PDF_TOKENS_PER_PAGE;
}
