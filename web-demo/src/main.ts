// The reference web app of the calsync API: it uses only the typed client (@calsync/client), as the frontend team
// would. Pages: the calendar (month and week views, every connected calendar, live updates) and
// /calendar/connect?session=... (the OAuth callback's landing page, where the session's calendars are selected).
import {
  type Calendar,
  createCalsyncClient,
  type Event,
  followStream,
  ok,
  ProblemError,
} from "@calsync/client";
import "./style.css";

const client = createCalsyncClient({ baseUrl: "", credentials: "same-origin" }); // the access_token cookie
const app = document.querySelector<HTMLDivElement>("#app")!;

type View = "month" | "week";
const state = {
  view: "month" as View,
  anchor: startOfDay(new Date()),
  calendars: [] as Calendar[],
  events: [] as Event[],
  hidden: new Set<string>(),
  email: null as string | null,
};

// ------------------------------------------------------------------------------------------------------- helpers

function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | boolean | ((e: any) => void)> = {},
  ...children: (Node | string | null | undefined)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (typeof v === "function") {
      el.addEventListener(k.replace(/^on/, ""), v);
    } else if (typeof v === "boolean") {
      if (v) el.setAttribute(k, "");
    } else {
      el.setAttribute(k, v);
    }
  }
  for (const c of children) {
    if (c !== null && c !== undefined) el.append(c);
  }
  return el;
}

