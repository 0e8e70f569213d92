// Every key the bot writes to its store, in one table: what each family holds and how its key is
// spelled. The spellings are the ones stores already hold; changing one orphans existing records.

/** Marks a run-ledger key as a "missed slots" note rather than a slot. */
const MISSED = ":missed:";

export const keys = {
  // delivery dedupe (claimOnce): a redelivered request is answered once
  slackEvent: (eventId: string) => `slack:event:${eventId}`,
  slackCommand: (teamId: string, triggerId: string) => `slack:command:${teamId}:${triggerId}`,
  teamsActivity: (conversationId: string, activityId: string) => `teams:activity:${conversationId}:${activityId}`,
  teamsGreeted: (conversationId: string) => `teams:greeted:${conversationId}`,

  // values (put/get)
  /** A Teams conversation reference, for proactive (scheduled) posts. */
  teamsConversation: (conversationId: string) => `${keys.teamsConversationPrefix}${conversationId}`,
  teamsConversationPrefix: "teams:conversation:",
  /** A schedule made in chat (the schedule book). */
  schedule: (name: string) => `${keys.schedulePrefix}${name}`,
  schedulePrefix: "schedule:",
  /** A condition schedule's episode: ok, or firing since when, with the parent messages. */
  scheduleState: (name: string) => `schedule-state:${name}`,
  /** The time up to which a schedule's slots are accounted for. */
  scheduleCheck: (name: string) => `schedule-check:${name}`,
  /**
   * The last question understood in one conversation, for follow-ups ("what about yesterday?"): one
   * person in one Slack thread or DM, Teams conversation (and reply chain) or console session.
   * Parts are URI-encoded, so ids holding ":" (Teams' "19:…@thread", "a:…") cannot run into each other.
   */
  conversationContext: (platform: string, workspace: string, channel: string, thread: string, user: string) =>
    `${keys.conversationContextPrefix}${[platform, workspace, channel, thread, user].map(encodeURIComponent).join(":")}`,
  conversationContextPrefix: "context:",
  /** Intent and outcome of one post: a slot's part to one target (target as describeTarget spells it). */
  delivery: (slot: string, part: number, target: string) => `delivery:${slot}#${part}@${target}`,

  // the run ledger (claimRun/finishRun/runKeys)
  /** One slot of one schedule; also node-cron's coordination key (name:slot). */
  run: (name: string, slot: Date) => `${name}:${slot.toISOString()}`,
  /** The one note naming slots missed from `first` on. */
  missedRun: (name: string, first: Date) => `${name}${MISSED}${first.toISOString()}`,
  runPrefix: (name: string) => `${name}:`,
  isMissedRun: (key: string) => key.includes(MISSED),
  /** The slot a run key (or a delivery's slot) names, from the schedule's own name. */
  slotOfRun: (name: string, key: string) => new Date(key.slice(name.length + 1)),
} as const;
