// Who asked, and from where: the bot keeps it beside the question (for schedules' "created by"
// and, later, access rules); the query layer never sees it.

export interface Asker {
  readonly platform: "console" | "cli" | "slack" | "teams" | "schedule";
  readonly workspace?: string;
  readonly channel?: string;
  readonly user?: string;
}
