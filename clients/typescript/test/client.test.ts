import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  changesSince,
  createCalsyncClient,
  CursorExpiredError,
  followStream,
  ok,
  parseEventStream,
  ProblemError,
  type StreamMessage,
} from "../src/index.js";

/**
 * The client against a real HTTP server on loopback that answers as the gateway does (its routes, problem+json,
 * Retry-After, the change feed's pages, the SSE stream with Last-Event-ID): what the client sends is checked on the
 * server side, what it makes of the answers on this side. The whole system is driven by the web demo's browser tests.
 */
type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

let server: Server;
let baseUrl = "";
let handler: Handler = (_req, res) => res.end();
const seen: { method: string; url: string; auth?: string; lastEventId?: string; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      seen.push({
        method: req.method ?? "",
        url: req.url ?? "",
        auth: req.headers.authorization,
        lastEventId: req.headers["last-event-id"] as string | undefined,
        body,
      });
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  seen.length = 0;
});

function json(res: ServerResponse, status: number, value: unknown, type = "application/json", headers = {}) {
  res.writeHead(status, { "Content-Type": type, ...headers });
  res.end(JSON.stringify(value));
}

const event = {
  id: "5e1a7c4e-7b0e-4d0b-9b5e-0a8e3f7c1d20",
  calendarId: "9b2f8e0c-1d2e-4f5a-8b6c-7d8e9f0a1b2c",
  title: "Standup",
  startTime: "2026-12-07T09:00:00Z",
  endTime: "2026-12-07T09:15:00Z",
};

describe("typed calls", () => {
  it("sends the token, the query and the body, and answers the typed data", async () => {
    let calls = 0;
    const client = createCalsyncClient({ baseUrl, token: () => `t${++calls}` });
    handler = (req, res) => json(res, 200, { events: [event] });
    const { events } = await ok(
      client.GET("/api/v1/calendar/events", {
        params: { query: { start: "2026-12-01T00:00:00Z", end: "2027-01-01T00:00:00Z" } },
      }),
    );
    expect(events?.[0]?.title).toBe("Standup");
    expect(seen[0]?.url).toBe("/api/v1/calendar/events?start=2026-12-01T00%3A00%3A00Z&end=2027-01-01T00%3A00%3A00Z");
    expect(seen[0]?.auth).toBe("Bearer t1");

    handler = (req, res, body) => json(res, 201, { ...event, ...JSON.parse(body) });
    const created = await ok(
      client.POST("/api/v1/calendar/events", {
        body: { calendarId: event.calendarId, title: "Lunch", startTime: event.startTime, endTime: event.endTime },
      }),
    );
    expect(created.title).toBe("Lunch");
    expect(seen[1]?.method).toBe("POST");
    expect(JSON.parse(seen[1]?.body ?? "{}")).toMatchObject({ title: "Lunch" });
    expect(seen[1]?.auth).toBe("Bearer t2"); // the token is asked for on every call
  });

  it("turns problem+json into a ProblemError with the contract's code and Retry-After", async () => {
    const client = createCalsyncClient({ baseUrl, token: "t" });
    handler = (req, res) =>
      json(
        res,
        429,
        { type: "https://calsync.dev/problems/rate-limited", title: "Too Many Requests", status: 429, code: "RATE_LIMITED", detail: "slow down" },
        "application/problem+json",
        { "Retry-After": "17" },
      );
    const error = await ok(client.POST("/api/v1/calendar/calendars/sync-all")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProblemError);
    expect((error as ProblemError).status).toBe(429);
    expect((error as ProblemError).code).toBe("RATE_LIMITED");
    expect((error as ProblemError).retryAfter).toBe(17);

    handler = (req, res) => {
      res.writeHead(502, { "Content-Type": "text/html" });
      res.end("<html>bad gateway</html>");
    };
    const other = await ok(client.GET("/api/v1/calendar/calendars")).catch((e: unknown) => e);
    expect((other as ProblemError).status).toBe(502);
    expect((other as ProblemError).code).toBe("HTTP_ERROR");
  });
});

