// Chat platforms answer quickly or show "working…" first: this decides which. Each adapter keeps the
// delivery (post, then edit in place); the Message comes from the conversation.
import type { Message } from "./message.ts";

/** The message if it is ready within `ms`, else undefined (the caller shows "working…" and waits on). */
export async function replyWithin<T = Message>(pending: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([pending, new Promise<undefined>((resolve) => (timer = setTimeout(() => { resolve(undefined); }, ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
