// The web demo in a real browser (Debian's Chromium through playwright-core) against `./run --sandbox`: sign in,
// connect the demo Google and Outlook accounts through the sandbox's consent pages, see their events in the month
// view, create an event and find it at the sandbox's Google, change an event at Google and see the page follow
// without a reload, and edit one occurrence of a series. Screenshots go to test-results/.
//
//   WEB_URL (http://localhost:3000), SANDBOX_URL (http://127.0.0.1:8090), CHROMIUM (/usr/bin/chromium)
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { after, before, test } from "node:test";
import { chromium } from "playwright-core";

const WEB = process.env.WEB_URL ?? "http://localhost:3000";
const SANDBOX = process.env.SANDBOX_URL ?? "http://127.0.0.1:8090";
const OUT = new URL("../test-results/", import.meta.url).pathname;
const GOOGLE = "demo@gmail.sandbox.test";
const OUTLOOK = "demo@outlook.sandbox.test";
const WAIT = 45_000;

let browser;
let page;
const user = `browser-${Date.now()}@example.com`;

async function shot(name) {
  await page.screenshot({ path: `${OUT}${name}.png`, fullPage: true });
}

async function sandbox(method, path, body) {
  const r = await fetch(`${SANDBOX}${path}`, {
    method,
    headers: { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.ok(r.ok, `${method} ${path}: ${r.status}`);
  const text = await r.text();
  return text ? JSON.parse(text) : null;
}

async function eventually(check, what, timeout = WAIT) {
  const until = Date.now() + timeout;
  let last;
  while (Date.now() < until) {
    try {
      if (await check()) return;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`not within ${timeout} ms: ${what}${last ? ` (${last})` : ""}`);
}

async function connect(testId, account) {
  await page.getByTestId(testId).click();
  // The sandbox's consent page, as Google's or Microsoft's would be: pick the account, approve.
  await page.getByLabel(new RegExp(account.replace(/[.]/g, "\\."))).check();
  await shot(`consent-${account.split("@")[1].split(".")[0]}`);
  await page.getByRole("button", { name: "Approve" }).click();
  await page.waitForURL(/\/calendar\/connect\?session=/, { timeout: WAIT });
  await page.getByTestId("session-calendar").first().waitFor();
  await page.getByTestId("select-calendars").click();
  await page.waitForURL(`${WEB}/`, { timeout: WAIT });
}

before(async () => {
  mkdirSync(OUT, { recursive: true });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, timezoneId: "Europe/Berlin" });
  page = await context.newPage();
  page.setDefaultTimeout(WAIT);
});

after(async () => {
  await browser?.close();
});

test("a new user signs in and sees an empty calendar", async () => {
  await page.goto(`${WEB}/dev/login?email=${encodeURIComponent(user)}`);
  await page.getByTestId("month").waitFor();
  assert.equal(await page.getByTestId("who").textContent(), user);
  assert.equal(await page.getByTestId("calendar").count(), 0);
});

test("the demo Google and Outlook accounts connect through their consent pages and their events show", async () => {
  await connect("connect-google", GOOGLE);
  await connect("connect-microsoft", OUTLOOK);
  await eventually(async () => (await page.getByTestId("calendar").count()) >= 4, "the connected calendars listed");
  const providers = await page.getByTestId("calendar").evaluateAll((els) => els.map((e) => e.dataset.provider));
  assert.ok(providers.includes("GOOGLE") && providers.includes("MICROSOFT"), providers.join());
  // The seeded Google series is in this month's grid once the initial syncs are done (the stream reloads the page).
  await eventually(async () => (await page.getByTestId("event").filter({ hasText: "Stand-up" }).count()) > 0,
    "the Google stand-ups in the month view");
  await eventually(async () => (await page.getByTestId("sync-badge").filter({ hasText: "SYNCED" }).count()) >= 4,
    "every calendar SYNCED");
  await shot("month-connected");
});

test("an event created in the page reaches the provider", async () => {
  await page.getByTestId("new-event").click();
  const calendar = page.getByTestId("field-calendar");
  // The account's primary calendar (named after the account), whose events the sandbox lists under its e-mail.
  const google = await calendar.locator("option").filter({ hasText: `${GOOGLE} (GOOGLE)` }).first().getAttribute("value");
  await calendar.selectOption(google);
  await page.getByTestId("field-title").fill("Browser lunch");
  const day = new Date(Date.now() + 86_400_000);
  const ymd = `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, "0")}-${String(day.getDate()).padStart(2, "0")}`;
  await page.getByTestId("field-start").fill(`${ymd}T12:30`);
  await page.getByTestId("field-end").fill(`${ymd}T13:30`);
  await page.getByTestId("save").click();
  await page.getByTestId("event").filter({ hasText: "Browser lunch" }).first().waitFor();
  await eventually(async () => {
    const events = await sandbox("GET", `/control/google/calendars/${encodeURIComponent(GOOGLE)}/events`);
    return events.some((e) => e.summary === "Browser lunch");
  }, "the event at the sandbox's Google");
  await shot("created");
});

test("a change made at Google appears without a reload", async () => {
  const events = await sandbox("GET", `/control/google/calendars/${encodeURIComponent(GOOGLE)}/events`);
  const lunch = events.find((e) => e.summary === "Browser lunch");
  assert.ok(lunch, "the lunch at Google");
  const loads = [];
  page.on("framenavigated", (f) => f === page.mainFrame() && loads.push(f.url()));
  await sandbox("PATCH", `/control/google/calendars/${encodeURIComponent(GOOGLE)}/events/${lunch.id}`, {
    summary: "Browser lunch (moved by Google)",
  });
  await page.getByTestId("event").filter({ hasText: "Browser lunch (moved by Google)" }).first().waitFor({ timeout: WAIT });
  assert.deepEqual(loads, [], "the page was not reloaded");
  await shot("changed-at-google");
});

test("one occurrence of a series is edited with scope 'this'", async () => {
  await page.getByTestId("view-week").click();
  await page.getByTestId("week").waitFor();
  // The seeded stand-ups run on weekdays from next Monday.
  for (let i = 0; i < 3 && (await page.getByTestId("event").filter({ hasText: /^\d\d:\d\d Stand-up$/ }).count()) < 2; i++) {
    await page.getByTestId("next").click();
    await page.waitForTimeout(800);
  }
  const standups = page.getByTestId("event").filter({ hasText: /^\d\d:\d\d Stand-up$/ });
  const before = await standups.count();
  assert.ok(before >= 2, `stand-ups this week: ${before}`);
  const first = standups.first();
  const occurrenceId = await first.getAttribute("data-event-id");
  await first.click();
  await page.getByTestId("field-title").fill("Stand-up (browser)");
  await page.getByTestId("field-scope").selectOption("this");
  await page.getByTestId("save").click();
  await page.getByTestId("event").filter({ hasText: "Stand-up (browser)" }).first().waitFor();
  await eventually(async () => (await standups.count()) === before - 1, "the other occurrences unchanged");
  await eventually(async () => {
    const events = await sandbox("GET", `/control/google/calendars/${encodeURIComponent(GOOGLE)}/events`);
    return events.some((e) => e.summary === "Stand-up (browser)" && e.recurringEventId);
  }, "the override at Google as an instance of the series");
  // Once Google has it and its echo is back, that day holds the override alone, synced: not the series' occurrence too.
  const original = occurrenceId.split("_")[1]; // <seriesId>_<original start, UTC basic>
  const day = `${original.slice(0, 4)}-${original.slice(4, 6)}-${original.slice(6, 8)}`;
  let last = "";
  await eventually(async () => {
    const r = await page.request.get(
      `${WEB}/api/v1/calendar/events?start=${day}T00:00:00Z&end=${day}T23:59:59Z`);
    const events = (await r.json()).events.filter((e) => (e.title ?? "").startsWith("Stand-up"));
    last = JSON.stringify(events.map((e) => ({ id: e.id, title: e.title, syncStatus: e.syncStatus, start: e.startTime })));
    return events.length === 1 && events[0].title === "Stand-up (browser)" && events[0].syncStatus === "SYNCED";
  }, "the edited day holds the override alone, SYNCED").catch((e) => {
    throw new Error(`${e.message}: ${last}`);
  });
  await page.waitForTimeout(1000);
  await shot("occurrence-edited");
});
