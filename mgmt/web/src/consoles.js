// Consoles: one byte-offset cursor and a text buffer per VM, fed by the
// "console" events; one xterm.js terminal shows the selected VM and sends
// what is typed to it.
import { Terminal } from "@xterm/xterm";
import { FitAddon } from "@xterm/addon-fit";
import * as api from "./api.js";

const KEEP = 200000; // characters of scrollback kept per VM

export class Consoles {
  constructor(onError) {
    this.bufs = new Map();
    this.current = null;
    this.term = null;
    this.fit = null;
    this.onError = onError;
  }

  buf(name) {
    if (!this.bufs.has(name)) this.bufs.set(name, { text: "", next: 0, loaded: false, busy: false });
    return this.bufs.get(name);
  }

  async fetchFrom(name, offset) {
    const b = this.buf(name);
    if (b.busy) return;
    b.busy = true;
    try {
      const r = await api.get(`/vms/${encodeURIComponent(name)}/console?offset=${offset}`);
      if (r.offset > offset && b.loaded) this.append(name, "\r\n\x1b[2m[... output overwritten ...]\x1b[0m\r\n");
      this.append(name, r.data);
      b.next = r.next;
      b.loaded = true;
      if (r.data.length) setTimeout(() => this.fetchFrom(name, b.next), 0); // more may be there
    } catch (e) {
      this.onError(`console of ${name}: ${e.message}`);
    } finally {
      b.busy = false;
    }
  }

  // A "console" event: append when it continues the buffer, re-read on a gap.
  onEvent(ev) {
    const b = this.buf(ev.name);
    if (!b.loaded || ev.next <= b.next) return;
    if (ev.offset === b.next) {
      this.append(ev.name, ev.data);
      b.next = ev.next;
    } else {
      this.fetchFrom(ev.name, b.next);
    }
  }

  append(name, data) {
    const b = this.buf(name);
    b.text = (b.text + data).slice(-KEEP);
    if (this.current === name && this.term) this.term.write(data);
  }

  ensureTerm(el) {
    if (this.term) return;
    this.term = new Terminal({
      convertEol: false,
      cursorBlink: true,
      fontFamily: '"DejaVu Sans Mono", "Menlo", "Consolas", monospace',
      fontSize: 13,
      scrollback: 5000,
      theme: { background: "#10151d", foreground: "#d7dde6", cursor: "#7fb3ff" },
    });
    this.fit = new FitAddon();
    this.term.loadAddon(this.fit);
    this.term.open(el);
    this.term.onData((d) => this.send(d));
    window.addEventListener("resize", () => this.fitNow());
  }

  // Keystrokes go out in order, one request at a time, batched while one
  // is in flight (concurrent requests could arrive out of order).
  send(d) {
    if (!this.current) return;
    if (this.out && this.out.vm !== this.current) this.out = null;
    if (!this.out) this.out = { vm: this.current, text: "", busy: false };
    this.out.text += d;
    if (!this.out.busy) this.flush(this.out);
  }

  async flush(q) {
    q.busy = true;
    while (q.text) {
      const chunk = q.text.slice(0, 1024);
      q.text = q.text.slice(chunk.length);
      try {
        await api.post(`/vms/${encodeURIComponent(q.vm)}/console`, { input: chunk });
      } catch (e) {
        this.onError(`input to ${q.vm}: ${e.message}`);
      }
    }
    q.busy = false;
  }

  fitNow() {
    try {
      if (this.fit) this.fit.fit();
    } catch (e) {
      /* not visible yet */
    }
  }

  show(name, el) {
    this.ensureTerm(el);
    this.current = name;
    this.term.reset();
    this.term.write(this.buf(name).text);
    requestAnimationFrame(() => this.fitNow());
    this.term.focus();
    if (!this.buf(name).loaded) this.fetchFrom(name, 0);
  }
}
