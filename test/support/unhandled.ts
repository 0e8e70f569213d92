// What a fault or fuzz test asserts stays empty: the rejections (and, when asked, exceptions) no
// handler took while the file ran. A bot that lost a promise under a fault failed, even if it answered.
import { afterAll, beforeAll } from "vitest";

export function unhandledDuringFile(options: { readonly exceptions?: boolean } = {}): unknown[] {
  const seen: unknown[] = [];
  const record = (err: unknown) => {
    seen.push(err);
  };
  beforeAll(() => {
    process.on("unhandledRejection", record);
    if (options.exceptions) process.on("uncaughtException", record);
  });
  afterAll(() => {
    process.off("unhandledRejection", record);
    if (options.exceptions) process.off("uncaughtException", record);
  });
  return seen;
}
