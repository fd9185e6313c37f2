// Aether EdgeCloud dashboard: node overview, VMs, live charts, consoles,
// actions and deploy, all through aetherd's API (/api/v1) and its events.
import "uplot/dist/uPlot.min.css";
import "@xterm/xterm/css/xterm.css";
import "./style.css";
import * as api from "./api.js";
import { LiveChart, WINDOW_S, fmtRate } from "./charts.js";
import { Consoles } from "./consoles.js";
import { registerClusterView } from "./cluster.js";

const KINDS = ["hvc", "smc", "sysreg", "mmio", "abort_injected", "wfx", "irq", "undef_injected", "other"];
const $ = (id) => document.getElementById(id);
const el = (tag, attrs = {}, ...kids) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else if (k.startsWith("data-")) e.setAttribute(k, v);
    else if (k === "text") e.textContent = v;
    else e[k] = v;
  }
  for (const kid of kids) e.append(kid);
  return e;
};

const S = {
  node: null,
  vms: new Map(), // name -> list entry
  last: new Map(), // name -> {t, exits:[9], irqs} cumulative, for rates
  rate: new Map(), // name -> {exits:[9], total, irqs}
  hist: { t: [], vms: new Map() }, // aligned per-second rates
  view: "overview",
  selected: null,
  skew: null, // browser clock - node clock, s (the VM may have no RTC)
};
const consoles = new Consoles(toast);
let charts = {};

// ------------------------------------------------------------ formatting
function fmtUptime(s) {
  if (!s) return "-";
  const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
  if (d) return `${d}d ${h}h`;
  if (h) return `${h}h ${m}m`;
  return m ? `${m}m ${s % 60}s` : `${s}s`;
}
const fmtMiB = (m) => (m >= 1024 ? (m / 1024).toFixed(m % 1024 ? 1 : 0) + " GiB" : m + " MiB");

function toast(msg, kind = "error") {
  const t = el("div", { class: "toast " + kind, text: msg });
  $("toasts").append(t);
  setTimeout(() => t.remove(), 6000);
}

// ------------------------------------------------------------ history
function histSeries(name) {
  if (!S.hist.vms.has(name)) {
    S.hist.vms.set(name, { exits: KINDS.map(() => S.hist.t.map(() => null)), irqs: S.hist.t.map(() => null) });
  }
  return S.hist.vms.get(name);
}

// One sample of cumulative counters for every VM -> one point of rates.
function addSample(tMs, perVm) {
  if (S.skew === null) S.skew = Date.now() / 1000 - tMs / 1000;
  const t = tMs / 1000 + S.skew;
  S.hist.t.push(t);
  for (const h of S.hist.vms.values()) {
    h.exits.forEach((a) => a.push(null));
    h.irqs.push(null);
  }
  for (const [name, cur] of Object.entries(perVm)) {
    const h = histSeries(name), prev = S.last.get(name), i = S.hist.t.length - 1;
    S.last.set(name, { t, exits: cur.exits, irqs: cur.irqs });
    if (!prev || t <= prev.t) continue;
    const dt = t - prev.t;
    const ex = cur.exits.map((v, k) => Math.max(0, (v - prev.exits[k]) / dt));
    ex.forEach((r, k) => (h.exits[k][i] = r));
    h.irqs[i] = Math.max(0, (cur.irqs - prev.irqs) / dt);
    S.rate.set(name, { exits: ex, total: ex.reduce((a, b) => a + b, 0), irqs: h.irqs[i] });
  }
  while (S.hist.t.length && S.hist.t[0] < t - WINDOW_S) {
    S.hist.t.shift();
    for (const h of S.hist.vms.values()) {
      h.exits.forEach((a) => a.shift());
      h.irqs.shift();
    }
  }
}

function exitsOf(name) {
  if (name !== "*") return histSeries(name).exits;
  return KINDS.map((_, k) => S.hist.t.map((_, i) => {
    let sum = null;
    for (const h of S.hist.vms.values()) if (h.exits[k][i] != null) sum = (sum || 0) + h.exits[k][i];
    return sum;
  }));
}

