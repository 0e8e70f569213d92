import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ActivityQueries, changeLine } from "../../src/queries/activity-log.ts";
import { ArmActivityLog } from "../../src/queries/arm-clients.ts";
import { AzureAccessDeniedError, InvalidWindowError } from "../../src/queries/errors.ts";
import type { Resource } from "../../src/queries/resources.ts";
import type { ActivityQuestion } from "../../src/queries/table-questions.ts";
import { ACCOUNT, activityLogPage, armError, eventData, ok, writeEvents } from "../fakes/arm-resources.ts";
import { FakeAzureMonitor, fakeCredential } from "../fakes/azure-monitor.ts";

const SUB = "0b1f6471-1bf0-4dda-aec3-cb9272f09590";
const ZONE = "Europe/Berlin";
const NOW = new Date("2026-12-01T18:00:00Z");
const OTHER = `/subscriptions/${SUB}/resourceGroups/rg-eu/providers/Microsoft.CognitiveServices/accounts/aoai-eu`;
const resource: Resource = { id: ACCOUNT, name: "aoai-prod", deployments: ["gpt-4o", "gpt-4o-mini"] };
const today = (deployments: string[] = []): ActivityQuestion => ({ kind: "activity", topic: "what changed", window: { kind: "today" }, deployments, notes: [] });

/** What happened on aoai-prod today, as Resource Manager logged it (the deployment id upper-cased, as the activity log often does). */
const TODAY = [
  ...writeEvents({ time: "2026-12-01T08:15:00Z", operation: "Microsoft.CognitiveServices/accounts/deployments/write", resourceId: `${ACCOUNT}/deployments/gpt-4o`, caller: "bob@contoso.com", requestBody: { sku: { name: "GlobalStandard", capacity: 100 } } }),
  ...writeEvents({ time: "2026-12-01T10:05:00Z", operation: "MICROSOFT.COGNITIVESERVICES/ACCOUNTS/DEPLOYMENTS/WRITE", resourceId: `${ACCOUNT}/deployments/GPT-4O`.toUpperCase(), caller: "alice@contoso.com", requestBody: { sku: { name: "GlobalStandard", capacity: 150 } } }),
  eventData({ time: "2026-12-01T12:30:00Z", operation: "Microsoft.CognitiveServices/accounts/regenerateKey/action", resourceId: ACCOUNT, status: "Succeeded", caller: "carol@contoso.com", requestBody: { keyName: "Key1" } }),
  ...writeEvents({ time: "2026-12-01T13:00:00Z", operation: "Microsoft.CognitiveServices/accounts/deployments/write", resourceId: `${ACCOUNT}/deployments/gpt-4o-mini`, caller: "dave@contoso.com", statusCode: "Created", final: "Failed" }),
];

let fake: FakeAzureMonitor;
const queries = () => new ActivityQueries({ reader: new ArmActivityLog({ credential: fakeCredential, endpoint: "https://management.azure.com", httpClient: fake.httpClient(), retry: { maxAttempts: 1 } }), zone: ZONE, now: () => NOW });

beforeEach(async () => {
  fake = await new FakeAzureMonitor().start();
});
afterEach(async () => {
  await fake.close();
});

