import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AzureMetrics } from "../../src/queries/azure-metrics.ts";
import { QueryService } from "../../src/queries/service.ts";
import { absenceReport, checkAbsence, describeHours, outsideBusinessHours, withinBusinessHours } from "../../src/schedules/reports/absence.ts";
import { parseHours } from "../../src/schedules/schedule.ts";
import { FakeAzureMonitor, fakeCredential, type RecordedRequest } from "../fakes/azure-monitor.ts";

const AOAI = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/prod";
const AT = new Date("2026-11-30T12:00:00Z");
let fake: FakeAzureMonitor;
let service: QueryService;

/** Azure's answer: one series per deployment and status code that had calls. */
function traffic(series: { deployment: string; code?: string; total: number }[]) {
  return (req: RecordedRequest) => {
    const split = req.query.$filter ?? "";
    const rows = series.filter((s) => split.includes("StatusCode") || s.code === undefined);
    return {
      status: 200,
      body: {
        timespan: req.query.timespan,
        value: [{ id: "x", type: "Microsoft.Insights/metrics", name: { value: "AzureOpenAIRequests", localizedValue: "Requests" }, unit: "Count", errorCode: "Success", timeseries: req.query.resultType === "Metadata" ? [] : rows.map((s) => ({ metadatavalues: [{ name: { value: "modeldeploymentname" }, value: s.deployment }, ...(s.code ? [{ name: { value: "statuscode" }, value: s.code }] : [])], data: [{ timeStamp: "2026-11-30T11:00:00Z", total: s.total }] })) }],
      },
    };
  };
}

beforeEach(async () => {
  fake = await new FakeAzureMonitor().start();
  const metrics = new AzureMetrics({ credential: fakeCredential, endpoint: "https://management.azure.com", httpClient: fake.httpClient() });
  service = new QueryService({ metrics, resourceIds: [AOAI], zone: "UTC", now: () => AT });
});
afterEach(async () => {
  await fake.close();
});

describe("absence checks tell apart why a deployment is silent", () => {
  it("says nothing while the deployment has successful calls", async () => {
    fake.handler = traffic([{ deployment: "gpt-4o", total: 10 }, { deployment: "gpt-4o", code: "200", total: 10 }]);
    const c = await checkAbsence(service, "gpt-4o", 360, AT, "UTC");
    expect(c.state).toBe("present");
    expect(absenceReport(c)).toBeUndefined();
  });

  it("calls a deployment idle when it had no calls while others did", async () => {
    fake.handler = traffic([{ deployment: "gpt-4o-mini", total: 50 }, { deployment: "gpt-4o-mini", code: "200", total: 50 }]);
    const report = absenceReport(await checkAbsence(service, "gpt-4o", 360, AT, "UTC"));
    expect(report?.title).toBe("No calls at all to gpt-4o in the last 6 h");
    expect(report?.lines.join(" ")).toContain("**idle**");
  });

  it("calls it failing when it had calls and none succeeded", async () => {
    fake.handler = traffic([{ deployment: "gpt-4o", total: 40 }, { deployment: "gpt-4o", code: "429", total: 40 }]);
    const report = absenceReport(await checkAbsence(service, "gpt-4o", 360, AT, "UTC"));
    expect(report?.title).toBe("No successful calls to gpt-4o in the last 6 h");
    expect(report?.lines.join(" ")).toContain("**40** calls and **none succeeded**");
  });

  it("calls it a metrics gap when Azure has no data for the resource at all", async () => {
    fake.handler = traffic([]);
    const report = absenceReport(await checkAbsence(service, "gpt-4o", 360, AT, "UTC"));
    expect(report?.title).toBe("No metrics at all for the resource in the last 6 h");
    expect(report?.lines.join(" ")).toContain("**metrics gap**");
  });
});

describe("business hours", () => {
  const hours = parseHours("Mon-Fri 09:00-18:00");
  it.each([
    ["2026-11-30T08:30:00Z", true], // Monday 09:30 Berlin
    ["2026-11-30T17:30:00Z", false], // Monday 18:30 Berlin
    ["2026-11-29T10:00:00Z", false], // Sunday
  ] as const)("%s in Europe/Berlin is inside: %s", (at, inside) => {
    expect(withinBusinessHours(hours, new Date(at), "Europe/Berlin")).toBe(inside);
  });
});

describe("outside business hours", () => {
  it("says what the hours are and that nothing was checked", () => {
    expect(outsideBusinessHours(parseHours("Mon-Fri 09:00-18:00"), new Date("2026-11-30T17:30:00Z"), "Europe/Berlin")).toBe("outside business hours (Mon-Fri 09:00-18:00 Europe/Berlin): not checked");
    expect(outsideBusinessHours(parseHours("Mon-Fri 09:00-18:00"), new Date("2026-11-30T08:30:00Z"), "Europe/Berlin")).toBeUndefined();
    expect(outsideBusinessHours(undefined, new Date("2026-11-29T03:00:00Z"), "Europe/Berlin")).toBeUndefined();
  });

  it.each([
    ["Mon-Fri 09:00-18:00", "Mon-Fri 09:00-18:00"],
    ["Sat-Mon 10:00-14:00", "Sat-Mon 10:00-14:00"],
    ["Wed 08:00-12:00", "Wed 08:00-12:00"],
    ["07:00-19:00", "daily 07:00-19:00"],
  ])("%s reads %s", (configured, said) => {
    expect(describeHours(parseHours(configured))).toBe(said);
  });
});

describe("a resource with no calls at all", () => {
  it("is idle when Azure reports zeros for it, not a metrics gap", async () => {
    fake.handler = (req) => {
      // split queries find no series; the unsplit count has zero-valued points
      const unsplit = req.query.$filter === undefined && req.query.resultType !== "Metadata";
      return { status: 200, body: { timespan: req.query.timespan, value: [{ id: "x", type: "Microsoft.Insights/metrics", name: { value: "AzureOpenAIRequests" }, unit: "Count", errorCode: "Success", timeseries: unsplit ? [{ metadatavalues: [], data: [{ timeStamp: "2026-11-30T11:00:00Z", total: 0 }] }] : [] }] } };
    };
    const report = absenceReport(await checkAbsence(service, "gpt-4o", 360, AT, "UTC"));
    expect(report?.title).toBe("No calls at all to gpt-4o in the last 6 h");
  });
});
