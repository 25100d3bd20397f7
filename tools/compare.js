// The page of `make compare` (tools/compare.py fills DATA): one column per
// allocator on one shared address scale, its figures, and a step-by-step
// view of its boot trace. No network: everything is in this file and DATA.
"use strict";

const ALLOCS = Object.keys(DATA.allocs);
const H = 560;                                  // pixels for the visible addresses
const LANES = [["RAM", 34], ["reserved", 44], ["early", 44], ["free after handoff", 52]];
const ORIGIN = { "firmware": "#7f7f7f", "reserved-memory": "#d62728", "memreserve": "#9467bd",
                 "dtb": "#8c564b", "kernel": "#1f77b4", "initrd": "#e377c2" };
const PURPOSE = ["#2ca02c", "#ff7f0e", "#17becf", "#bcbd22", "#e377c2", "#8c564b",
                 "#1f77b4", "#d62728", "#9467bd", "#7f7f7f"];
const SVGNS = "http://www.w3.org/2000/svg";

const hex = (n) => "0x" + n.toString(16);
const big = (s) => BigInt(s);                   // state values may pass 2^53
function size(n) {
  const u = [["GiB", 2 ** 30], ["MiB", 2 ** 20], ["KiB", 1024]];
  for (const [name, v] of u) if (n >= v) return (n / v).toFixed(n % v ? 1 : 0) + " " + name;
  return n + " B";
}
const orderColour = (o) => "hsl(" + (220 - o * 20) + ", 70%, " + (72 - o * 3) + "%)";

// One colour per purpose ("page descriptors", "kernel page table", ...).
const purposes = [];
for (const a of ALLOCS) for (const x of DATA.allocs[a].allocs)
  if (!purposes.includes(x.what)) purposes.push(x.what);
const purposeColour = (w) => PURPOSE[purposes.indexOf(w) % PURPOSE.length];

// The shared scale: all of RAM at first; wheel zooms, drag pans.
const banks0 = DATA.allocs[ALLOCS[0]].banks;
const RAM_LO = Math.min(...banks0.map((b) => b.base));
const RAM_HI = Math.max(...banks0.map((b) => b.base + b.size));
const view = { lo: RAM_LO, hi: RAM_HI };
const yOf = (addr) => (addr - view.lo) / (view.hi - view.lo) * H;

const shapes = [];          // [element, base, size]: moved when the view changes

function rect(svg, x, w, base, len, fill, cls, tip) {
  const r = document.createElementNS(SVGNS, "rect");
  r.setAttribute("x", x); r.setAttribute("width", w); r.setAttribute("fill", fill);
  r.setAttribute("class", cls);
  r.dataset.tip = tip;
  const t = document.createElementNS(SVGNS, "title");
  t.textContent = tip;
  r.appendChild(t);
  svg.appendChild(r);
  shapes.push([r, base, len]);
  return r;
}

function place() {
  for (const [r, base, len] of shapes) {
    const y0 = yOf(base), y1 = yOf(base + len);
    const visible = y1 >= 0 && y0 <= H;
    r.setAttribute("y", Math.max(-2, y0));
    r.setAttribute("height", visible ? Math.max(1, Math.min(H + 2, y1) - Math.max(-2, y0)) : 0);
  }
  for (const el of document.querySelectorAll(".axis-lo")) el.textContent = hex(Math.floor(view.lo));
  for (const el of document.querySelectorAll(".axis-hi")) el.textContent = hex(Math.ceil(view.hi));
}

function laneX(i) { let x = 0; for (let k = 0; k < i; k++) x += LANES[k][1] + 6; return x; }

