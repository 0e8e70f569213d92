// Which Azure portal belongs to the cloud the bot reads: the one whose Resource Manager endpoint is
// config.armEndpoint. The pairs are the clouds' own (`az cloud show`: `endpoints.resourceManager` and
// `endpoints.portal` of AzureCloud, AzureUSGovernment and AzureChinaCloud). An endpoint not listed
// (Azure Stack, a private cloud, a loopback fake) gets no portal: no link rather than a wrong one.

const PORTALS: Readonly<Record<string, string>> = {
  "management.azure.com": "https://portal.azure.com",
  "management.usgovcloudapi.net": "https://portal.azure.us",
  "management.chinacloudapi.cn": "https://portal.azure.cn",
};

/** The portal's origin for an ARM endpoint ("https://management.usgovcloudapi.net/" → "https://portal.azure.us"). */
export function portalFor(armEndpoint: string): string | undefined {
  let url: URL;
  try {
    url = new URL(armEndpoint);
  } catch {
    return undefined;
  }
  // a port or plain http is a fake or a proxy, not the cloud's own endpoint
  if (url.protocol !== "https:" || url.port !== "") return undefined;
  return PORTALS[url.hostname.toLowerCase()];
}