function drawCharts() {
  const x = S.hist.t.slice();
  if (S.view === "overview") {
    charts.exits.update(KINDS, x, exitsOf($("exits-vm").value || "*").map((a) => a.slice()));
    const names = [...S.vms.keys()];
    charts.irqs.update(names, x, names.map((n) => histSeries(n).irqs.slice()));
  } else if (S.view === "vm" && S.selected) {
    charts.vmExits.update(KINDS, x, exitsOf(S.selected).map((a) => a.slice()));
    charts.vmIrqs.update([S.selected], x, [histSeries(S.selected).irqs.slice()]);
  }
}

// ------------------------------------------------------------ rendering
const VERBS = [["start", "Start", "btn"], ["stop", "Stop", "btn"], ["restart", "Restart", "btn"], ["kill", "Kill", "btn danger"]];

function allowed(vm, verb) {
  if (vm.management) return false;
  const live = vm.state === "running" || vm.state === "restarting";
  if (verb === "start") return !live && vm.state !== "empty";
  if (verb === "restart") return vm.state !== "empty";
  return live;
}

function actionButtons(vm) {
  const box = el("div", { class: "btns" });
  for (const [verb, label, cls] of VERBS) {
    const b = el("button", { class: cls, text: label, disabled: !allowed(vm, verb),
      title: vm.management ? "the management VM cannot be stopped from its own dashboard" : label + " " + vm.name,
      "data-action": verb, "data-vm": vm.name });
    b.addEventListener("click", (e) => {
      e.stopPropagation();
      act(vm.name, verb, b);
    });
    box.append(b);
  }
  return box;
}

async function act(name, verb, btn) {
  btn.disabled = true;
  try {
    const v = await api.post(`/vms/${encodeURIComponent(name)}/${verb}`);
    updateVm(v);
    toast(`${name}: ${verb} -> ${v.state}`, "ok");
  } catch (e) {
    toast(`${verb} ${name}: ${e.message}`);
    render();
  }
}

function stateBadge(state) {
  return el("span", { class: "badge st-" + state, text: state });
}

function renderTree() {
  const ul = $("tree-vms");
  ul.replaceChildren();
  for (const vm of S.vms.values()) {
    const li = el("li", { class: "tree-vm" + (S.view === "vm" && S.selected === vm.name ? " sel" : ""), "data-vm": vm.name },
      el("span", { class: "state-dot st-" + vm.state }), el("span", { text: vm.name }),
      el("span", { class: "tag", text: vm.management ? "mgmt" : vm.slot ? "slot" : "" }));
    li.addEventListener("click", () => select("vm", vm.name));
    ul.append(li);
  }
  $("tree-node").classList.toggle("sel", S.view === "overview");
  document.querySelectorAll(".tree-node[data-view]").forEach((n) => n.classList.toggle("sel", n.dataset.view === S.view));
}

function card(label, value, sub, bar) {
  const c = el("div", { class: "card" }, el("div", { class: "card-label", text: label }),
    el("div", { class: "card-value", text: value }));
  if (sub) c.append(el("div", { class: "card-sub", text: sub }));
  if (bar != null) c.append(el("div", { class: "bar" }, el("div", { class: "bar-fill", style: `width:${Math.min(100, bar)}%` })));
  return c;
}

function renderOverview() {
  const n = S.node;
  const vms = [...S.vms.values()];
  const running = vms.filter((v) => v.state === "running").length;
  if (n) {
    const used = n.memory_mib - n.free_mib;
    $("node-cards").replaceChildren(
      card("Hypervisor", n.version, `${n.gic} · ABI v${n.abi_version} · ${n.role}`),
      card("CPUs", String(n.cpus), "physical"),
      card("Memory", `${fmtMiB(used)} / ${fmtMiB(n.memory_mib)}`, `${fmtMiB(n.free_mib)} free`, (100 * used) / n.memory_mib),
      card("VMs", `${running} / ${vms.length}`, "running / defined"),
      card("Uptime", fmtUptime(n.uptime_s), "since the hypervisor booted"));
  }
  const rows = vms.map((vm) => {
    const r = S.rate.get(vm.name);
    const tr = el("tr", { "data-vm": vm.name },
      el("td", {}, stateBadge(vm.state)),
      el("td", { class: "name" }, el("a", { href: "#", text: vm.name, onclick: (e) => { e.preventDefault(); select("vm", vm.name); } }),
        vm.management ? el("span", { class: "tag", text: "management" }) : "", vm.slot ? el("span", { class: "tag", text: "slot" }) : ""),
      el("td", { text: String(vm.vcpus) }), el("td", { text: fmtMiB(vm.memory_mib) }),
      el("td", { text: fmtUptime(vm.uptime_s) }), el("td", { text: String(vm.restarts) }),
      el("td", { class: "num", text: r && vm.state === "running" ? fmtRate(r.total) : "-" }),
      el("td", { class: "num", text: r && vm.state === "running" ? fmtRate(r.irqs) : "-" }),
      el("td", { class: "actions" }, actionButtons(vm)));
    return tr;
  });
  $("vm-rows").replaceChildren(...rows);
  const sel = $("exits-vm"), cur = sel.value || "*";
  const opts = [el("option", { value: "*", text: "All VMs" })].concat(vms.map((v) => el("option", { value: v.name, text: v.name })));
  if (sel.options.length !== opts.length) {
    sel.replaceChildren(...opts);
    sel.value = cur;
  }
}

