// The review dashboard: one static page, read from a shared drive. Our own small script: it reads
// the summary and, on demand, one report's details from the JSON blocks of this page, and builds
// every element with textContent (never innerHTML), so no text of a report is ever run as markup.
"use strict";
(function () {
  const $ = (sel) => document.querySelector(sel);
  const data = JSON.parse(document.getElementById("summary").textContent);
  const labels = data.labels;
  const STATUS = { read: "已读取", unreadable: "无法读取", failed: "读取出错", pending: "未完成" };
  const SEVERITY = { error: "错误", warning: "提示" };
  const DECISION = { confirm: "确认", dismiss: "排除" };
  const TABLE_NAMES = { table2: "表二", table3: "表三", table4: "表四" };
  // The reader's cell states that mean "not read with confidence", with what is unsure of each
  // (reading.model.UNSURE_TEXT, written into the summary).
  const UNSURE = data.unsure;

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children) if (c !== null && c !== undefined) node.append(c);
    return node;
  }
  const label = (x) => (typeof x === "number" ? labels[x] : x);

  // --- header and overview ---------------------------------------------------------------------
  function header() {
    const m = data.meta;
    $("#meta").textContent =
      `文件夹：${m.folder}　生成时间：${m.generated}　检查库版本：${m.version}　` +
      `审核决定文件：${m.decisions}${m.decisions_found ? "" : "（尚未创建）"}`;
    $("#interrupted").hidden = !m.interrupted;
    const t = data.totals;
    const cards = [
      ["找到报告", t.found, ""], ["已读取", t.read, ""], ["无法读取", t.unreadable, t.unreadable ? "warn" : ""],
      ["读取出错", t.failed, t.failed ? "err" : ""], ["错误", t.errors, t.errors ? "err" : ""],
      ["有错误的报告", t.with_errors, t.with_errors ? "err" : ""], ["提示", t.warnings, t.warnings ? "warn" : ""],
      ["部分未检查", t.partial, t.partial ? "warn" : ""],
      ["内容雷同", t.similar, t.similar ? "warn" : ""], ["与上年比对", t.paired, ""], ["已排除", t.dismissed, ""],
      ["已确认", t.confirmed, ""],
    ];
    if (t.pending) cards.push(["未完成", t.pending, "warn"]);
    for (const [name, n, cls] of cards) {
      $("#cards").append(el("div", { class: `card ${cls}`, "data-card": name }, el("b", { text: String(n) }), name));
    }
    const box = $("#problems");
    const lists = [
      ["无法读取的报告", data.unreadable],
      ["读取出错的报告（本工具的问题，请反馈）", data.failed],
    ];
    for (const [title, rows] of lists) {
      if (!rows.length) continue;
      const tbody = el("tbody");
      for (const [file, reason, href] of rows) {
        tbody.append(el("tr", {}, el("td", {}, el("a", { href, text: file })), el("td", { text: reason })));
      }
      box.append(el("h3", { text: `${title}（${rows.length}）` }),
        el("table", { class: "list unreadable" }, el("thead", {}, el("tr", {}, el("th", { text: "文件" }), el("th", { text: "原因" }))), tbody));
    }
    if (data.unlisted.length) {
      box.append(el("h3", { text: `清单中列出、文件夹中没有的报告（${data.unlisted.length}）` }),
        el("ul", {}, ...data.unlisted.map((u) => el("li", { text: u }))));
    }
    if (data.meta.unmatched_decisions) {
      box.append(el("p", { class: "meta", text: `审核决定文件中有 ${data.meta.unmatched_decisions} 条决定在本次结果中没有对应的问题（可能已整改）。` }));
    }
  }

  // --- ranking and filters -----------------------------------------------------------------------
  function options(select, values) {
    for (const v of values) select.append(el("option", { value: String(v), text: v === "" ? "（未知）" : String(v) }));
  }
  function distinct(key) {
    return [...new Set(data.reports.map((r) => (r[key] === null ? "" : r[key])))].sort();
  }
  function ranking() {
    options($("#f-region"), distinct("region"));
    options($("#f-level"), distinct("level"));
    options($("#f-year"), distinct("year"));
    for (const id of ["#f-region", "#f-level", "#f-year"]) $(id).addEventListener("change", fill);
    $("#f-text").addEventListener("input", fill);
    fill();
  }
  function fill() {
    const region = $("#f-region").value, level = $("#f-level").value, year = $("#f-year").value;
    const text = $("#f-text").value.trim();
    const rows = data.reports.filter((r) =>
      (!region || (r.region || "") === region) && (!level || (r.level || "") === level) &&
      (!year || String(r.year ?? "") === year) && (!text || (r.agency + r.file).includes(text)));
    const tbody = $("#rank tbody");
    tbody.replaceChildren();
    rows.forEach((r, n) => {
      const go = () => { location.hash = `#r${r.id}`; };
      tbody.append(el("tr", { class: "report", "data-id": r.id, onclick: go },
        el("td", { class: "num", text: String(n + 1) }),
        el("td", {}, el("a", { href: `#r${r.id}`, class: "agency", text: r.agency || "（未识别机关）" })),
        el("td", { text: r.region || "" }), el("td", { text: r.level || "未知" }),
        el("td", { text: r.year === null ? "" : String(r.year) }),
        el("td", { class: `num errors ${r.errors ? "n-err" : ""}`, text: String(r.errors) }),
        el("td", { class: `num warnings ${r.warnings ? "n-warn" : ""}`, text: String(r.warnings) }),
        el("td", { text: r.similar ? "是" : "" }),
        el("td", { class: "num", text: r.dismissed ? String(r.dismissed) : "" }),
        el("td", { text: (STATUS[r.status] || r.status) + (r.unassessed ? `（${r.unassessed} 条规则未检查）` : ""), title: r.reason || null }),
        el("td", {}, el("a", { href: r.href, onclick: (e) => e.stopPropagation(), text: r.file }))));
    });
    $("#f-count").textContent = `显示 ${rows.length} / ${data.reports.length} 份`;
  }

  function rules() {
    const tbody = $("#rule-table tbody");
    for (const r of data.rules) {
      tbody.append(el("tr", { "data-rule": r.rule }, el("td", { text: r.rule }), el("td", { text: r.description }),
        el("td", { class: "num", text: String(r.findings) }), el("td", { class: "num", text: String(r.reports) }),
        el("td", { class: "num unassessed", text: r.unassessed ? String(r.unassessed) : "" })));
    }
  }

  // --- drill-down --------------------------------------------------------------------------------
  function detail(id) {
    const r = data.reports.find((x) => x.id === id);
    const block = document.getElementById(`d${id}`);
    if (!r || !block) return false;
    const d = JSON.parse(block.textContent);
    $("#detail-h").textContent = `${r.agency || "（未识别机关）"} ${r.year ?? ""}${r.year ? "年度" : ""}`;
    const meta = $("#detail-meta");
    meta.replaceChildren(`标题：${d.title || "（未读到）"}　地区：${r.region || "未知"}　层级：${r.level || "未知"}　原文：`,
      el("a", { href: r.href, id: "source-link", text: r.file }));
    if (r.last) meta.append(`　与上年报告比对：`, el("a", { href: r.last_href, text: r.last }));
    if (r.url) meta.append(`　发布网址：`, el("a", { href: r.url, id: "web-link", rel: "noopener noreferrer", text: r.url }));
    const body = $("#detail-body");
    body.replaceChildren();
    if (r.status !== "read") {
      body.append(el("p", { class: "banner", text: `${STATUS[r.status] || r.status}：${r.reason || ""}` }));
      return true;
    }
    const live = d.findings.map((f, n) => [f, n]).filter(([f]) => f.decision !== "dismiss");
    const gone = d.findings.map((f, n) => [f, n]).filter(([f]) => f.decision === "dismiss");
    const bad = new Map();
    for (const [f] of live) for (const c of f.cells) {
      bad.set(c, (bad.get(c) || "warning") === "error" || f.severity === "error" ? "error" : "warning");
    }
    body.append(el("h3", { text: `问题（${live.length}）` }), findingList(live, r));
    if (d.not_assessed.length) {
      // Read first, judge second: what the reader could not confirm was not judged — said, not hidden.
      body.append(el("h3", { text: `未作检查的规则（读取时未能确认所需内容）` }),
        el("ul", { class: "not-assessed" }, ...d.not_assessed.map((n) =>
          el("li", { "data-rules": n.rules.join(" ") }, el("b", { text: `［${n.rules.join("、")}］` }), " ", n.reason))));
    }
    if (gone.length) {
      body.append(el("details", {}, el("summary", { text: `已排除的问题（${gone.length}），不计入统计` }), findingList(gone, r)));
    }
    body.append(el("h3", { text: "表格（按读取结果；标红的是问题所在的单元格）" }));
    if (!d.view.tables.length) body.append(el("p", { text: "没有读到表格。" }));
    const located = d.view.located || {};
    const doubts = Object.entries(located).filter(([what]) => what.startsWith("table"));
    for (const [what, l] of doubts) {
      body.append(el("p", { class: "banner doubt", "data-located": what, text: `${TABLE_NAMES[what] || what}${l.status === "absent" ? "未找到" : "未能确认"}：${l.reason}` }));
    }
    if (d.view.tables.some((t) => t.groups.some((g) => g.rows.some((row) => row.s && row.s.some((x) => UNSURE[x]))))) {
      body.append(el("p", { class: "meta", text: "虚线框的单元格：读取时未能确认（数字连写、拆分不唯一或未能确认属于该行），依据它们的规则未作检查。" }));
    }
    for (const t of d.view.tables) body.append(table(t, bad));
    body.append(el("h3", { text: "正文中有问题的段落" }));
    if (!d.view.paragraphs.length) body.append(el("p", { text: "正文中没有标出的问题。" }));
    for (const p of d.view.paragraphs) body.append(paragraph(p, d.findings));
    if (d.view.omitted) body.append(el("p", { class: "meta", text: `其余 ${d.view.omitted} 段未发现问题，全文见原文件。` }));
    return true;
  }

  function table(t, bad) {
    const wrap = el("div", { class: "table", "data-table": t.id }, el("h4", { text: `${t.title}${t.version === "2019" ? "（2019年试行格式）" : ""}` }));
    for (const g of t.groups) {
      const cols = g.columns.map(label);
      const grid = el("table", { class: "grid" });
      if (g.heading) grid.append(el("tr", {}, el("th", { colspan: String(cols.length + 1), text: label(g.heading) })));
      grid.append(el("tr", {}, el("th", { text: "" }), ...cols.map((c) => el("th", { text: c }))));
      for (const row of g.rows) {
        const tr = el("tr", {}, el("td", { class: `label${row.indent ? " indent" : ""}${row.v ? "" : " group"}`, text: label(row.label) }));
        if (row.v) {
          row.v.forEach((v, k) => {
            const id = `${row.row}/${g.keys[k]}`;
            const state = row.s ? row.s[k] : "ok";
            const sev = bad.get(id);
            const cls = `v ${state}${sev ? " bad" : ""}${sev === "warning" ? " warn-only" : ""}`;
            tr.append(el("td", { class: cls, "data-cell": id, title: UNSURE[state] ? `未能确认：${UNSURE[state]}` : null, text: v === "" ? (state === "na" ? "/" : "") : v }));
          });
        } else {
          tr.firstChild.setAttribute("colspan", String(cols.length + 1));
        }
        grid.append(tr);
      }
      wrap.append(grid);
    }
    return wrap;
  }

  function paragraph(p, findings) {
    const div = el("div", { class: "para" }, el("div", { class: "where", text: p.where }));
    const text = el("div", { class: "text" });
    for (const [piece, kind, idx] of p.pieces) {
      if (!kind) { text.append(piece); continue; }
      const live = idx.filter((n) => findings[n].decision !== "dismiss");
      text.append(el("mark", { class: live.length ? kind : "dismissed", "data-f": idx.join(" "), text: piece }));
    }
    div.append(text);
    return div;
  }

  function findingList(list, r) {
    const ol = el("ol", { class: "findings" });
    for (const [f, n] of list) {
      const li = el("li", { class: `finding ${f.decision === "dismiss" ? "dismissed" : ""}`, "data-n": String(n), "data-rule": f.rule },
        el("span", { class: `tag ${f.severity}`, text: SEVERITY[f.severity] || f.severity }), " ",
        el("b", { text: `［${f.rule}］` }), " ", el("span", { class: "loc", text: f.location }),
        f.decision ? el("span", { class: `tag ${f.decision}`, text: `已${DECISION[f.decision]}` }) : null,
        el("div", { class: "msg", text: f.message }),
        f.evidence ? el("div", { class: "ev", text: `依据：${f.evidence}` }) : null,
        f.comment ? el("div", { class: "meta", text: `审核意见：${f.comment}` }) : null,
        decide(f, r));
      li.addEventListener("mouseenter", () => focus(f, n, true));
      li.addEventListener("mouseleave", () => focus(f, n, false));
      ol.append(li);
    }
    return ol;
  }

  function focus(f, n, on) {
    for (const c of f.cells) {
      const td = document.querySelector(`td[data-cell="${CSS.escape(c)}"]`);
      if (td) td.classList.toggle("focus", on);
    }
    for (const m of document.querySelectorAll("mark[data-f]")) {
      if (m.dataset.f.split(" ").includes(String(n))) m.classList.toggle("focus", on);
    }
  }

  // The lines a reviewer pastes into review-decisions.yaml (the format of review/decisions.py).
  function snippet(f, r, decision, comment) {
    const context = `${r.agency} ${r.year ?? ""}年 ［${f.rule}］${f.location}`.replace(/\s+/g, " ").trim();
    return `# ${context}\n"${f.fingerprint}":\n  decision: ${DECISION[decision]}\n  comment: ${JSON.stringify(comment)}\n`;
  }

  function decide(f, r) {
    const box = el("div", { class: "decide" });
    const comment = el("input", { type: "text", placeholder: "审核意见（可不填）", "aria-label": "审核意见" });
    const area = el("textarea", { readonly: true, "aria-label": "审核决定片段", class: "snippet" });
    const note = el("span", { class: "meta", role: "status" });
    const make = (decision) => () => {
      area.value = snippet(f, r, decision, comment.value.trim());
      area.hidden = false;
      copy(area, note);
    };
    area.hidden = true;
    box.append(comment, " ",
      el("button", { type: "button", class: "dismiss", onclick: make("dismiss"), text: "复制“排除”片段" }), " ",
      el("button", { type: "button", class: "confirm", onclick: make("confirm"), text: "复制“确认”片段" }), " ",
      note, area,
      el("div", { class: "meta", text: `粘贴到审核决定文件（${data.meta.decisions}）末尾，重新运行 drafting review 后生效。` }));
    return box;
  }

  function copy(area, note) {
    const done = () => { note.textContent = "已复制"; };
    const fallback = () => {
      area.focus();
      area.select();
      try { document.execCommand("copy"); done(); } catch (e) { note.textContent = "请手动复制下面的文字"; }
    };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(area.value).then(done, fallback);
    else fallback();
  }

  // --- routing -----------------------------------------------------------------------------------
  function route() {
    const m = /^#r(\d+)$/.exec(location.hash);
    const showing = m ? detail(Number(m[1])) : false;
    $("#detail").hidden = !showing;
    for (const id of ["#overview", "#ranking", "#rules"]) $(id).hidden = showing;
    if (showing) window.scrollTo(0, 0);
  }

  header();
  ranking();
  rules();
  window.addEventListener("hashchange", route);
  route();
})();
