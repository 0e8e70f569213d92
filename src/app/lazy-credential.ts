// DefaultAzureCredential, loaded on the first token request: @azure/identity and MSAL cost about
// 130 ms and 10 MiB to load, which a demo, `aoai --help` or a process that never reaches Azure
// should not pay.
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import type { DefaultAzureCredential } from "@azure/identity";

export class LazyDefaultCredential implements TokenCredential {
  private inner: Promise<DefaultAzureCredential> | undefined;

  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    this.inner ??= import("@azure/identity").then(({ DefaultAzureCredential }) => new DefaultAzureCredential());
    return (await this.inner).getToken(scopes, options);
  }
}