function renderVm() {
  const vm = S.vms.get(S.selected);
  if (!vm) return select("overview");
  $("vm-title").textContent = vm.name;
  $("vm-dot").className = "state-dot st-" + vm.state;
  $("vm-actions").replaceChildren(stateBadge(vm.state), actionButtons(vm));
  const r = S.rate.get(vm.name);
  $("vm-cards").replaceChildren(card("State", vm.state, vm.management ? "management VM" : vm.slot ? "deploy slot" : "guest"),
    card("vCPUs", String(vm.vcpus)), card("Memory", fmtMiB(vm.memory_mib)),
    card("Uptime", fmtUptime(vm.uptime_s)), card("Restarts", String(vm.restarts)),
    card("Exits/s", r ? fmtRate(r.total) : "-", "all kinds"));
}

async function renderDesc(name) {
  try {
    const d = await api.get(`/vms/${encodeURIComponent(name)}`);
    if (S.selected !== name) return;
    const rows = [["vCPU -> CPU", d.vcpu_cpus.join(", ")], ["RAM at IPA", "0x" + d.ram_ipa.toString(16)],
      ["Identity layout", d.identity ? "yes" : "no"], ["On exit", d.on_exit], ["Image", d.image_bytes ? d.image_bytes.toLocaleString() + " bytes" : "none"],
      ["Initramfs", d.initrd_bytes ? d.initrd_bytes.toLocaleString() + " bytes" : "none"], ["Boot arguments", d.bootargs || "-"], ["Last end", d.last_end]];
    $("vm-desc").replaceChildren(...rows.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: v })]));
  } catch (e) {
    toast(e.message);
  }
}

function renderDeploy() {
  const sel = $("deploy-vm"), cur = sel.value;
  const slots = [...S.vms.values()].filter((v) => v.slot);
  sel.replaceChildren(...slots.map((v) => el("option", { value: v.name, text: `${v.name} (${v.state}, ${fmtMiB(v.memory_mib)})` })));
  if (cur) sel.value = cur;
}

function renderBadge() {
  const n = S.node;
  if (!n) return;
  $("node-badge").textContent = `central node · ${n.version} · up ${fmtUptime(n.uptime_s)}`;
}

function render() {
  renderTree();
  renderBadge();
  if (S.view === "overview") renderOverview();
  if (S.view === "vm") renderVm();
  if (S.view === "deploy") renderDeploy();
}

function select(view, name) {
  S.view = view;
  S.selected = name || null;
  document.querySelectorAll(".view").forEach((v) => (v.hidden = v.id !== "view-" + view));
  render();
  if (view === "vm") {
    consoles.show(name, $("vm-term"));
    renderDesc(name);
  }
  requestAnimationFrame(() => {
    Object.values(charts).forEach((c) => c.resize());
    drawCharts();
  });
}

// ------------------------------------------------------------ data
function updateVm(v) {
  const old = S.vms.get(v.name) || {};
  S.vms.set(v.name, { ...old, ...v });
  render();
}

