// Runs `aoai` in-process with its output captured, as the CLI tests read it.
import { runCli } from "../../src/cli/main.ts";

export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

export async function cliIn(env: Record<string, string>, ...argv: string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (s) => out.push(s), err: (s) => err.push(s), env });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/** With an empty environment: the demo, the default configuration. */
export function cli(...argv: string[]): Promise<CliRun> {
  return cliIn({}, ...argv);
}
