// Slack's part of /readyz: the bot token works (auth.test answered for it). Once it has, it stays
// so: a Slack outage later must not take every replica out of the load balancer, Teams with them.
import type { WebClient } from "@slack/web-api";

export function tokenAccepted(client: Pick<WebClient, "auth">): () => Promise<string> {
  let accepted: string | undefined;
  return async () => {
    if (accepted === undefined) {
      const r = await client.auth.test();
      accepted = `token accepted by auth.test (workspace ${r.team_id ?? "unknown"})`;
    }
    return accepted;
  };
}