describe("the change feed", () => {
  it("pages until the feed has no more, each page's cursor the next one's start", async () => {
    const client = createCalsyncClient({ baseUrl, token: "t" });
    handler = (req, res) => {
      const cursor = new URL(req.url ?? "", baseUrl).searchParams.get("cursor");
      const page = Number(cursor?.slice(1));
      json(res, 200, {
        changes: [{ cursor: `c${page + 1}`, kind: "UPSERTED", eventId: event.id, calendarId: event.calendarId, event }],
        nextCursor: `c${page + 1}`,
        hasMore: page < 2,
      });
    };
    const pages = [];
    for await (const page of changesSince(client, "c0", 1)) {
      pages.push(page);
    }
    expect(pages.map((p) => p.nextCursor)).toEqual(["c1", "c2", "c3"]);
    expect(seen.map((s) => new URL(s.url, baseUrl).searchParams.get("cursor"))).toEqual(["c0", "c1", "c2"]);
    expect(seen.every((s) => new URL(s.url, baseUrl).searchParams.get("limit") === "1")).toBe(true);
  });

  it("says so when the cursor expired (410): the frontend starts over with a range read", async () => {
    const client = createCalsyncClient({ baseUrl, token: "t" });
    handler = (req, res) =>
      json(res, 410, { title: "Gone", status: 410, code: "CURSOR_EXPIRED" }, "application/problem+json");
    const pages = changesSince(client, "old");
    await expect(pages.next()).rejects.toBeInstanceOf(CursorExpiredError);
  });
});

describe("the stream", () => {
  function stream(chunks: string[]): ReadableStream<Uint8Array> {
    const encoder = new TextEncoder();
    return new ReadableStream({
      start(controller) {
        for (const c of chunks) {
          controller.enqueue(encoder.encode(c));
        }
        controller.close();
      },
    });
  }

  it("frames events across chunk boundaries, with comments, CRLF and multi-line data", async () => {
    const messages = [];
    for await (const m of parseEventStream(
      stream([": keep-alive\r\n\r\nid: c1\r", "\nevent: changes\r\ndata: {\"a\":", "1}\r\n\r\n", "event: calendar\ndata: x\ndata: y\n\n"]),
    )) {
      messages.push(m);
    }
    expect(messages).toEqual([
      { id: "c1", event: "changes", data: '{"a":1}' },
      { id: "c1", event: "calendar", data: "x\ny" },
    ]);
  });

  it("reconnects after a drop and resumes with Last-Event-ID, so no change is lost", async () => {
    const client = createCalsyncClient({ baseUrl, token: "t" });
    let connection = 0;
    handler = (req, res) => {
      connection++;
      res.writeHead(200, { "Content-Type": "text/event-stream" });
      const n = connection;
      res.write(`id: c${n}\nevent: changes\ndata: {"cursor":"c${n}","calendarIds":["cal"],"eventIds":["e${n}"]}\n\n`);
      res.write(`event: calendar\ndata: {"calendarId":"cal"}\n\n`);
      res.end(); // the connection drops after each message
    };
    const received: StreamMessage[] = [];
    const abort = new AbortController();
    const done = followStream(client, {
      cursor: "c0",
      signal: abort.signal,
      maxDelayMs: 20,
      onMessage: (m) => {
        received.push(m);
        if (received.length >= 4) {
          abort.abort();
        }
      },
    });
    await done;
    expect(received[0]).toEqual({ kind: "changes", cursor: "c1", calendarIds: ["cal"], eventIds: ["e1"] });
    expect(received[1]).toEqual({ kind: "calendar", calendarId: "cal" });
    expect(received[2]).toMatchObject({ kind: "changes", cursor: "c2" });
    const streams = seen.filter((s) => s.url === "/api/v1/calendar/stream");
    expect(streams[0]?.lastEventId).toBe("c0");
    expect(streams[1]?.lastEventId).toBe("c1");
    expect(streams[0]?.auth).toBe("Bearer t");
  });

  it("stops on a refusal that retrying will not fix (401)", async () => {
    const client = createCalsyncClient({ baseUrl, token: "expired" });
    handler = (req, res) =>
      json(res, 401, { title: "Unauthorized", status: 401, code: "UNAUTHENTICATED" }, "application/problem+json");
    await expect(followStream(client, { onMessage: () => {} })).rejects.toMatchObject({
      status: 401,
      code: "UNAUTHENTICATED",
    });
  });
});
