// Browser test of the dashboard's cluster view: Debian's chromium,
// headless, driven by playwright-core (the dashboard's own dependency).
// Usage: node cluster_browser.mjs BASE_URL TOKEN SCREENSHOT NODE NODE2 VM [IMAGE]
// (IMAGE: deployed into NODE2's slot through the view's Deploy button)
// Prints "ok <name>" / "FAIL <name>" lines; every wait is bounded.
import { T, launch, result, tally, until } from "../../mgmt/tests/browser_kit.mjs";

const [base, token, shot, node, node2, vm, image] = process.argv.slice(2);
const H = { Authorization: "Bearer " + token };

async function api(method, path) {
  const r = await fetch(base + "api/v1" + path, { method, headers: H });
  return r.json();
}

// The worker's own answer (a list command it runs), not the central cache.
async function workerState(n, name) {
  const acc = await api("POST", `/nodes/${n}/list`);
  const c = await until(async () => {
    const x = await api("GET", `/commands/${acc.id}`);
    return x.state !== "pending" && x;
  });
  const v = c && c.reply && c.reply.result && c.reply.result.vms.find((x) => x.name === name);
  return v ? v.state : null;
}

async function centralState(n, name) {
  const vms = await api("GET", `/nodes/${n}/vms`);
  const v = vms.find((x) => x.name === name);
  return v ? v.state : null;
}

const browser = await launch();
try {
  await run();
} catch (e) {
  result(false, "browser/ran to the end", e.stack || String(e));
} finally {
  await browser.close();
}
process.exit(tally.failed ? 1 : 0);

async function run() {
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  page.setDefaultTimeout(T);
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(base + "#token=" + encodeURIComponent(token));
  await page.click('.tree-node[data-view="cluster"]');
  const listed = await until(async () =>
    (await page.locator(`.cluster-node[data-node="${node}"] tr[data-vm="${vm}"]`).count()) === 1 &&
    (await page.locator(`.cluster-node[data-node="${node2}"] tr[data-vm="${vm}"]`).count()) === 1 &&
    (await page.locator(`.cluster-node[data-node="${node}"] [data-reachable="true"]`).count()) === 1);
  result(listed, `browser/cluster view lists ${node} and ${node2} (reachable) with their VMs`, errors.join("\n"));

  const row = `.cluster-node[data-node="${node}"] tr[data-vm="${vm}"]`;
  await page.click(`${row} button[data-action="stop"]`);
  const stopped = await until(async () =>
    (await page.locator(`${row} [data-state="stopped"]`).count()) === 1, T);
  const cs = await centralState(node, vm);
  const ws = await workerState(node, vm);
  result(stopped && cs === "stopped" && ws === "stopped",
    `browser/clicking stop on ${node}/${vm} stops it (central API and the worker agree)`,
    `page stopped=${stopped} central=${cs} worker=${ws}`);

  await page.click(`${row} button[data-action="start"]`);
  const running = await until(async () =>
    (await page.locator(`${row} [data-state="running"]`).count()) === 1, T);
  const cs2 = await centralState(node, vm);
  const ws2 = await workerState(node, vm);
  result(running && cs2 === "running" && ws2 === "running",
    `browser/clicking start brings ${node}/${vm} back`, `page=${running} central=${cs2} worker=${ws2}`);
  if (image) {
    const input = `.cluster-node[data-node="${node2}"] input[data-deploy][data-vm="slot"]`;
    // The view redraws every 2 s: retry if the input was replaced under us.
    let set = false, err = "";
    for (let i = 0; i < 10 && !set; i++) {
      try {
        await page.setInputFiles(input, image, { timeout: 5000 });
        set = true;
      } catch (e) {
        err = String(e);
        await new Promise((r) => setTimeout(r, 300));
      }
    }
    if (!set) result(false, "browser/deploy: file chosen in the cluster view", err);
    const { statSync } = await import("node:fs");
    const size = statSync(image).size;
    const slotOf = async () => (await api("GET", `/nodes/${node2}/vms`)).find((x) => x.name === "slot");
    // Deployed = the slot holds this image and started it (a short guest
    // may already have ended).
    const deployed = await until(async () => {
      const s = await slotOf();
      return s && s.image_bytes === size && s.state !== "empty";
    }, 60000);
    result(deployed, `browser/deploy from the cluster view runs the image in ${node2}'s slot`,
      JSON.stringify(await slotOf()));
  }
  await page.screenshot({ path: shot, fullPage: true });
  result(errors.length === 0, "browser/cluster view raised no page errors", errors.join("\n"));
}
