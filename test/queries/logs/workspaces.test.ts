// Which workspace a resource's request logs are read from: the configured one, else the first
// diagnostic setting that sends RequestResponse (or allLogs) to a workspace; when there is none,
// the person is told which setting to create (and that it costs money) or which to fix.
import { describe, expect, it } from "vitest";
import type { DiagnosticSetting, DiagnosticSettingsReader } from "../../../src/queries/arm-readers.ts";
import { NoLogWorkspaceError } from "../../../src/queries/logs/log-errors.ts";
import { Workspaces } from "../../../src/queries/logs/workspaces.ts";

const AOAI = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/aoai-prod";
const LAW = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/law-prod";
const LAW2 = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/law-audit";
const GUID = "b3c7a6c0-3f5e-4b52-9a2e-0c7d0e1f2a3b";

/** Diagnostic settings as the ARM reader returns them, counting reads. */
class Settings implements DiagnosticSettingsReader {
  reads = 0;
  settings: DiagnosticSetting[];
  failWith: Error | undefined;

  constructor(settings: DiagnosticSetting[]) {
    this.settings = settings;
  }

  list(): Promise<DiagnosticSetting[]> {
    this.reads++;
    return this.failWith ? Promise.reject(this.failWith) : Promise.resolve(this.settings);
  }
}

const setting = (name: string, workspaceResourceId: string | undefined, logs: [string, boolean][]): DiagnosticSetting => ({
  name,
  ...(workspaceResourceId === undefined ? {} : { workspaceResourceId }),
  logs: logs.map(([category, enabled]) => ({ category, enabled })),
  metricsEnabled: false,
});

const refusal = (w: Workspaces) => w.workspaceOf(AOAI).then(() => undefined, (e: unknown) => e as NoLogWorkspaceError);

describe("the workspace of a resource's logs", () => {
  it("is the configured one first (resources[].workspaceId / AOAI_WORKSPACE_ID), without reading diagnostic settings", async () => {
    const reader = new Settings([setting("to-law", LAW, [["RequestResponse", true]])]);
    const w = new Workspaces({ configured: { [AOAI.toUpperCase()]: GUID }, diagnosticSettings: reader });
    expect(await w.workspaceOf(AOAI)).toBe(GUID);
    expect(reader.reads).toBe(0);
  });

  it("else the first setting that sends RequestResponse, or the allLogs group, to a workspace", async () => {
    const reader = new Settings([
      setting("audit-only", LAW2, [["Audit", true], ["RequestResponse", false]]),
      setting("to-storage", undefined, [["RequestResponse", true]]),
      setting("all-logs", LAW, [["allLogs", true]]),
      setting("later", LAW2, [["RequestResponse", true]]),
    ]);
    expect(await new Workspaces({ configured: {}, diagnosticSettings: reader }).workspaceOf(AOAI)).toBe(LAW);
  });

  it("reads the settings once per resource for a few minutes, and again after", async () => {
    let now = new Date("2026-11-30T14:00:00Z");
    const reader = new Settings([setting("to-law", LAW, [["requestresponse", true]])]);
    const w = new Workspaces({ configured: {}, diagnosticSettings: reader, now: () => now });
    await Promise.all([w.workspaceOf(AOAI), w.workspaceOf(AOAI)]);
    now = new Date("2026-11-30T14:04:00Z");
    expect(await w.workspaceOf(AOAI)).toBe(LAW);
    expect(reader.reads).toBe(1);
    now = new Date("2026-11-30T14:06:00Z");
    await w.workspaceOf(AOAI);
    expect(reader.reads).toBe(2);
  });

  it("does not remember a failed read or a missing setting: the setting created a minute later is found", async () => {
    const reader = new Settings([]);
    const w = new Workspaces({ configured: {}, diagnosticSettings: reader });
    expect(await refusal(w)).toBeInstanceOf(NoLogWorkspaceError);
    reader.settings = [setting("to-law", LAW, [["RequestResponse", true]])];
    expect(await w.workspaceOf(AOAI)).toBe(LAW);
    expect(reader.reads).toBe(2);
  });

  it("no setting at all: which setting to create, that routing logs costs money, and that workspaceId can be set", async () => {
    const err = await refusal(new Workspaces({ configured: {}, diagnosticSettings: new Settings([]) }));
    expect(err).toBeInstanceOf(NoLogWorkspaceError);
    expect(err?.message).toBe("aoai-prod has no diagnostic setting that sends its request logs to a Log Analytics workspace, so there are no logs to query.");
    expect(err?.hint).toContain("Create a diagnostic setting on aoai-prod");
    expect(err?.hint).toContain("RequestResponse category");
    expect(err?.hint).toContain("costs money");
    expect(err?.hint).toContain("`workspaceId`");
    expect(err?.hint).toContain("AOAI_WORKSPACE_ID");
    expect(err?.resourceId).toBe(AOAI);
  });

  it("a setting to a workspace without RequestResponse: names it and the category to enable", async () => {
    const err = await refusal(new Workspaces({ configured: {}, diagnosticSettings: new Settings([setting("audit-to-law", LAW, [["Audit", true], ["RequestResponse", false]])]) }));
    expect(err?.message).toBe('The diagnostic setting "audit-to-law" on aoai-prod sends logs to a Log Analytics workspace, but not the RequestResponse category.');
    expect(err?.hint).toContain('Enable the RequestResponse category (or the allLogs group) in "audit-to-law"');
  });

  it("RequestResponse sent only to storage or Event Hubs: names the setting and asks for a workspace destination", async () => {
    const err = await refusal(new Workspaces({ configured: {}, diagnosticSettings: new Settings([setting("archive", undefined, [["RequestResponse", true]])]) }));
    expect(err?.message).toContain('"archive" on aoai-prod sends RequestResponse logs elsewhere');
    expect(err?.hint).toContain("Add a Log Analytics workspace as a destination");
  });

  it("without a settings reader, only configured workspaces are known", async () => {
    expect(await refusal(new Workspaces({ configured: {} }))).toBeInstanceOf(NoLogWorkspaceError);
  });
});