function column(alloc) {
  const d = DATA.allocs[alloc];
  const col = document.createElement("div");
  col.className = "column";
  col.dataset.alloc = alloc;
  col.innerHTML = "<h2>" + alloc + "</h2>";
  const width = laneX(LANES.length);
  const svg = document.createElementNS(SVGNS, "svg");
  svg.setAttribute("width", width); svg.setAttribute("height", H + 46);
  svg.setAttribute("viewBox", "0 -28 " + width + " " + (H + 46));
  LANES.forEach(([name, w], i) => {
    const t = document.createElementNS(SVGNS, "text");
    t.setAttribute("x", laneX(i)); t.setAttribute("y", -18); t.setAttribute("class", "lane");
    t.textContent = name;
    svg.appendChild(t);
  });
  const g = document.createElementNS(SVGNS, "g");
  svg.appendChild(g);
  for (const b of d.banks)
    rect(g, laneX(0), LANES[0][1], b.base, b.size, "#dddddd", "bank-rect",
         "RAM bank " + hex(b.base) + "-" + hex(b.base + b.size) + " (" + size(b.size) + "), node " + b.node);
  for (const r of d.resv)
    rect(g, laneX(1), LANES[1][1], r.base, r.size, ORIGIN[r.origin] || "#000", "resv-rect",
         "reserved " + hex(r.base) + "-" + hex(r.base + r.size) + " (" + size(r.size) + "): " +
         r.origin + (r.name ? " " + r.name : "") + (r.flags !== "none" ? ", " + r.flags : ""));
  d.allocs.forEach((a, i) =>
    rect(g, laneX(2), LANES[2][1], a.base, a.size, purposeColour(a.what), "alloc-rect",
         "early allocation " + i + ": " + hex(a.base) + "-" + hex(a.base + a.size) + " (" +
         size(a.size) + "), node " + a.node + ", for " + a.what));
  for (const b of d.blocks) {
    const base = b.pfn * 4096, len = 4096 * 2 ** b.order;
    rect(g, laneX(3), LANES[3][1], base, len, orderColour(b.order), "block-rect",
         "free block " + hex(base) + "-" + hex(base + len) + ": order " + b.order + " (" + size(len) + ")");
  }
  // The current event's range, and bump's pointer.
  col.cursor = rect(g, 0, width, 0, 0, "none", "cursor", "the current event");
  col.pointer = rect(g, laneX(2) - 3, LANES[2][1] + 6, 0, 0, "#000", "pointer", "memory_start");
  for (const [cls, y] of [["axis-lo", -4], ["axis-hi", H + 14]]) {
    const t = document.createElementNS(SVGNS, "text");
    t.setAttribute("x", width); t.setAttribute("y", y); t.setAttribute("class", "axis " + cls);
    svg.appendChild(t);
  }
  zoomable(svg);
  col.appendChild(svg);
  col.appendChild(figures(d));
  const ev = document.createElement("div");
  ev.className = "event";
  col.appendChild(ev);
  const st = document.createElement("div");
  st.className = "structure";
  col.appendChild(st);
  const text = document.createElement("pre");
  text.className = "state-text";
  col.appendChild(text);
  // Cumulative state after each event: later events list what changed.
  col.states = [];
  let acc = {};
  for (const e of d.trace) { acc = Object.assign({}, acc, e.state); col.states.push(acc); }
  return col;
}

function figures(d) {
  const s = d.stats, h = d.handoff;
  const rows = [
    ["metadata (peak)", size(+s.meta) + " (" + size(+s.meta_peak) + ")"],
    ["early allocations", s.nallocs],
    ["bytes requested / consumed", s.requested + " / " + s.consumed],
    ["buddy insertions", h.calls],
    ["pages handed off", h.pages],
    ["instructions: early phase", d.instructions.early],
    ["instructions: handoff", d.instructions.handoff],
  ];
  rows.push(["", "(instructions: -icount, " + d.instructions.harts + " hart" +
              (d.instructions.harts > 1 ? "s" : "") + (d.instructions.exact ? ", exact)" : ", NOT exact)")]);
  if (+s.resizes) rows.push(["array doublings", s.resizes]);
  if (+s.merges) rows.push(["sub-page merges", s.merges]);
  for (const a of d.acct)
    rows.push(["accounting, node " + a.node, a.ram + " = " + a.buddy + " buddy + " + a.reserved +
               " reserved + " + a.early + " early + " + a.lost + " lost" + (a.ok === "1" ? " ✓" : " ✗")]);
  const t = document.createElement("table");
  t.className = "figures";
  for (const [k, v] of rows) t.insertRow().innerHTML = "<th>" + k + "</th><td>" + v + "</td>";
  return t;
}

