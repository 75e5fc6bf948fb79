// The model picker's data: GET /v1/models through the SDK, cached; context windows for trimming and the counter.
import { ModelCatalog, ModelInfo } from '../core/modelCatalog';
import { describeError } from '../core/errors';
import type { ApiKeyService } from '../core/apiKey';
import type { Connect } from '../core/keyRoute';

export class ModelService {
  readonly catalog = new ModelCatalog();

  /** @param connect KeyRoute.client: the host is allowed before the key goes anywhere but the Anthropic API. */
  constructor(private readonly keys: ApiKeyService, private readonly connect: Connect) {}

  /** Lists models; on failure returns the cached list (or none) and the reason. */
  async list(refresh = false): Promise<{ models: ModelInfo[]; error?: string }> {
    const { key } = await this.keys.resolve();
    if (!key) return { models: this.catalog.cached() ?? [] };
    try {
      const client = await this.connect(key);
      return { models: await this.catalog.list(client, refresh) };
    } catch (e) {
      return { models: this.catalog.cached() ?? [], error: describeError(e).message };
    }
  }

  contextWindow(model: string): number | undefined {
    return this.catalog.contextWindow(model);
  }

  capabilities(model: string) {
    return this.catalog.capabilities(model);
  }
}
