// What the browser tests share (mgmt/tests/browser.mjs, the fabric's
// tests/fabric/cluster_browser.mjs): Debian's chromium launched headless
// through playwright-core (the dashboard's own dependency), the ok/FAIL
// line printer tests/run.py counts, and a bounded poll.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(join(dirname(fileURLToPath(import.meta.url)), "../web/package.json"));
const { chromium } = require("playwright-core");

export const T = 20000; // every wait in the tests is bounded by this (ms)

export const tally = { failed: 0 };

export function result(ok, name, detail) {
  console.log((ok ? "ok   " : "FAIL ") + name);
  if (!ok) {
    tally.failed++;
    if (detail) console.log("  | " + String(detail).replace(/\n/g, "\n  | "));
  }
}

// Polls fn every 250 ms until it returns something truthy (returned) or ms
// pass (false); a throw counts as "not yet".
export async function until(fn, ms = T) {
  const end = Date.now() + ms;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      /* retry */
    }
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 250));
  }
}

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
    timeout: 60000,
  });
}
