// The conversation entry platforms get: the same Conversation, with every say/press counted as work
// in flight, so a stopping process lets those answers finish. Counting here, where every platform
// enters, keeps one place that knows; a turn observer would hear of a turn only once it is over.
import type { Place } from "../bot/asker.ts";
import type { Bot } from "../bot/bot.ts";
import { Conversation, type Command, type ConversationOptions } from "../bot/conversation.ts";
import type { FollowUp } from "../bot/follow-up.ts";
import type { Message } from "../bot/message.ts";
import type { InFlight } from "./in-flight.ts";

export class TrackedConversation extends Conversation {
  private readonly inFlight: InFlight;

  constructor(inFlight: InFlight, bot: Bot, commands: readonly Command[] = [], options: ConversationOptions = {}) {
    super(bot, commands, options);
    this.inFlight = inFlight;
  }

  override say(text: string, place: Place): Promise<Message> {
    return this.inFlight.track(super.say(text, place));
  }

  override press(followUp: FollowUp, place: Place): Promise<Message> {
    return this.inFlight.track(super.press(followUp, place));
  }
}
