// `aoai … | head` closes our stdout early. Node then reports EPIPE as an 'error' event on the
// stream, which, unheard, ends the process with a stack trace (and, for `aoai report`, in the middle
// of a run). A reader that stops reading is not a failure of ours: the stream goes quiet, and the
// command exits with the code its own outcome gives. Whoever needs to know whether a write arrived
// (the console poster of `aoai report`) waits for the write's callback, which carries the error.
import type { Writable } from "node:stream";

export interface GuardedOutput {
  /** Writes a line unless the reader has gone; never throws. */
  readonly line: (s: string) => void;
  /** The stream itself, for writers that wait on the callback to learn whether a write arrived. */
  readonly stream: Writable;
  /** True once a write failed (EPIPE: the reader closed the pipe). */
  readonly closed: () => boolean;
}

export function guardOutput(stream: Writable): GuardedOutput {
  let closed = false;
  stream.on("error", () => {
    // EPIPE and friends: nobody reads any more; later writes are dropped, not retried
    closed = true;
  });
  return {
    line: (s) => {
      if (closed || stream.destroyed) return;
      stream.write(`${s}\n`, (err) => {
        if (err) closed = true;
      });
    },
    stream,
    closed: () => closed || stream.destroyed,
  };
}