function startOfDay(d: Date): Date {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate());
}
function addDays(d: Date, n: number): Date {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + n);
}
function ymd(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}
function localInput(iso: string | null): string {
  if (!iso) return "";
  const d = new Date(iso);
  return `${ymd(d)}T${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
}
function message(e: unknown): string {
  return e instanceof ProblemError ? `${e.code}: ${e.detail ?? e.message}` : String(e);
}

/** The range the current view shows: a month grid (whole weeks, Monday first) or one week. */
function range(): { start: Date; end: Date } {
  if (state.view === "week") {
    const monday = addDays(state.anchor, -((state.anchor.getDay() + 6) % 7));
    return { start: monday, end: addDays(monday, 7) };
  }
  const first = new Date(state.anchor.getFullYear(), state.anchor.getMonth(), 1);
  const start = addDays(first, -((first.getDay() + 6) % 7));
  return { start, end: addDays(start, 42) };
}

function calendarOf(e: Event): Calendar | undefined {
  return state.calendars.find((c) => c.id === e.calendarId);
}

/** The days an event covers in local time (all-day: its dates; timed: from its start to just before its end). */
function covers(e: Event, day: Date): boolean {
  const next = addDays(day, 1);
  if (e.isAllDay && e.startDate && e.endDate) {
    return e.startDate <= ymd(day) && ymd(day) < e.endDate;
  }
  const s = new Date(e.startTime ?? 0);
  const en = new Date(e.endTime ?? e.startTime ?? 0);
  return s < next && (en > day || (s >= day && s < next));
}

// ------------------------------------------------------------------------------------------------------ loading

async function load(): Promise<void> {
  const { start, end } = range();
  try {
    const [cals, evs] = await Promise.all([
      ok(client.GET("/api/v1/calendar/calendars")),
      ok(client.GET("/api/v1/calendar/events", {
        params: { query: { start: start.toISOString(), end: end.toISOString() } },
      })),
    ]);
    state.calendars = cals.calendars ?? [];
    state.events = (evs.events ?? []).filter((e) => e.status !== "CANCELLED");
    render();
  } catch (e) {
    if (e instanceof ProblemError && e.status === 401) {
      renderSignedOut();
      return;
    }
    showError(message(e));
  }
}

let reloadTimer: ReturnType<typeof setTimeout> | undefined;
function reloadSoon(): void {
  clearTimeout(reloadTimer);
  reloadTimer = setTimeout(() => void load(), 150);
}

function showError(text: string): void {
  const el = document.querySelector("#error");
  if (el) el.textContent = text;
}

// ------------------------------------------------------------------------------------------------------ rendering

function render(): void {
  const r = range();
  const title =
    state.view === "month"
      ? state.anchor.toLocaleDateString(undefined, { month: "long", year: "numeric" })
      : `${r.start.toLocaleDateString()} – ${addDays(r.end, -1).toLocaleDateString()}`;
  app.replaceChildren(
    h("header", {},
      h("h1", {}, "calsync"),
      h("span", { "data-testid": "who" }, state.email ?? ""),
      h("button", { "data-testid": "connect-google", onclick: () => connectOAuth("google") }, "Connect Google"),
      h("button", { "data-testid": "connect-microsoft", onclick: () => connectOAuth("microsoft") }, "Connect Outlook"),
      h("button", { "data-testid": "connect-ics", onclick: icsDialog }, "Add ICS feed"),
      h("button", { "data-testid": "connect-caldav", onclick: calDavDialog }, "Add CalDAV"),
      h("span", { id: "error", class: "error", "data-testid": "error" }),
    ),
    h("main", {},
      h("aside", {}, h("strong", {}, "Calendars"), h("ul", { "data-testid": "calendars" }, ...state.calendars.map(calendarItem))),
      h("section", {},
        h("div", { class: "toolbar" },
          h("button", { onclick: () => move(-1), "data-testid": "prev" }, "‹"),
          h("button", { onclick: () => { state.anchor = startOfDay(new Date()); void load(); } }, "Today"),
          h("button", { onclick: () => move(1), "data-testid": "next" }, "›"),
          h("strong", { "data-testid": "title" }, title),
          h("button", { onclick: () => setView("month"), "data-testid": "view-month", disabled: state.view === "month" }, "Month"),
          h("button", { onclick: () => setView("week"), "data-testid": "view-week", disabled: state.view === "week" }, "Week"),
          h("button", { onclick: () => eventDialog(null, new Date()), "data-testid": "new-event" }, "New event"),
        ),
        state.view === "month" ? monthView() : weekView(),
      ),
    ),
  );
}

function calendarItem(c: Calendar): HTMLElement {
  const status = c.isConnected ? c.syncStatus : "DISCONNECTED";
  return h("li", { "data-testid": "calendar", "data-provider": c.provider, title: c.lastSyncError ?? "" },
    h("input", {
      type: "checkbox",
      checked: !state.hidden.has(c.id),
      onchange: (e: any) => { e.target.checked ? state.hidden.delete(c.id) : state.hidden.add(c.id); render(); },
    }),
    h("span", { class: "swatch", style: `background:${c.color ?? "#888"}` }),
    h("span", {}, `${c.calendarName ?? "?"} `),
    h("span", { class: `badge ${status}`, "data-testid": "sync-badge" }, status),
  );
}

function visible(e: Event): boolean {
  return !state.hidden.has(e.calendarId);
}

function chip(e: Event, allDay: boolean, style = ""): HTMLElement {
  const c = calendarOf(e);
  const time = allDay || e.isAllDay ? "" : `${new Date(e.startTime ?? 0).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", hourCycle: "h23" })} `;
  return h("button", {
    class: `event${e.isAllDay ? " allday" : ""}${e.syncStatus === "PENDING" ? " pending" : ""}`,
    style: `background:${c?.color ?? "#4a6fd8"};${style}`,
    "data-testid": "event",
    "data-event-id": e.id,
    title: `${e.title ?? ""}${e.recurringEventId || e.recurrenceRule ? " (recurring)" : ""}`,
    onclick: (ev: MouseEvent) => { ev.stopPropagation(); eventDialog(e, null); },
  }, `${time}${e.title ?? "(no title)"}`);
}

function monthView(): HTMLElement {
  const { start } = range();
  const month = state.anchor.getMonth();
  const grid = h("div", { class: "month", "data-testid": "month" });
  for (const d of ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]) grid.append(h("div", { class: "head" }, d));
  for (let i = 0; i < 42; i++) {
    const day = addDays(start, i);
    const events = state.events.filter((e) => visible(e) && covers(e, day))
      .sort((a, b) => Number(b.isAllDay) - Number(a.isAllDay) || (a.startTime ?? "").localeCompare(b.startTime ?? ""));
    grid.append(h("div", {
      class: `day${day.getMonth() === month ? "" : " other"}`,
      "data-date": ymd(day),
      ondblclick: () => eventDialog(null, new Date(day.getFullYear(), day.getMonth(), day.getDate(), 9)),
    }, h("div", { class: "num" }, String(day.getDate())), ...events.map((e) => chip(e, false))));
  }
  return grid;
}

