// The one error for bad configuration: it names the key to fix, and `aoai`/the bot process exit with 3.

/** Bad configuration: the process cannot start or answer until it is fixed. */
export class ConfigError extends Error {
  readonly code = "bad_config";
  readonly key: string;

  constructor(key: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ConfigError";
    this.key = key;
  }
}
