// Who asks, and where: every surface (Slack, Teams, the console, the `aoai` CLI, the web later)
// describes a conversation turn with one Place. The bot keeps it beside the question (schedules'
// "created by", where a "schedule …" posts, later access rules); the query layer never sees it.

export interface Place {
  /** The surface's row name in the platform table ("slack", "teams", "console"), or "cli" / "schedule". */
  readonly platform: string;
  /** Slack workspace (team id), Teams tenant. */
  readonly workspace?: string;
  /**
   * The asker's own organisation when it can differ from `workspace`: in a Slack Connect channel
   * the person's team id (`user_team`), not the channel's. Access rules read it (src/access).
   */
  readonly org?: string;
  /** Teams team. */
  readonly team?: string;
  /** Slack channel or DM, Teams conversation (without the ;messageid= of a thread). */
  readonly channel?: string;
  readonly user?: string;
  /** Slack thread ts, Teams reply chain message id. */
  readonly thread?: string;
}

/** Who asked is where they asked from: the same type. */
export type Asker = Place;
