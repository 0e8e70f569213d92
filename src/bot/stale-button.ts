// A click on a button whose value the bot cannot read (made by an older version, cut short, forged):
// the person is told the button no longer works, rather than seeing nothing happen.
import { message, type Message } from "./message.ts";

export function staleButtonMessage(): Message {
  return message("error", "error", "That button no longer works.", { lines: ["Ask the question again, or type `help` for examples."], trace: { outcome: "stale_button", requests: [] } });
}
