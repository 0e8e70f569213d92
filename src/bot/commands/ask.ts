// The default command: a question about the deployments, answered from Azure Monitor.
import { composeReply } from "../compose.ts";
import { withQuestion } from "../context-ask.ts";
import type { Command } from "./command.ts";

/** Follow-ups ("what about yesterday?") change the place's previous question. */
export function askCommand(): Command {
  return {
    name: "ask",
    words: [],
    waitsOnAzure: true,
    // a log question needs `logs`, quota `quota`: known once the text is parsed
    access: "question",
    run: async ({ text, place, contextual }) => {
      const { reply, merged } = await contextual.ask(text, place);
      return withQuestion(composeReply(reply, text), merged);
    },
  };
}
