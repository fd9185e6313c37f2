// Browser test of the dashboard: Debian's chromium, headless, driven by
// playwright-core.  Usage: node browser.mjs BASE_URL TOKEN SCREENSHOT
// Prints "ok <name>" / "FAIL <name>" lines; every wait is bounded.
import { T, launch, result, tally, until } from "./browser_kit.mjs";

const [base, token, shot] = process.argv.slice(2);

async function apiGet(path) {
  const r = await fetch(base + "api/v1" + path, { headers: { Authorization: "Bearer " + token } });
  return r.json();
}

async function step(name, fn) {
  try {
    const detail = await fn();
    result(detail === true, name, detail === true ? "" : String(detail));
  } catch (e) {
    result(false, name, e.stack || String(e));
  }
}

const browser = await launch();
const page = await browser.newPage({ viewport: { width: 1440, height: 960 } });
page.setDefaultTimeout(T);
const pageErrors = [];
page.on("pageerror", (e) => pageErrors.push(String(e)));
const vms = await apiGet("/vms");
const beat = vms.find((v) => !v.management && !v.slot && !v.name.includes("linux")).name;
const shell = vms.find((v) => v.name.includes("linux")).name;

await step("dashboard shows the node and every VM", async () => {
  await page.goto(base + "#token=" + encodeURIComponent(token));
  await page.waitForSelector("#vm-rows tr");
  const ok = await until(async () => (await page.locator("#vm-rows tr").count()) === vms.length);
  const cards = await page.textContent("#node-cards");
  const rows = await page.textContent("#vm-rows");
  const missing = vms.filter((v) => !rows.includes(v.name)).map((v) => v.name);
  const node = await apiGet("/node");
  if (!ok || missing.length) return "VMs missing from the table: " + missing.join(", ");
  if (!cards.includes(node.version)) return "node version not shown: " + cards;
  if (page.url().includes("token=")) return "token left in the address bar";
  return true;
});

await step("the interrupts chart and the exits chart have data points", async () => {
  const ok = await until(async () => {
    const a = Number(await page.getAttribute("#chart-irqs", "data-points"));
    const b = Number(await page.getAttribute("#chart-exits", "data-points"));
    return a >= 3 && b >= 3;
  });
  return ok || "data-points: " + (await page.getAttribute("#chart-irqs", "data-points"));
});

await step(`clicking stop stops ${beat} (checked through the API)`, async () => {
  await page.click(`#vm-rows button[data-action=stop][data-vm="${beat}"]`);
  const ok = await until(async () => (await apiGet("/vms/" + beat)).state === "stopped");
  if (!ok) return "state is " + (await apiGet("/vms/" + beat)).state;
  const shown = await until(async () => (await page.textContent(`#vm-rows tr[data-vm="${beat}"]`)).includes("stopped"));
  return shown || "the table does not show stopped";
});

await step(`clicking start brings ${beat} back`, async () => {
  const btn = `#vm-rows button[data-action=start][data-vm="${beat}"]`;
  await page.waitForSelector(btn + ":not([disabled])");
  await page.click(btn);
  const ok = await until(async () => (await apiGet("/vms/" + beat)).state === "running");
  return ok || "state is " + (await apiGet("/vms/" + beat)).state;
});

await step(`typing in ${shell}'s console reaches it`, async () => {
  await page.click(`.tree-vm[data-vm="${shell}"]`);
  await page.waitForSelector("#vm-term .xterm");
  await page.click("#vm-term .xterm");
  const n = 100 + Math.floor(Math.random() * 800);
  await page.keyboard.type(`echo UI$((${n}*3))-OK`);
  await page.keyboard.press("Enter");
  const want = `UI${n * 3}-OK`;
  const ok = await until(async () => {
    const c = await apiGet(`/vms/${shell}/console?offset=0`);
    return c.data.includes(want);
  });
  if (!ok) return want + " not in the guest's console";
  const shown = await until(async () => (await page.textContent("#vm-term .xterm-rows")).includes(want));
  return shown || "the terminal does not show the guest's answer";
});

await step("no script errors in the page", async () =>
  pageErrors.length ? pageErrors.join("; ") : true);

await step("screenshot of the dashboard saved", async () => {
  await page.click('.tree-node[data-view="overview"]');
  await page.waitForTimeout(1500);
  await page.screenshot({ path: shot, fullPage: true });
  return true;
});

await browser.close();
process.exit(tally.failed ? 1 : 0);
