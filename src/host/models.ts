// The model picker's data: GET /v1/models through the SDK, cached; context windows for trimming and the counter.
import { ModelCatalog, ModelInfo } from '../core/modelCatalog';
import { describeError } from '../core/errors';
import { createClient } from '../core/sdk';
import type { ApiKeyService } from '../core/apiKey';
import { readSettings } from './config';

export class ModelService {
  readonly catalog = new ModelCatalog();

  constructor(private readonly keys: ApiKeyService) {}

  /** Lists models; on failure returns the cached list (or none) and the reason. */
  async list(refresh = false): Promise<{ models: ModelInfo[]; error?: string }> {
    const { key } = await this.keys.resolve();
    if (!key) return { models: this.catalog.cached() ?? [] };
    try {
      const client = await createClient({ apiKey: key, baseURL: readSettings().baseURL });
      return { models: await this.catalog.list(client, refresh) };
    } catch (e) {
      return { models: this.catalog.cached() ?? [], error: describeError(e, key).message };
    }
  }

  contextWindow(model: string): number | undefined {
    return this.catalog.contextWindow(model);
  }
}
