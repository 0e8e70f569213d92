import type { Server } from "node:http";
import express from "express";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AckFirst } from "../../../src/adapters/slack/ack-first.ts";
import type { BotProcess } from "../../../src/app/bot-process.ts";
import { FakeSlackApi } from "../../fakes/slack-api.ts";
import { close } from "../../fakes/loopback.ts";
import { sendSigned, slashCommand } from "../../fakes/slack-request.ts";
import { startSlackBot } from "./slack-bot.ts";

/** An express app whose Slack route holds each request until the test answers it. */
async function heldRoute(acks: AckFirst): Promise<{ url: string; held: express.Response[]; server: Server }> {
  const held: express.Response[] = [];
  const app = express();
  app.post("/slack/events", acks.track, (_req, res) => {
    held.push(res);
  });
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/slack/events`, held, server };
}

/** Lets the event loop go round a few times (timers included): long enough for a turn that may be given to be given. */
const someTurns = () => new Promise((resolve) => setTimeout(resolve, 50));

async function until(probe: () => boolean): Promise<void> {
  while (!probe()) await new Promise((resolve) => setImmediate(resolve));
}

describe("work after an acknowledgement", () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    if (server) await close(server);
    server = undefined;
  });

  it("waits while another Slack request still waits for its acknowledgement, and starts once it has it", async () => {
    const acks = new AckFirst(60_000);
    const route = await heldRoute(acks);
    server = route.server;
    const pending = fetch(route.url, { method: "POST", body: "x" });
    await until(() => route.held.length === 1);
    let started = false;
    const turn = acks.turn().then(() => (started = true));
    await someTurns();
    expect(started).toBe(false);
    route.held[0]?.status(200).send("");
    await turn;
    expect(started).toBe(true);
    expect((await pending).status).toBe(200);
  });

  it("starts when the waiting request's client goes away instead", async () => {
    const acks = new AckFirst(60_000);
    const route = await heldRoute(acks);
    server = route.server;
    const gone = new AbortController();
    const pending = fetch(route.url, { method: "POST", body: "x", signal: gone.signal }).catch(() => "aborted");
    await until(() => route.held.length === 1);
    let started = false;
    const turn = acks.turn().then(() => (started = true));
    await someTurns();
    expect(started).toBe(false);
    gone.abort();
    await turn;
    expect(await pending).toBe("aborted");
  });

  it("waits for a pause in arrivals after the last acknowledgement (the next request of a crowd may be on its way)", async () => {
    const acks = new AckFirst(300, 60_000);
    const route = await heldRoute(acks);
    server = route.server;
    const pending = fetch(route.url, { method: "POST", body: "x" });
    await until(() => route.held.length === 1);
    let started = false;
    const turn = acks.turn().then(() => (started = true));
    route.held[0]?.status(200).send("");
    expect((await pending).status).toBe(200);
    await someTurns();
    expect(started).toBe(false);
    // no pause came (60 s): the bound let it start
    await turn;
  });

  it("is not held past its bound by a request that is never answered", async () => {
    const acks = new AckFirst(20);
    const route = await heldRoute(acks);
    server = route.server;
    void fetch(route.url, { method: "POST", body: "x" }).catch(() => undefined);
    await until(() => route.held.length === 1);
    await acks.turn();
    expect(route.held[0]?.headersSent).toBe(false);
  });

  it("takes its turn in the order asked, one per turn", async () => {
    const acks = new AckFirst();
    const order: number[] = [];
    await Promise.all([1, 2, 3].map((n) => acks.turn().then(() => order.push(n))));
    expect(order).toEqual([1, 2, 3]);
  });
});

describe("a crowd of /aoai commands", () => {
  let slack: FakeSlackApi;
  let proc: BotProcess;
  let events: string;
  beforeAll(async () => {
    slack = await new FakeSlackApi().start();
    ({ proc, events } = await startSlackBot(slack));
  });
  afterAll(async () => {
    await proc.stop();
    await slack.close();
  });

  it("is acknowledged with each command's working message, then each command is answered exactly once", async () => {
    const crowd = Array.from({ length: 40 }, (_, i) => slashCommand(i % 2 === 0 ? "latency" : "tokens last 24h", { response_url: `${slack.url}/hooks/crowd-${i}` }));
    const acks = await Promise.all(crowd.map((command) => sendSigned(events, command)));
    expect(acks.map((a) => a.status)).toEqual(crowd.map(() => 200));
    expect(acks.map((a) => (JSON.parse(a.body) as { text: string }).text)).toEqual(crowd.map((_, i) => (i % 2 === 0 ? '⏳ Working on "latency"…' : '⏳ Working on "tokens last 24h"…')));
    const answered = () => slack.responses.filter((r) => r.path.startsWith("/hooks/crowd-"));
    await slack.waitFor(() => (answered().length >= crowd.length ? true : undefined), 30_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(answered().map((r) => r.path).sort()).toEqual(crowd.map((_, i) => `/hooks/crowd-${i}`).sort());
    // each answer is its own command's, not a neighbour's
    for (const r of answered()) expect(JSON.stringify(r.body.blocks)).toContain(Number(r.path.split("-").at(-1)) % 2 === 0 ? "Latency — last 1 h" : "last 24 h");
  });
});

describe("a bot process stopping right after an acknowledgement", () => {
  it("still answers the command it acknowledged (its work was waiting for its turn, not yet in flight)", async () => {
    const slack = await new FakeSlackApi().start();
    try {
      const { proc, events } = await startSlackBot(slack);
      const ack = await sendSigned(events, slashCommand("latency", { response_url: `${slack.url}/hooks/last-before-stop` }));
      expect(ack.status).toBe(200);
      await proc.stop();
      const answers = slack.responses.filter((r) => r.path === "/hooks/last-before-stop");
      expect(answers).toHaveLength(1);
      expect(JSON.stringify(answers[0]?.body.blocks)).toContain("Latency — last 1 h");
    } finally {
      await slack.close();
    }
  });
});
