// The store could not be reached when the process started: nothing that needs it (deduplication,
// schedules, Teams conversations) can work, so the process stops instead of looking healthy.

export class StoreUnavailableError extends Error {
  readonly code = "store_unavailable";

  constructor(message: string, options: { readonly cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "StoreUnavailableError";
  }
}
