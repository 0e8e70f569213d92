// Who calls each demo deployment: a few client networks with stable shares, logged as Azure logs
// CallerIPAddress, last octet already masked. A row's caller is drawn from its own key, so the
// shares hold in every window and a row keeps its caller whichever query reads it.

export interface CallerShare {
  readonly address: string;
  readonly share: number;
}

const CALLERS: Readonly<Record<string, readonly CallerShare[]>> = {
  // the chat front end, the support copilot, a partner integration over the internet
  "gpt-4o": [
    { address: "10.1.4.***", share: 0.55 },
    { address: "10.1.7.***", share: 0.3 },
    { address: "81.2.69.***", share: 0.15 },
  ],
  "gpt-4o-mini": [
    { address: "10.1.4.***", share: 0.45 },
    { address: "10.1.9.***", share: 0.35 },
    { address: "10.1.7.***", share: 0.15 },
    { address: "81.2.69.***", share: 0.05 },
  ],
  // the indexing job, and the front end embedding queries
  "text-embedding-3-large": [
    { address: "10.1.12.***", share: 0.85 },
    { address: "10.1.4.***", share: 0.15 },
  ],
  "gpt-4o-ptu": [
    { address: "10.1.7.***", share: 0.7 },
    { address: "10.1.4.***", share: 0.3 },
  ],
};

export function callersOf(deployment: string): readonly CallerShare[] {
  return CALLERS[deployment] ?? [{ address: "10.1.4.***", share: 1 }];
}
