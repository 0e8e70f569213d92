// Both chat platforms answer quickly or show "working…" first: this decides which.
import type { Reply } from "./reply.ts";

/** The reply if it is ready within `ms`, else undefined (the caller shows "working…" and waits on). */
export async function replyWithin(pending: Promise<Reply>, ms: number): Promise<Reply | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([pending, new Promise<undefined>((resolve) => (timer = setTimeout(() => { resolve(undefined); }, ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
