// The web demo's server for `./run --sandbox` (http://localhost:3000, the FRONTEND_URL): the built app (dist/), the
// API proxied to the gateway so that the browser talks to one origin (its access_token cookie, no CORS), and a
// stand-in for the main app's login that exists only with the development SECRET_KEY: /dev/login?email=... signs the
// main app's kind of access token with that key and sets it as the httpOnly access_token cookie.
//
//   node server.mjs        PORT (3000), GATEWAY_URL (http://127.0.0.1:8080), SECRET_KEY (the development default)
import { createHmac, randomUUID } from "node:crypto";
import { createReadStream, existsSync, statSync } from "node:fs";
import { request as httpRequest, createServer } from "node:http";
import { extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const DEV_SECRET_KEY = "calsync-dev-only-secret-key-0123456789abcdef";
const PORT = Number(process.env.PORT ?? 3000);
const GATEWAY = new URL(process.env.GATEWAY_URL ?? "http://127.0.0.1:8080");
const SECRET = process.env.SECRET_KEY ?? DEV_SECRET_KEY;
const ROOT = resolve(fileURLToPath(new URL("./dist/", import.meta.url)));
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json",
  ".svg": "image/svg+xml",
  ".ico": "image/x-icon",
};

function log(fields) {
  process.stdout.write(JSON.stringify({ "@timestamp": new Date().toISOString(), service: "web-demo", ...fields }) + "\n");
}

function b64url(input) {
  return Buffer.from(input).toString("base64url");
}

/** The main app's access token (HS256 over SECRET_KEY), as ./run token makes it. */
function devToken(email) {
  const now = Math.floor(Date.now() / 1000);
  const header = b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const payload = b64url(
    JSON.stringify({ sub: email, email, type: "access", iat: now, exp: now + 8 * 3600, jti: randomUUID() }),
  );
  const signature = createHmac("sha256", SECRET).update(`${header}.${payload}`).digest("base64url");
  return `${header}.${payload}.${signature}`;
}

function cookie(req, name) {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) {
      return v.join("=");
    }
  }
  return undefined;
}

function dev(req, res, url) {
  if (SECRET !== DEV_SECRET_KEY) {
    res.writeHead(403, { "Content-Type": "text/plain" });
    res.end("the demo login exists only with the development SECRET_KEY\n");
    return;
  }
  if (url.pathname === "/dev/login") {
    const email = url.searchParams.get("email") ?? "you@example.com";
    if (!/^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/.test(email)) {
      res.writeHead(400, { "Content-Type": "text/plain" });
      res.end("not an email address\n");
      return;
    }
    res.writeHead(302, {
      "Set-Cookie": `access_token=${devToken(email)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=28800`,
      Location: "/",
    });
    res.end();
    return;
  }
  if (url.pathname === "/dev/logout") {
    res.writeHead(302, { "Set-Cookie": "access_token=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0", Location: "/" });
    res.end();
    return;
  }
  if (url.pathname === "/dev/whoami") {
    const token = cookie(req, "access_token");
    let email = null;
    try {
      email = token ? JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString()).email : null;
    } catch {
      email = null;
    }
    res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-store" });
    res.end(JSON.stringify({ email }));
    return;
  }
  res.writeHead(404);
  res.end();
}

/** /api/... to the gateway as it came (streamed both ways: the SSE stream stays open). */
function proxy(req, res) {
  const headers = { ...req.headers, host: GATEWAY.host, "x-forwarded-host": req.headers.host ?? "", "x-forwarded-proto": "http" };
  const upstream = httpRequest(
    { protocol: GATEWAY.protocol, hostname: GATEWAY.hostname, port: GATEWAY.port, method: req.method, path: req.url, headers },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on("error", (e) => {
    log({ level: "WARN", message: "gateway unreachable", error: e.code ?? e.message });
    if (!res.headersSent) {
      res.writeHead(503, { "Content-Type": "application/problem+json", "Retry-After": "2" });
      res.end(JSON.stringify({ title: "Service Unavailable", status: 503, code: "SERVICE_UNAVAILABLE", detail: "the API is not reachable" }));
    } else {
      res.destroy();
    }
  });
  res.on("close", () => upstream.destroy());
  req.pipe(upstream);
}

function file(req, res, url) {
  let path = normalize(join(ROOT, decodeURIComponent(url.pathname)));
  if (!path.startsWith(ROOT)) {
    res.writeHead(400);
    res.end();
    return;
  }
  if (!existsSync(path) || statSync(path).isDirectory()) {
    path = join(ROOT, "index.html"); // the app's own routes (/calendar/connect?session=...)
  }
  if (!existsSync(path)) {
    res.writeHead(503, { "Content-Type": "text/plain" });
    res.end("the web demo is not built (npm run build in web-demo/)\n");
    return;
  }
  const type = TYPES[extname(path)] ?? "application/octet-stream";
  res.writeHead(200, {
    "Content-Type": type,
    "Cache-Control": path.endsWith("index.html") ? "no-cache" : "max-age=3600",
    "X-Content-Type-Options": "nosniff",
  });
  createReadStream(path).pipe(res);
}

createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://localhost");
  if (url.pathname.startsWith("/api/")) {
    proxy(req, res);
  } else if (url.pathname.startsWith("/dev/")) {
    dev(req, res, url);
  } else {
    file(req, res, url);
  }
}).listen(PORT, "127.0.0.1", () => log({ level: "INFO", message: `web demo on http://localhost:${PORT}`, gateway: GATEWAY.origin }));
