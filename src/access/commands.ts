// The things access rules allow or deny, by name. `help` is always allowed (it names nothing);
// listing schedules counts as `ask`, changing them as `schedule`.
export const ACCESS_COMMANDS = ["ask", "logs", "kql", "schedule", "quota", "doctor", "audit"] as const;
export type AccessCommand = (typeof ACCESS_COMMANDS)[number];

/** What people of the bot's own organisation may do when no rule names them: read, not change, not run raw KQL, not read the audit log. */
export const HOME_DEFAULT: readonly AccessCommand[] = ["ask", "logs", "quota", "doctor"];
/** The console, `aoai` and the loopback playground run on the operator's machine with the operator's credential; raw KQL still needs `kql.allowedUsers` or a rule. */
export const LOCAL_DEFAULT: readonly AccessCommand[] = ["ask", "logs", "quota", "doctor", "schedule", "audit"];