function onEvent(type, d) {
  if (type === "hello") {
    if (d.node) S.node = d.node;
    S.vms = new Map(d.vms.map((v) => [v.name, v]));
    render();
  } else if (type === "vm") {
    updateVm(d);
  } else if (type === "console") {
    consoles.onEvent(d);
  } else if (type === "stats") {
    const per = {};
    for (const [name, s] of Object.entries(d.vms)) {
      per[name] = { exits: KINDS.map((k) => s.exits[k] || 0), irqs: s.irqs_injected };
      const vm = S.vms.get(name);
      if (vm) vm.restarts = s.restarts;
    }
    addSample(d.t, per);
    if (S.node) S.node.uptime_s += 1;
    tickUptimes();
    render();
    drawCharts();
  }
}

function tickUptimes() {
  for (const vm of S.vms.values()) if (vm.state === "running") vm.uptime_s += 1;
}

async function loadHistory() {
  try {
    const h = await api.get("/history");
    // The last sample is at most a second old: align the node's clock on it.
    if (h.samples.length) S.skew = Date.now() / 1000 - h.samples[h.samples.length - 1].t / 1000;
    for (const s of h.samples) {
      const per = {};
      for (const [name, v] of Object.entries(s.vms)) per[name] = { exits: v.exits, irqs: v.irqs_injected };
      addSample(s.t, per);
    }
  } catch (e) {
    toast("history: " + e.message);
  }
}

async function refreshNode() {
  try {
    S.node = await api.get("/node");
    const vms = await api.get("/vms");
    S.vms = new Map(vms.map((v) => [v.name, v]));
    render();
  } catch (e) {
    if (e.status === 401) return showLogin();
    toast(e.message);
  }
}

function setLive(state) {
  $("live").className = "live " + state;
  $("live-text").textContent = { live: "live", reconnecting: "reconnecting", unauthorized: "unauthorized" }[state] || state;
  if (state === "unauthorized") showLogin();
  if (state === "live") refreshNode();
}

function showLogin() {
  $("login").hidden = false;
  $("login-token").focus();
}

// ------------------------------------------------------------ deploy
async function sha256Hex(file) {
  if (!window.crypto || !crypto.subtle) return null; // not a secure context
  const d = await crypto.subtle.digest("SHA-256", await file.arrayBuffer());
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

async function onDeploy(e) {
  e.preventDefault();
  const f = e.target, st = $("deploy-status");
  const fd = new FormData();
  const kernel = f.kernel.files[0];
  if (!kernel) return;
  fd.append("kernel", kernel);
  if (f.initrd.files[0]) fd.append("initrd", f.initrd.files[0]);
  if (f.bootargs.value) fd.append("bootargs", f.bootargs.value);
  const sum = f.sha256.value.trim() || (await sha256Hex(kernel));
  if (sum) fd.append("sha256", sum);
  st.textContent = `uploading ${kernel.size.toLocaleString()} bytes...`;
  try {
    const v = await api.post(`/vms/${encodeURIComponent(f.vm.value)}/deploy`, fd);
    st.textContent = `deployed: ${v.name} is ${v.state} (sha256 ${v.kernel_sha256.slice(0, 16)}...)`;
    updateVm(v);
    toast(`deployed into ${v.name}`, "ok");
  } catch (err) {
    st.textContent = "";
    toast("deploy: " + err.message);
  }
}

// ------------------------------------------------------------ start
function init() {
  charts = {
    exits: new LiveChart($("chart-exits")),
    irqs: new LiveChart($("chart-irqs")),
    vmExits: new LiveChart($("chart-vm-exits")),
    vmIrqs: new LiveChart($("chart-vm-irqs"), { height: 140 }),
  };
  document.querySelectorAll(".tree-node[data-view]").forEach((n) => n.addEventListener("click", () => select(n.dataset.view)));
  $("exits-vm").addEventListener("change", drawCharts);
  $("deploy-form").addEventListener("submit", onDeploy);
  $("login-form").addEventListener("submit", (e) => {
    e.preventDefault();
    api.setToken($("login-token").value.trim());
    location.reload();
  });
  window.addEventListener("resize", () => Object.values(charts).forEach((c) => c.resize()));
  registerClusterView($("cluster-view"), api);
  if (!api.takeToken()) return showLogin();
  select("overview");
  refreshNode().then(async () => {
    await loadHistory();
    for (const name of S.vms.keys()) consoles.fetchFrom(name, 0);
    drawCharts();
    api.events(onEvent, setLive);
  });
}

init();
