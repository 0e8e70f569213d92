// A TCP proxy a test puts between the bot and a remote service (PostgreSQL, the Bot Connector) to
// play faults: stall (bytes stop flowing both ways, sockets stay open), hold responses (the service
// receives and acts, its answers wait), go down (connections dropped and new ones closed at once),
// and resume (held bytes flow again).
import { once } from "node:events";
import { createConnection, createServer, type AddressInfo, type Server, type Socket } from "node:net";

type Mode = "open" | "stalled" | "holding-responses" | "down";

interface Pipe {
  readonly client: Socket;
  readonly upstream: Socket;
  readonly toUpstream: Buffer[];
  readonly toClient: Buffer[];
}

export class TcpProxy {
  private readonly targetHost: string;
  private readonly targetPort: number;
  private server: Server | undefined;
  private readonly pipes = new Set<Pipe>();
  private mode: Mode = "open";
  port = 0;

  constructor(target: { host: string; port: number }) {
    this.targetHost = target.host;
    this.targetPort = target.port;
  }

  async start(): Promise<this> {
    this.server = createServer((client) => {
      this.accept(client);
    });
    this.server.listen(0, "127.0.0.1");
    await once(this.server, "listening");
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Bytes stop flowing both ways; sockets stay open, so the caller waits (or times out). */
  stall(): void {
    this.mode = "stalled";
  }

  /** Requests reach the service, answers are held: it acts, the caller never hears back. */
  holdResponses(): void {
    this.mode = "holding-responses";
  }

  /** Every open connection is dropped and new ones are closed as they come. */
  down(): void {
    this.mode = "down";
    for (const p of this.pipes) this.drop(p);
  }

  /** Back to normal; bytes held while stalled flow on. */
  resume(): void {
    this.mode = "open";
    for (const p of this.pipes) this.flush(p);
  }

  get connections(): number {
    return this.pipes.size;
  }

  async close(): Promise<void> {
    for (const p of this.pipes) this.drop(p);
    const server = this.server;
    if (server) await new Promise<void>((r) => server.close(() => { r(); }));
  }

  private accept(client: Socket): void {
    if (this.mode === "down") {
      client.destroy();
      return;
    }
    const upstream = createConnection({ host: this.targetHost, port: this.targetPort });
    const pipe: Pipe = { client, upstream, toUpstream: [], toClient: [] };
    this.pipes.add(pipe);
    client.on("data", (chunk: Buffer) => {
      pipe.toUpstream.push(chunk);
      this.flush(pipe);
    });
    upstream.on("data", (chunk: Buffer) => {
      pipe.toClient.push(chunk);
      this.flush(pipe);
    });
    const end = () => {
      this.drop(pipe);
    };
    for (const s of [client, upstream]) {
      s.on("error", end);
      s.on("close", end);
    }
  }

  private flush(p: Pipe): void {
    if (this.mode === "open" || this.mode === "holding-responses") for (const c of p.toUpstream.splice(0)) p.upstream.write(c);
    if (this.mode === "open") for (const c of p.toClient.splice(0)) p.client.write(c);
  }

  private drop(p: Pipe): void {
    this.pipes.delete(p);
    p.client.destroy();
    p.upstream.destroy();
  }
}