describe("what changed on the resource", () => {
  it("lists who changed what and when, newest first, with the capacity change as from → to", async () => {
    fake.handler = () => ok(activityLogPage(TODAY));
    const a = await queries().answer(today(), [resource]);

    expect(a.kind).toBe("activity");
    expect(a.window).toEqual({ start: "2026-11-30T23:00:00Z", end: "2026-12-01T18:00:00Z", label: "today" });
    expect(a.table.columns.map((c) => c.name)).toEqual(["time", "what", "deployment", "who", "status"]);
    expect(a.table.rows).toEqual([
      ["2026-12-01T13:00:00Z", "deployment created", "gpt-4o-mini", "dave@contoso.com", "Failed"],
      ["2026-12-01T12:30:00Z", "keys regenerated: Key1", null, "carol@contoso.com", "Succeeded"],
      ["2026-12-01T10:05:00Z", "deployment updated: capacity 100 → 150", "gpt-4o", "alice@contoso.com", "Succeeded"],
      ["2026-12-01T08:15:00Z", "deployment updated: capacity 100", "gpt-4o", "bob@contoso.com", "Succeeded"],
    ]);
    expect(a.lines).toEqual(["4 changes on aoai-prod today; the latest: gpt-4o-mini was created at 14:00 by dave@contoso.com (it failed)."]);
    expect(a.sources).toEqual([`activity log · /subscriptions/${SUB} · eventTimestamp ge '2026-11-30T23:00:00Z' and eventTimestamp le '2026-12-01T18:00:00Z' and resourceGroupName eq 'rg-ai'`]);
    expect(a.requests).toEqual(queries().plan(today(), [resource]));
    expect(fake.requests[0]!.query.$filter).toBe(a.requests[0] && "filter" in a.requests[0] ? a.requests[0].filter : undefined);
  });

  it("answers 'who changed gpt-4o' with that deployment's events only", async () => {
    fake.handler = () => ok(activityLogPage(TODAY));
    const a = await queries().answer(today(["GPT-4o"]), [resource]);
    expect(a.table.rows.map((r) => [r[2], r[3]])).toEqual([
      ["gpt-4o", "alice@contoso.com"],
      ["gpt-4o", "bob@contoso.com"],
    ]);
    expect(a.lines[0]).toBe("2 changes on gpt-4o today; the latest: gpt-4o was updated (capacity 100 → 150) at 11:05 by alice@contoso.com.");
  });

  it("says when nothing changed, naming the resource and the window", async () => {
    fake.handler = () => ok(activityLogPage([]));
    const a = await queries().answer({ ...today(), window: { kind: "relative", minutes: 180 } }, [resource]);
    expect(a.table.rows).toEqual([]);
    expect(a.empty).toBe("No changes recorded on aoai-prod in the last 3 h (2026-12-01 16:00–19:00 Europe/Berlin).");
    expect(a.lines).toEqual([]);
  });

  it("reads every resource and says which one each change was on", async () => {
    const eu = { id: OTHER, name: "aoai-eu", deployments: [] };
    fake.handler = (req) =>
      ok(activityLogPage(req.query.$filter?.includes("rg-eu") ? [eventData({ time: "2026-12-01T09:00:00Z", operation: "Microsoft.Insights/diagnosticSettings/delete", resourceId: `${OTHER}/providers/microsoft.insights/diagnosticSettings/to-law`, status: "Succeeded", caller: "erin@contoso.com" })] : TODAY.slice(4, 5)));
    const a = await queries().answer(today(), [resource, eu]);
    expect(a.table.columns.at(-1)).toEqual({ name: "resource", type: "string" });
    expect(a.table.rows.map((r) => [r[1], r[5]])).toEqual([
      ["keys regenerated: Key1", "aoai-prod"],
      ['diagnostic setting deleted: "to-law"', "aoai-eu"],
    ]);
    expect(a.sources).toHaveLength(2);
  });

  it("refuses a window older than the activity log keeps", async () => {
    const err = await queries()
      .answer({ ...today(), window: { kind: "absolute", start: "2026-09-01T00:00", end: "2026-09-02T00:00" } }, [resource])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidWindowError);
    expect((err as Error).message).toBe("Azure keeps the activity log for 90 days; that window starts earlier.");
    expect(fake.requests).toHaveLength(0);
  });

  it("passes on the role to assign when the activity log is not readable", async () => {
    fake.handler = () => armError(403, "AuthorizationFailed", "no access");
    const err = await queries().answer(today(), [resource]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AzureAccessDeniedError);
    expect((err as AzureAccessDeniedError).hint).toContain('"Monitoring Reader"');
  });
});

describe("the line under a sharp change", () => {
  it("names the first change in the window, when, by whom, and how many more", async () => {
    fake.handler = () => ok(activityLogPage(TODAY));
    const q = queries();
    const events = await q.changesDuring([ACCOUNT], new Date("2026-12-01T10:00:00Z"), new Date("2026-12-01T10:20:00Z"));
    expect(changeLine(events, ZONE)).toBe("gpt-4o was updated (capacity 150) at 11:05 by alice@contoso.com.");

    const all = await q.changesDuring([ACCOUNT], new Date("2026-12-01T08:00:00Z"), new Date("2026-12-01T18:00:00Z"));
    expect(all.map((e) => e.time)).toEqual(["2026-12-01T08:15:00Z", "2026-12-01T10:05:00Z", "2026-12-01T12:30:00Z", "2026-12-01T13:00:00Z"]);
    expect(changeLine(all, ZONE)).toBe("gpt-4o was updated (capacity 100) at 09:15 by bob@contoso.com and 3 more changes.");
    expect(changeLine(all.slice(2, 3), ZONE)).toBe("the keys of aoai-prod were regenerated (Key1) at 13:30 by carol@contoso.com.");
  });

  it("dates the time when the window spans several days, and says nothing without events", () => {
    const e = { time: "2026-11-29T09:00:00Z", operation: "Microsoft.CognitiveServices/accounts/deployments/delete", label: "deployment deleted", status: "Succeeded", caller: "bob@contoso.com", resourceId: `${ACCOUNT}/deployments/old`, deployment: "old" };
    expect(changeLine([e], ZONE, { start: new Date("2026-11-24T00:00:00Z"), end: NOW })).toBe("old was deleted on Nov 29 at 10:00 by bob@contoso.com.");
    expect(changeLine([], ZONE)).toBeUndefined();
  });
});
