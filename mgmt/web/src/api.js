// The dashboard's only way to the node: aetherd's HTTP API with the bearer
// token.  The token arrives in the URL fragment (#token=...), which the
// browser never sends to the server; it is kept in sessionStorage and the
// fragment is removed from the address bar.
import { fetchEventSource } from "@microsoft/fetch-event-source";

const KEY = "aether-token";

export function takeToken() {
  const m = location.hash.match(/token=([^&]+)/);
  if (m) {
    sessionStorage.setItem(KEY, decodeURIComponent(m[1]));
    history.replaceState(null, "", location.pathname + location.search);
  }
  return sessionStorage.getItem(KEY);
}

export function setToken(t) {
  sessionStorage.setItem(KEY, t);
}

function headers(extra) {
  return { Authorization: "Bearer " + sessionStorage.getItem(KEY), ...extra };
}

export class ApiError extends Error {
  constructor(status, msg) {
    super(msg);
    this.status = status;
  }
}

async function parse(r) {
  let body = null;
  try {
    body = await r.json();
  } catch (e) {
    body = null;
  }
  if (!r.ok) throw new ApiError(r.status, (body && body.error) || r.statusText);
  return body;
}

export async function get(path) {
  return parse(await fetch("/api/v1" + path, { headers: headers() }));
}

export async function post(path, obj) {
  const init = { method: "POST", headers: headers() };
  if (obj instanceof FormData) init.body = obj;
  else if (obj !== undefined) {
    init.body = JSON.stringify(obj);
    init.headers["Content-Type"] = "application/json";
  }
  return parse(await fetch("/api/v1" + path, init));
}

// Server-sent events with the Authorization header (EventSource cannot
// send one); reconnects with back-off, keeps running in background tabs.
export function events(onEvent, onState) {
  const ctrl = new AbortController();
  fetchEventSource("/api/v1/events", {
    headers: headers(),
    signal: ctrl.signal,
    openWhenHidden: true,
    async onopen(r) {
      if (r.status === 401) throw new ApiError(401, "unauthorized");
      if (!r.ok) throw new Error("events: HTTP " + r.status);
      onState("live");
    },
    onmessage(m) {
      if (!m.event || !m.data) return;
      try {
        onEvent(m.event, JSON.parse(m.data));
      } catch (e) {
        console.error("bad event", m, e);
      }
    },
    onclose() {
      onState("reconnecting");
      throw new Error("closed"); // let the library retry
    },
    onerror(e) {
      if (e instanceof ApiError && e.status === 401) {
        onState("unauthorized");
        throw e; // stop: a retry cannot succeed
      }
      onState("reconnecting");
      return 2000;
    },
  });
  return ctrl;
}
