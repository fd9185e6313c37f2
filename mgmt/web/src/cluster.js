// The cluster view (issue 12): every worker node the central node knows,
// reachable or not, with its VMs, states, live stats and the same actions
// as the local view (start, stop, restart, kill; deploy into a slot).  Data:
// GET /api/v1/nodes every 2 s while the view is shown; an action is
// POST /api/v1/nodes/{node}/vms/{vm}/{verb} (202 and a command id), then
// GET /api/v1/commands/{id} until it has an outcome.
const POLL_MS = 2000;
const SHOW_MAX = 200; // nodes drawn at once; a filter narrows large fleets
const VERBS = [["start", "Start", "btn"], ["stop", "Stop", "btn"], ["restart", "Restart", "btn"], ["kill", "Kill", "btn danger"]];

function el(tag, attrs = {}, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "text") e.textContent = v;
    else if (k === "disabled") e.disabled = !!v;
    else if (k === "hidden") e.hidden = true;
    else e.setAttribute(k, v);
  }
  e.append(...kids);
  return e;
}

function ago(ms) {
  if (ms == null) return "never";
  if (ms < 1500) return "just now";
  if (ms < 120000) return Math.round(ms / 1000) + " s ago";
  return Math.round(ms / 60000) + " min ago";
}

function mib(b) {
  return b ? Math.round(b / 1048576) + " MiB" : "-";
}

function allowed(node, vm, verb) {
  if (!node.reachable || vm.management) return false;
  const live = vm.state === "running" || vm.state === "restarting";
  if (verb === "start") return !live && vm.state !== "empty";
  if (verb === "restart") return vm.state !== "empty";
  return live;
}

