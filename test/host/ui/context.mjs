// Shared state for the Playwright UI specs, filled by test/host/run.mjs before mocha loads them.
export const uiContext = {
  /** @type {import('playwright-core').Page} */ page: undefined,
  api: undefined,
  fake: undefined,
  url: '',
  shots: '',
  profile: undefined,
};
