// The configured price table for spend estimates: per model (the ModelName Azure reports, not the
// deployment name), input and output prices per 1M tokens, in one currency.

/** Prices are per this many tokens: Azure's price list quotes per 1M tokens. */
export const TOKENS_PER_PRICE = 1_000_000;

export interface ModelPrice {
  /** Price of 1M prompt (input) tokens. */
  readonly inputPer1M: number;
  /** Price of 1M completion (output) tokens. */
  readonly outputPer1M: number;
}

export interface PriceTable {
  /** ISO 4217 code, e.g. "USD". */
  readonly currency: string;
  /** Model name → prices; looked up case-insensitively. */
  readonly models: Readonly<Record<string, ModelPrice>>;
}

export function priceOf(prices: PriceTable, model: string): ModelPrice | undefined {
  const wanted = model.toLowerCase();
  const key = Object.keys(prices.models).find((k) => k.toLowerCase() === wanted);
  return key === undefined ? undefined : prices.models[key];
}

/** The snippet an operator adds to aoai.config.yaml (YAML flow style: one line, valid as written). */
export const PRICES_SNIPPET = "prices: { currency: USD, models: { gpt-4o: { inputPer1M: 2.50, outputPer1M: 10.00 }, gpt-4o-mini: { inputPer1M: 0.15, outputPer1M: 0.60 } } }";
