// Batch review at half price: the service that follows batches and the command that starts them.
export { BatchService, workspaceKey } from './service';
export type { BatchRunResult, BatchServiceDeps, TrackOptions } from './service';
export { reviewFilesInBatch } from './command';
export type { ReviewOptions, ReviewStarted } from './command';