// ---- zoom and pan, shared by every column -------------------------------
function zoomable(svg) {
  let drag = null;
  const addrAt = (ev) => view.lo + (ev.offsetY - 28) / H * (view.hi - view.lo);
  svg.addEventListener("wheel", (ev) => {
    ev.preventDefault();
    const at = addrAt(ev), f = ev.deltaY < 0 ? 0.8 : 1.25;
    const lo = at - (at - view.lo) * f, hi = at + (view.hi - at) * f;
    if (hi - lo < 4096 || hi - lo > (RAM_HI - RAM_LO) * 1.01) return;
    view.lo = Math.max(RAM_LO, lo); view.hi = Math.min(RAM_HI, hi);
    place();
  });
  svg.addEventListener("mousedown", (ev) => { drag = { y: ev.clientY, lo: view.lo, hi: view.hi }; });
  window.addEventListener("mouseup", () => { drag = null; });
  svg.addEventListener("mousemove", (ev) => {
    const tip = document.getElementById("tip");
    if (ev.target.dataset && ev.target.dataset.tip) {
      tip.textContent = ev.target.dataset.tip;
      tip.style.left = ev.pageX + 14 + "px"; tip.style.top = ev.pageY + 10 + "px";
      tip.style.display = "block";
    } else tip.style.display = "none";
    if (!drag) return;
    const span = drag.hi - drag.lo;
    let lo = drag.lo - (ev.clientY - drag.y) / H * span;
    lo = Math.min(Math.max(RAM_LO, lo), RAM_HI - span);
    view.lo = lo; view.hi = lo + span;
    place();
  });
  svg.addEventListener("mouseleave", () => { document.getElementById("tip").style.display = "none"; });
  svg.addEventListener("dblclick", () => { view.lo = RAM_LO; view.hi = RAM_HI; place(); });
}

// ---- stepping through the trace -----------------------------------------
let step = 0;
const last = Math.max(...ALLOCS.map((a) => DATA.allocs[a].trace.length)) - 1;

function describe(e) {
  const keys = Object.keys(e).filter((k) => !["n", "ev", "state", "for"].includes(k));
  return "event " + e.n + ": " + e.ev + " " + keys.map((k) => k + "=" + e[k]).join(" ") +
         (e.for ? " for " + e.for : "");
}

function eventRange(e) {
  if (e.base === undefined) return null;
  const b = parseInt(e.base, 16);
  return [b, e.size !== undefined ? parseInt(e.size, 16) : 4096];
}

function memblockTables(st, range) {
  let html = "";
  for (const t of ["memory", "reserved"]) {
    const cnt = Number(big(st[t + ".cnt"])), max = Number(big(st[t + ".max"]));
    html += "<table class='regions' data-type='" + t + "'><caption>memblock." + t + ": cnt " + cnt +
            ", max " + max + ", total " + size(Number(big(st[t + ".total_size"]))) + "</caption>" +
            "<tr><th>#</th><th>base</th><th>end</th><th>size</th><th>nid</th><th>flags</th></tr>";
    for (let i = 0; i < cnt; i++) {
      const b = Number(big(st[t + ".base[" + i + "]"])), s = Number(big(st[t + ".size[" + i + "]"]));
      const hit = range && b < range[0] + range[1] && range[0] < b + s;
      html += "<tr" + (hit ? " class='hit'" : "") + "><td>" + i + "</td><td>" + hex(b) + "</td><td>" +
              hex(b + s) + "</td><td>" + size(s) + "</td><td>" + Number(big(st[t + ".nid[" + i + "]"])) +
              "</td><td>" + Number(big(st[t + ".flags[" + i + "]"])) + "</td></tr>";
    }
    html += "</table>";
  }
  return html;
}

