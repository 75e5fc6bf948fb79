// Entry of dist/sdk.js: the Anthropic SDK as its own bundle, required on the first request (see core/sdk.ts), so
// loading and activating the extension never parses it.
export * from '@anthropic-ai/sdk';
export { default } from '@anthropic-ai/sdk';