function weekView(): HTMLElement {
  const { start } = range();
  const grid = h("div", { class: "week", "data-testid": "week" });
  grid.append(h("div", {}));
  const days = [...Array(7).keys()].map((i) => addDays(start, i));
  for (const d of days) grid.append(h("div", { class: "head" }, d.toLocaleDateString(undefined, { weekday: "short", day: "numeric" })));
  grid.append(h("div", { class: "allday-row" }, "all day"));
  for (const d of days) {
    grid.append(h("div", { class: "allday-row", "data-testid": "allday", "data-date": ymd(d) },
      ...state.events.filter((e) => visible(e) && e.isAllDay && covers(e, d)).map((e) => chip(e, true))));
  }
  grid.append(h("div", { class: "hours" }, ...[...Array(24).keys()].map((hr) => h("div", {}, `${hr}:00`))));
  for (const d of days) {
    const col = h("div", { class: "col", "data-date": ymd(d),
      ondblclick: (ev: MouseEvent) => eventDialog(null, new Date(d.getFullYear(), d.getMonth(), d.getDate(), Math.floor(ev.offsetY / 48))) });
    for (const e of state.events.filter((x) => visible(x) && !x.isAllDay && covers(x, d))) {
      const s = Math.max(+new Date(e.startTime ?? 0), +d);
      const en = Math.min(+new Date(e.endTime ?? e.startTime ?? 0), +addDays(d, 1));
      const top = ((s - +d) / 3_600_000) * 48;
      const height = Math.max(18, ((en - s) / 3_600_000) * 48);
      col.append(chip(e, false, `top:${top}px;height:${height}px`));
    }
    grid.append(col);
  }
  return grid;
}

function move(n: number): void {
  state.anchor = state.view === "month"
    ? new Date(state.anchor.getFullYear(), state.anchor.getMonth() + n, 1)
    : addDays(state.anchor, 7 * n);
  void load();
}

function setView(v: View): void {
  state.view = v;
  void load();
}

// -------------------------------------------------------------------------------------------------------- dialogs

function dialog(title: string, ...content: (Node | string)[]): HTMLDialogElement {
  const d = h("dialog", { "data-testid": "dialog" }, h("h3", {}, title), ...content);
  d.addEventListener("close", () => d.remove());
  document.body.append(d);
  d.showModal();
  return d;
}