function bootmemBitmap(st, changed, d) {
  let html = "";
  const nodes = Object.keys(st).filter((k) => k.startsWith("hint_idx.")).map((k) => k.split(".")[1]);
  for (const n of nodes) {
    const min = Math.min(...d.banks.filter((b) => String(b.node) === n).map((b) => b.base)) / 4096;
    html += "<p>node " + n + ": hint_idx " + Number(big(st["hint_idx." + n])) + ", last_end_off " +
            hex(Number(big(st["last_end_off." + n]))) + "</p>";
    let words = Object.keys(changed).filter((k) => k.startsWith("map." + n + "["));
    const all = words.length > 24;
    if (all) words = words.slice(0, 24);
    html += "<div class='bitmap'>";
    for (const k of words) {
      const w = Number(k.slice(k.indexOf("[") + 1, -1)), v = big(st[k]);
      let cells = "";
      for (let bit = 0n; bit < 64n; bit++) cells += (v >> bit) & 1n ? "█" : "·";
      html += "<div><span class='word'>word " + w + " (pfn " + hex(min + w * 64) + ")</span> " + cells + "</div>";
    }
    if (all) html += "<div>... and more words (this event set them all)</div>";
    html += "</div>";
  }
  return html;
}

function show() {
  try { showStep(); } finally { place(); }      // the picture even if a panel fails
}

function showStep() {
  document.getElementById("step").value = step;
  document.getElementById("stepno").textContent = step + " / " + last;
  for (const col of document.querySelectorAll(".column")) {
    const d = DATA.allocs[col.dataset.alloc];
    const i = Math.min(step, d.trace.length - 1), e = d.trace[i], st = col.states[i];
    col.querySelector(".event").textContent = describe(e) + (i < step ? " (its last event)" : "");
    const range = eventRange(e);
    col.cursor.dataset.tip = describe(e);
    shapes.find((s) => s[0] === col.cursor).splice(1, 2, range ? range[0] : 0, range ? range[1] : 0);
    const ptr = st.memory_start !== undefined ? Number(big(st.memory_start)) : 0;
    shapes.find((s) => s[0] === col.pointer).splice(1, 2, ptr, ptr ? 1 : 0);
    const s = col.querySelector(".structure");
    if (!Object.keys(st).length)
      s.innerHTML = "<p>No state yet: these events are the map that early_init is given.</p>";
    else if (col.dataset.alloc === "memblock") s.innerHTML = memblockTables(st, range);
    else if (col.dataset.alloc === "bootmem") s.innerHTML = bootmemBitmap(st, e.state, d);
    else s.innerHTML = "<p>memory_start = " + st.memory_start + "</p>";
    col.querySelector(".state-text").textContent =
      Object.keys(st).sort().map((k) => k + "=" + st[k]).join("\n");
  }
}

function controls() {
  const c = document.getElementById("controls");
  c.innerHTML = "<button id='prev'>◀ previous</button> <input type='range' id='step' min='0' max='" +
                last + "' value='0'> <button id='next'>next ▶</button> <span id='stepno'></span>" +
                " <span class='hint'>(keys ← → Home End; wheel zooms, drag pans, double-click resets)</span>";
  const go = (k) => { step = Math.max(0, Math.min(last, k)); show(); };
  document.getElementById("step").addEventListener("input", (ev) => go(+ev.target.value));
  document.getElementById("prev").addEventListener("click", () => go(step - 1));
  document.getElementById("next").addEventListener("click", () => go(step + 1));
  window.addEventListener("keydown", (ev) => {
    const k = { ArrowRight: step + 1, ArrowLeft: step - 1, Home: 0, End: last }[ev.key];
    if (k !== undefined) { ev.preventDefault(); go(k); }
  });
  const m = /step=(end|\d+)/.exec(location.hash);
  if (m) step = m[1] === "end" ? last : Math.min(last, +m[1]);
}

function legend() {
  const l = document.createElement("div");
  l.id = "legend";
  const sw = (c, t) => "<span class='sw' style='background:" + c + "'></span>" + t + " ";
  l.innerHTML = "<p>reservations: " + Object.entries(ORIGIN).map(([o, c]) => sw(c, o)).join("") +
                "</p><p>early allocations: " + purposes.map((p) => sw(purposeColour(p), p)).join("") +
                "</p><p>free blocks by order: " +
                [0, 2, 4, 6, 8, 10].map((o) => sw(orderColour(o), o)).join("") + "</p>";
  return l;
}

document.getElementById("machine").textContent = DATA.machine;
const cols = document.getElementById("columns");
for (const a of ALLOCS) cols.appendChild(column(a));
document.body.insertBefore(legend(), cols);
controls();
show();
