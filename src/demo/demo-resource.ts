// The one Azure OpenAI account the demo pretends to have. Other modules (the CLI's --source demo,
// the bot's examples) read these constants so the names in answers match the simulated data.

export const DEMO_SUBSCRIPTION_ID = "00000000-0000-0000-0000-000000000000";
export const DEMO_RESOURCE_GROUP = "rg-aoai-demo";
export const DEMO_ACCOUNT_NAME = "aoai-demo";
export const DEMO_RESOURCE_ID = `/subscriptions/${DEMO_SUBSCRIPTION_ID}/resourceGroups/${DEMO_RESOURCE_GROUP}/providers/Microsoft.CognitiveServices/accounts/${DEMO_ACCOUNT_NAME}`;
export const DEMO_REGION = "swedencentral";

export type DeploymentKind = "chat" | "embeddings";
export type DeploymentSku = "Standard" | "ProvisionedManaged";

export interface DemoDeployment {
  readonly name: string;
  readonly model: string;
  readonly version: string;
  readonly sku: DeploymentSku;
  readonly kind: DeploymentKind;
}

export const DEMO_DEPLOYMENTS: readonly DemoDeployment[] = [
  { name: "gpt-4o", model: "gpt-4o", version: "2024-11-20", sku: "Standard", kind: "chat" },
  { name: "gpt-4o-mini", model: "gpt-4o-mini", version: "2024-07-18", sku: "Standard", kind: "chat" },
  { name: "text-embedding-3-large", model: "text-embedding-3-large", version: "1", sku: "Standard", kind: "embeddings" },
  { name: "gpt-4o-ptu", model: "gpt-4o", version: "2024-11-20", sku: "ProvisionedManaged", kind: "chat" },
];

export function isProvisioned(d: DemoDeployment): boolean {
  return d.sku === "ProvisionedManaged";
}

/** How many days back the simulated account has data; older minutes are empty, as for a new account. */
export const DEMO_HISTORY_DAYS = 30;