function eventDialog(e: Event | null, at: Date | null): void {
  const writable = state.calendars.filter((c) => !c.isReadOnly && c.isConnected);
  const recurring = !!e && !!(e.recurringEventId || e.recurrenceRule || e.id.includes("_"));
  const err = h("p", { class: "error", "data-testid": "dialog-error" });
  const start = e ? localInput(e.startTime) : localInput((at ?? new Date()).toISOString());
  const end = e ? localInput(e.endTime) : localInput(new Date(+(at ?? new Date()) + 3_600_000).toISOString());
  const form = h("form", { method: "dialog" },
    e ? null : h("label", {}, "Calendar", h("select", { name: "calendarId", "data-testid": "field-calendar" },
      ...writable.map((c) => h("option", { value: c.id }, `${c.calendarName} (${c.provider})`)))),
    h("label", {}, "Title", h("input", { name: "title", value: e?.title ?? "", required: true, "data-testid": "field-title" })),
    h("label", {}, "Start", h("input", { name: "start", type: "datetime-local", value: start, "data-testid": "field-start" })),
    h("label", {}, "End", h("input", { name: "end", type: "datetime-local", value: end, "data-testid": "field-end" })),
    recurring ? h("label", {}, "Apply to", h("select", { name: "scope", "data-testid": "field-scope" },
      h("option", { value: "this" }, "this occurrence"),
      h("option", { value: "following" }, "this and following"),
      h("option", { value: "all" }, "all occurrences"))) : null,
    e && e.attendees?.length ? h("div", {}, "Answer: ",
      ...(["ACCEPTED", "TENTATIVE", "DECLINED"] as const).map((a) =>
        h("button", { type: "button", "data-testid": `rsvp-${a}`, onclick: () => void rsvp(e, a, form, err) }, a.toLowerCase()))) : null,
    err,
    h("div", {},
      h("button", { type: "submit", "data-testid": "save" }, e ? "Save" : "Create"),
      e ? h("button", { type: "button", "data-testid": "delete", onclick: () => void remove(e, form, err) }, "Delete") : null,
      h("button", { type: "button", onclick: () => d.close() }, "Cancel"),
    ),
  );
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    void save(e, form, err, d);
  });
  const d = dialog(e ? "Edit event" : "New event", form);
}

function field(form: HTMLFormElement, name: string): string {
  return (form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | null)?.value ?? "";
}

async function save(e: Event | null, form: HTMLFormElement, err: HTMLElement, d: HTMLDialogElement): Promise<void> {
  const body = {
    title: field(form, "title"),
    startTime: new Date(field(form, "start")).toISOString(),
    endTime: new Date(field(form, "end")).toISOString(),
    timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  };
  try {
    if (e) {
      const scope = field(form, "scope") || undefined;
      await ok(client.PUT("/api/v1/calendar/events/{id}", { params: { path: { id: e.id }, query: { scope } }, body }));
    } else {
      await ok(client.POST("/api/v1/calendar/events", { body: { ...body, calendarId: field(form, "calendarId") } }));
    }
    d.close();
    await load();
  } catch (x) {
    err.textContent = message(x);
  }
}

async function remove(e: Event, form: HTMLFormElement, err: HTMLElement): Promise<void> {
  try {
    const scope = field(form, "scope") || undefined;
    await ok(client.DELETE("/api/v1/calendar/events/{id}", { params: { path: { id: e.id }, query: { scope } } }));
    (form.closest("dialog") as HTMLDialogElement).close();
    await load();
  } catch (x) {
    err.textContent = message(x);
  }
}

async function rsvp(e: Event, answer: "ACCEPTED" | "TENTATIVE" | "DECLINED", form: HTMLFormElement, err: HTMLElement): Promise<void> {
  try {
    const scope = field(form, "scope") || undefined;
    await ok(client.POST("/api/v1/calendar/events/{id}/rsvp", {
      params: { path: { id: e.id }, query: { scope } },
      body: { responseStatus: answer },
    }));
    (form.closest("dialog") as HTMLDialogElement).close();
    await load();
  } catch (x) {
    err.textContent = message(x);
  }
}

function connectOAuth(provider: "google" | "microsoft"): void {
  // A top-level navigation: the gateway answers 302 to the provider's consent page and binds the flow to this browser.
  window.location.assign(`/api/v1/calendar/oauth/${provider}/login`);
}

function icsDialog(): void {
  const err = h("p", { class: "error" });
  const form = h("form", {},
    h("label", {}, "Feed URL", h("input", { name: "url", required: true, "data-testid": "ics-url" })),
    h("label", {}, "Name", h("input", { name: "name", "data-testid": "ics-name" })),
    err, h("button", { type: "submit", "data-testid": "ics-connect" }, "Connect"));
  const d = dialog("Add an ICS feed", form);
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    ok(client.POST("/api/v1/calendar/ics/connect", { body: { url: field(form, "url"), displayName: field(form, "name") || undefined } }))
      .then(() => { d.close(); return load(); })
      .catch((x) => { err.textContent = message(x); });
  });
}

