// The small interfaces through which core/ talks to its host. core/ never imports `vscode`.

export interface SecretStore {
  get(key: string): Promise<string | undefined>;
  store(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const nullLogger: Logger = { info() {}, warn() {}, error() {} };

/** Settings read fresh for every request, so a change takes effect without a reload. */
export interface RequestSettings {
  model: string;
  maxTokens: number;
  /** Empty string = the SDK's default (https://api.anthropic.com). */
  baseURL: string;
}