export function registerClusterView(el0, api) {
  const state = { nodes: [], filter: "", busy: new Set(), timer: null, err: null };
  const view = el0.closest(".view") || el0;
  const toast = (msg, kind = "error") => {
    const box = document.getElementById("toasts");
    if (!box) return;
    const t = el("div", { class: "toast " + kind, text: msg });
    box.append(t);
    setTimeout(() => t.remove(), 5000);
  };

  async function waitOutcome(id) {
    for (let i = 0; i < 120; i++) {
      const c = await api.get("/commands/" + encodeURIComponent(id));
      if (c.state !== "pending") return c;
      await new Promise((r) => setTimeout(r, 500));
    }
    return { state: "pending" };
  }

  async function act(node, vm, verb) {
    const key = `${node}/${vm}`;
    state.busy.add(key);
    render();
    try {
      const acc = await api.post(`/nodes/${encodeURIComponent(node)}/vms/${encodeURIComponent(vm)}/${verb}`);
      const c = await waitOutcome(acc.id);
      const detail = c.reply && (c.reply.detail || c.reply.error || c.reply.reason);
      toast(`${node}/${vm}: ${verb} -> ${c.state}${detail ? " (" + detail + ")" : ""}`, c.state === "ok" ? "ok" : "error");
    } catch (e) {
      toast(`${verb} ${node}/${vm}: ${e.message}`);
    } finally {
      state.busy.delete(key);
      refresh();
    }
  }

  // Deploy into a worker's slot: the local deploy's multipart body.
  async function deploy(node, vm, file) {
    const key = `${node}/${vm}`;
    state.busy.add(key);
    render();
    try {
      const fd = new FormData();
      fd.append("kernel", file, file.name);
      fd.append("bootargs", "console=ttyAMA0");
      const acc = await api.post(`/nodes/${encodeURIComponent(node)}/vms/${encodeURIComponent(vm)}/deploy`, fd);
      const c = await waitOutcome(acc.id);
      const detail = c.reply && (c.reply.detail || c.reply.error);
      toast(`${node}/${vm}: deploy -> ${c.state}${detail ? " (" + detail + ")" : ""}`, c.state === "ok" ? "ok" : "error");
    } catch (e) {
      toast(`deploy ${node}/${vm}: ${e.message}`);
    } finally {
      state.busy.delete(key);
      refresh();
    }
  }

  function deployButton(node, vm) {
    const input = el("input", { type: "file", hidden: "", "data-deploy": "", "data-node": node.node, "data-vm": vm.name });
    input.addEventListener("change", () => input.files[0] && deploy(node.node, vm.name, input.files[0]));
    const b = el("button", { class: "btn", text: "Deploy…", "data-action": "deploy", "data-node": node.node, "data-vm": vm.name,
      disabled: !node.reachable || vm.state === "running" || state.busy.has(`${node.node}/${vm.name}`),
      title: `Deploy an image into ${vm.name} on ${node.node}` });
    b.addEventListener("click", () => input.click());
    return [b, input];
  }

  function vmRow(node, vm) {
    const btns = el("div", { class: "btns" });
    for (const [verb, label, cls] of VERBS) {
      const b = el("button", {
        class: cls, text: label, "data-action": verb, "data-node": node.node, "data-vm": vm.name,
        disabled: !allowed(node, vm, verb) || state.busy.has(`${node.node}/${vm.name}`),
        title: `${label} ${vm.name} on ${node.node}`,
      });
      b.addEventListener("click", () => act(node.node, vm.name, verb));
      btns.append(b);
    }
    if (vm.slot) btns.append(...deployButton(node, vm));
    const st = vm.stats || {};
    return el("tr", { "data-node": node.node, "data-vm": vm.name },
      el("td", { class: "name", text: vm.name + (vm.management ? " (mgmt)" : vm.slot ? " (slot)" : "") }),
      el("td", {}, el("span", { class: "badge st-" + vm.state, text: vm.state, "data-state": vm.state })),
      el("td", { class: "num", text: String(vm.vcpus ?? "-") }),
      el("td", { class: "num", text: mib(vm.memory_bytes) }),
      el("td", { class: "num", text: vm.uptime_ns ? Math.round(vm.uptime_ns / 1e9) + " s" : "-" }),
      el("td", { class: "num", text: st.exits != null ? String(st.exits) : "-" }),
      el("td", { class: "num", text: st.irqs_injected != null ? String(st.irqs_injected) : "-" }),
      el("td", {}, btns));
  }

  function nodePanel(node) {
    const head = el("div", { class: "panel-head" },
      el("span", { class: "state-dot " + (node.reachable ? "st-running" : "st-crashed") }),
      el("strong", { text: node.node }),
      el("span", { class: "badge " + (node.reachable ? "st-running" : "st-crashed"), text: node.reachable ? "reachable" : "unreachable", "data-reachable": String(node.reachable) }),
      el("span", { class: "hint", text: "last seen " + ago(node.last_seen_ago_ms) + (node.info && node.info.version ? " · " + node.info.version : "") }));
    const table = el("table", { class: "vmtable" },
      el("thead", {}, el("tr", {}, ...["VM", "State", "vCPUs", "Memory", "Uptime", "Exits", "IRQs", ""].map((h) => el("th", { text: h })))),
      el("tbody", {}, ...(node.vms || []).map((vm) => vmRow(node, vm))));
    return el("div", { class: "panel cluster-node", "data-node": node.node }, head,
      (node.vms || []).length ? table : el("p", { class: "empty", text: "No report from this worker yet." }));
  }

  function render() {
    const f = state.filter.trim();
    const shown = state.nodes.filter((n) => !f || n.node.includes(f));
    const up = state.nodes.filter((n) => n.reachable).length;
    const input = el("input", { type: "search", placeholder: "filter nodes", value: state.filter, id: "cluster-filter" });
    input.addEventListener("input", () => {
      state.filter = input.value;
      render();
      document.getElementById("cluster-filter")?.focus();
    });
    const summary = el("div", { class: "panel-head" },
      el("strong", { text: `${state.nodes.length} worker nodes, ${up} reachable` }), input);
    const kids = [summary];
    if (state.err) kids.push(el("p", { class: "empty", text: state.err }));
    else if (!state.nodes.length) kids.push(el("p", { class: "empty", text: "No worker nodes have joined this central node yet." }));
    kids.push(...shown.slice(0, SHOW_MAX).map(nodePanel));
    if (shown.length > SHOW_MAX) kids.push(el("p", { class: "hint", text: `${shown.length - SHOW_MAX} more: use the filter.` }));
    el0.replaceChildren(...kids);
  }

  async function refresh() {
    try {
      state.nodes = (await api.get("/nodes")).sort((a, b) => a.node.localeCompare(b.node));
      state.err = null;
    } catch (e) {
      state.err = e.status === 503 ? "This node runs no fabric." : "cluster: " + e.message;
    }
    render();
  }

  function tick() {
    if (!view.hidden) refresh();
  }
  new MutationObserver(() => tick()).observe(view, { attributes: true, attributeFilter: ["hidden"] });
  state.timer = setInterval(tick, POLL_MS);
  tick();
}
