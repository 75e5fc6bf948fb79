// The model picker's data: GET /v1/models through the SDK, cached; context windows for trimming and the counter; the
// capability table (core/capabilities.ts) fed by what /v1/models reports and the claudeChat.modelCapabilities setting.
import { ModelCatalog, ModelInfo } from '../core/modelCatalog';
import { CapabilityTable, type ModelCapabilities, type ResolvedCapabilities } from '../core/capabilities';
import { describeError } from '../core/errors';
import type { ApiKeyService } from '../core/apiKey';
import type { Connect } from '../core/keyRoute';

export class ModelService {
  readonly catalog = new ModelCatalog();
  /** The one capability table: setting > /v1/models > reference data. */
  readonly table: CapabilityTable;

  /** @param connect KeyRoute.client: the host is allowed before the key goes anywhere but the Anthropic API. */
  constructor(private readonly keys: ApiKeyService, private readonly connect: Connect, overrides?: () => Record<string, Partial<ModelCapabilities>>) {
    this.table = new CapabilityTable({ api: (m) => this.catalog.capabilities(m), overrides });
  }

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

  /** The capabilities of `model`, after one try at the (cached) model list so /v1/models can speak first. */
  async resolve(model: string): Promise<ResolvedCapabilities> {
    if (!this.catalog.cached()) await this.list(false);
    return this.table.get(model);
  }

  /** What `model` accepts now (no network: the cached model list, the setting, the reference data). */
  capabilities(model: string): ResolvedCapabilities {
    return this.table.get(model);
  }

  contextWindow(model: string): number | undefined {
    return this.catalog.contextWindow(model);
  }

  /** Compaction and context editing support, as /v1/models reported it (core/session/). */
  contextCapabilities(model: string) {
    return this.catalog.contextCapabilities(model);
  }
}
