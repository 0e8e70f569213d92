// The query layer's portal links (queries/portal-links.ts) as a Message's links: how each is labelled
// and how many an answer carries. The URL is the query layer's; only the words are decided here.
import type { PortalLink } from "../queries/portal-links.ts";
import type { Message } from "./message.ts";

/** Links an answer carries at most: one per distinct figure or workspace, the first ones. */
export const MAX_LINKS = 3;

const OPEN_IN: Readonly<Record<PortalLink["kind"], string>> = { metrics: "Open in Azure portal", logs: "Open in Log Analytics" };

/** `{ links }` for a Message, or nothing when the answer has none (the cloud's portal is unknown). */
export function composeLinks(list: readonly PortalLink[] | undefined): Pick<Message, "links"> {
  const shown = (list ?? []).slice(0, MAX_LINKS);
  if (shown.length === 0) return {};
  // one link needs no name; several say which figure or workspace each opens
  return { links: shown.map((l) => ({ label: shown.length === 1 ? OPEN_IN[l.kind] : `${OPEN_IN[l.kind]}: ${l.about}`, url: l.url })) };
}