function calDavDialog(): void {
  const err = h("p", { class: "error", "data-testid": "caldav-error" });
  const form = h("form", {},
    h("label", {}, "Server", h("input", { name: "serverUrl", value: "https://caldav.icloud.com/", "data-testid": "caldav-server" })),
    h("label", {}, "User name", h("input", { name: "username", "data-testid": "caldav-user" })),
    h("label", {}, "App password", h("input", { name: "password", type: "password", "data-testid": "caldav-password" })),
    err, h("button", { type: "submit", "data-testid": "caldav-discover" }, "Find calendars"));
  const d = dialog("Add a CalDAV account", form);
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    ok(client.POST("/api/v1/calendar/caldav/discover", {
      body: { serverUrl: field(form, "serverUrl"), username: field(form, "username"), password: field(form, "password") },
    }))
      .then((session) => { d.close(); window.location.assign(`/calendar/connect?session=${session.sessionId}&provider=caldav`); })
      .catch((x) => { err.textContent = message(x); });
  });
}

// ------------------------------------------------------------------------------------------- /calendar/connect

async function connectPage(params: URLSearchParams): Promise<void> {
  const error = params.get("error");
  const provider = params.get("provider") ?? "";
  const sessionId = params.get("session");
  if (error || !sessionId) {
    app.replaceChildren(h("p", { class: "error", "data-testid": "connect-error" }, `Connecting failed: ${error ?? "no session"}`),
      h("a", { href: "/" }, "Back"));
    return;
  }
  try {
    const session = await ok(client.GET("/api/v1/calendar/oauth/session/{sessionId}", { params: { path: { sessionId } } }));
    const list = h("ul", { class: "connect-list", "data-testid": "session-calendars" },
      ...session.calendars.map((c) => h("li", {}, h("label", {},
        h("input", { type: "checkbox", value: c.id, checked: true, "data-testid": "session-calendar" }),
        ` ${c.name ?? c.id} ${c.isPrimary ? "(primary)" : ""} — ${c.accessRole ?? ""}`))));
    const err = h("p", { class: "error" });
    app.replaceChildren(
      h("h2", {}, `Choose calendars of ${session.accountEmail ?? ""} (${session.provider})`), list, err,
      h("button", {
        "data-testid": "select-calendars",
        onclick: async () => {
          const calendarIds = [...list.querySelectorAll<HTMLInputElement>("input:checked")].map((i) => i.value);
          try {
            if (provider === "caldav" || session.provider === "caldav" || session.provider === "apple") {
              await ok(client.POST("/api/v1/calendar/caldav/select", { body: { sessionId, calendarIds } }));
            } else {
              await ok(client.POST("/api/v1/calendar/oauth/{provider}/select", {
                params: { path: { provider: session.provider ?? provider } }, body: { sessionId, calendarIds },
              }));
            }
            window.location.assign("/");
          } catch (x) {
            err.textContent = message(x);
          }
        },
      }, "Connect these calendars"));
  } catch (x) {
    app.replaceChildren(h("p", { class: "error", "data-testid": "connect-error" }, message(x)));
  }
}

function renderSignedOut(): void {
  app.replaceChildren(h("p", {}, "Not signed in. ",
    h("a", { href: "/dev/login?email=you@example.com", "data-testid": "login" }, "Sign in as you@example.com (demo)")));
}

// ---------------------------------------------------------------------------------------------------------- start

async function start(): Promise<void> {
  const whoami = await fetch("/dev/whoami").then((r) => (r.ok ? r.json() : { email: null })).catch(() => ({ email: null }));
  state.email = whoami.email ?? null;
  const url = new URL(window.location.href);
  if (url.pathname === "/calendar/connect") {
    await connectPage(url.searchParams);
    return;
  }
  await load();
  // Live updates: every change of the user's events or calendars reloads the visible range.
  void followStream(client, { onMessage: () => reloadSoon() }).catch((e) => showError(`stream: ${message(e)}`));
}

void start();
