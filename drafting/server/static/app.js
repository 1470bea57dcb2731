// drafting serve: the page's own script. No framework, no build, no third-party code.
// Text from the server or the author is only ever set with textContent, never as HTML.
"use strict";

(function () {
  let csrf = document.querySelector('meta[name="csrf-token"]').content;

  function $(sel, root) { return (root || document).querySelector(sel); }
  function $$(sel, root) { return Array.from((root || document).querySelectorAll(sel)); }
  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  async function call(method, url, body, etag, retried) {
    const headers = { "X-CSRF-Token": csrf };
    let payload = body;
    if (body !== undefined && !(body instanceof FormData)) {
      headers["Content-Type"] = "application/json";
      payload = JSON.stringify(body);
    }
    if (etag) headers["If-Match"] = etag;
    let response;
    try {
      response = await fetch(url, { method, headers, body: payload, credentials: "same-origin" });
      if (response.status === 403 && response.headers.get("x-csrf-failed") && !retried) {
        // drafting serve was restarted while this page stayed open: its token is new. Fetch it
        // and send the same request again, so nothing typed on the page is lost to a restart.
        const fresh = await fetch("/api/csrf", { credentials: "same-origin" });
        if (fresh.ok) {
          csrf = (await fresh.json()).csrf;
          return call(method, url, body, etag, true);
        }
      }
    } catch (e) {
      return { ok: false, status: 0, data: { message: "无法连接到 drafting serve：它可能已经停止。请在终端中重新运行 drafting serve，然后再操作。" } };
    }
    let data = {};
    const type = response.headers.get("content-type") || "";
    if (type.includes("json")) data = await response.json();
    else data = { message: await response.text() };
    return { ok: response.ok, status: response.status, data, etag: response.headers.get("etag") };
  }

  function message(data) {
    if (!data) return "";
    return data.hint ? data.message + " " + data.hint : data.message || "";
  }

  function toast(text) {
    const box = $("#toast");
    box.textContent = text;
    box.classList.add("show");
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => box.classList.remove("show"), 4000);
  }

  function boot() {
    const node = $("#boot");
    return node ? JSON.parse(node.textContent) : {};
  }

  // ---- home: new reports ---------------------------------------------------------------------

  function initHome() {
    $$(".js-create").forEach((form) => {
      const result = $(".js-create-result", form.closest("section"));
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        const data = new FormData(form);
        data.append("kind", form.dataset.kind);
        const button = $("button[type=submit]", form);
        button.disabled = true;
        result.textContent = "正在处理…";
        const r = await call("POST", "/api/reports", data);
        button.disabled = false;
        result.textContent = "";
        if (r.ok) {
          window.location.href = r.data.url;
          return;
        }
        result.appendChild(el("p", "error-text", message(r.data)));
        if (r.data.issues && r.data.issues.length) {
          const list = el("ul", "issues");
          r.data.issues.forEach((i) => list.appendChild(el("li", i.severity, i.text)));
          result.appendChild(list);
        }
      });
    });
    // The file chooser's own button speaks the browser's language: ours says 选择文件 and shows the name.
    $$(".js-file").forEach((input) => {
      input.addEventListener("change", () => {
        const shown = $(".js-file-name", input.closest(".file-field"));
        shown.textContent = input.files.length ? input.files[0].name : "未选择文件";
      });
    });
    const year = $(".js-template-year");
    const link = $(".js-template-link");
    if (year && link) {
      const agency = $('form[data-kind="blank"] input[name="agency"]');
      const update = () => {
        const q = new URLSearchParams({ year: year.value.trim() });
        if (agency && agency.value.trim()) q.set("agency", agency.value.trim());
        link.href = "/template.xlsx?" + q.toString();
      };
      year.addEventListener("input", update);
      if (agency) agency.addEventListener("input", update);
    }
  }

  // ---- data entry ----------------------------------------------------------------------------

  function initData() {
    const state = boot();
    let etag = state.etag;
    const pending = {};
    let timer = null;
    let saving = null;
    let conflict = false;
    let held = false;
    let retryIn = 300;
    const saveState = $(".js-save-state");

    function number(text) {
      const t = String(text).trim();
      return /^\d+(\.\d+)?$/.test(t) ? Number(t) : null;
    }

    function valueOf(path, seen) {
      const input = $(`input.js-value[data-path="${path}"]`);
      if (input) return number(input.value);
      const cell = $(`td.derived[data-path="${path}"]`);
      if (!cell || (seen && seen.has(path))) return null;
      const guard = seen || new Set();
      guard.add(path);
      let sum = 0;
      for (const part of cell.dataset.sums.split(" ").filter(Boolean)) {
        const v = valueOf(part, guard);
        if (v === null) return null;
        sum += v;
      }
      return Math.round(sum * 10000) / 10000;
    }

    function totals() {
      $$("td.derived").forEach((cell) => {
        const v = valueOf(cell.dataset.path);
        $("output", cell).textContent = v === null ? "?" : String(v);
      });
    }

    function sent(input) {
      const text = input.value.trim();
      if (text === "") return null;
      const n = number(text);
      return n === null ? text : n;
    }

    function queue(path, value) {
      pending[path] = value;
      held = false;
      saveState.textContent = "正在保存…";
      clearTimeout(timer);
      timer = setTimeout(flush, 300);
    }

    // One save at a time, each with the ETag the last one returned; what is typed meanwhile waits
    // in ``pending`` and goes with the next save. A save the server refused (other than a change
    // made elsewhere) is held until the author changes something again, not retried in a loop.
    async function flush() {
      clearTimeout(timer);
      while (saving) await saving;
      if (conflict || held) return;
      const changes = Object.assign({}, pending);
      if (!Object.keys(changes).length) return;
      Object.keys(changes).forEach((k) => delete pending[k]);
      const keep = () => Object.keys(changes).forEach((k) => { if (!(k in pending)) pending[k] = changes[k]; });
      saving = (async () => {
        const r = await call("PATCH", `/api/r/${encodeURIComponent(state.name)}/data`, { changes }, etag);
        if (r.ok) {
          etag = r.data.etag;
          showIssues(r.data.issues);
          saveState.textContent = Object.keys(pending).length ? "正在保存…" : "已保存";
          saveState.classList.remove("failed");
        } else if (r.status === 412) {
          conflict = true;
          keep();
          saveState.textContent = "未保存：数据文件已在别处改动";
          saveState.classList.add("failed");
          $(".js-conflict").hidden = false;
          $(".js-reload").focus();
        } else if (r.status === 409) {
          keep();  // another window is saving this very file: a moment later, the same change again
          retryIn = 1000;
          saveState.textContent = "另一个窗口正在保存这个文件，稍后自动重试…";
        } else {
          keep();
          held = true;
          saveState.textContent = r.status === 0
            ? "未保存：无法连接到 drafting serve（它可能已经停止）。请在终端中重新运行它，再改动任意一处，未保存的修改会一并保存；在此之前请不要关闭本页。"
            : "未保存：" + message(r.data) + "（改正后会再次保存）";
          saveState.classList.add("failed");
        }
      })();
      await saving;
      saving = null;
      if (Object.keys(pending).length && !conflict && !held) timer = setTimeout(flush, retryIn);
      retryIn = 300;
    }

    function cellOf(path) {
      return $(`input.js-value[data-path="${path}"]`) || $(`td.derived[data-path="${path}"]`);
    }

    function placeFor(path) {
      // The issue's own cell, or the nearest cell or field above it (a whole row, a topic).
      let p = path;
      while (p) {
        const cell = cellOf(p);
        if (cell) return { cell };
        const msg = $(`.js-msg[data-for="${p}"]`);
        if (msg) return { msg };
        const children = $$(`input.js-value[data-path^="${p}."]`);
        if (children.length) return { cell: children[0] };
        p = p.includes(".") ? p.slice(0, p.lastIndexOf(".")) : "";
      }
      return {};
    }

    function showIssues(issues) {
      $$(".msgrow").forEach((row) => row.remove());
      $$(".js-msg").forEach((m) => { m.textContent = ""; });
      $$(".invalid, .warned").forEach((c) => c.classList.remove("invalid", "warned"));
      const list = $(".js-issues");
      list.textContent = "";
      const errors = issues.filter((i) => i.severity === "error").length;
      const count = $(".js-issue-count");
      count.hidden = !issues.length;
      count.textContent = errors ? `数据有 ${errors} 处错误，点此查看` : `${issues.length} 条提示，点此查看`;
      count.className = "issue-count js-issue-count " + (errors ? "error" : "warning");
      $(".js-issues-summary").textContent = issues.length
        ? `${errors} 处错误，${issues.length - errors} 条提示（与 drafting validate 的结果相同）。`
        : "数据有效，没有发现问题。";
      $(".js-issues-summary").className = "js-issues-summary " + (errors ? "error-text" : issues.length ? "warn-text" : "ok-text");
      issues.forEach((issue) => {
        const item = el("li", issue.severity);
        const place = placeFor(issue.path);
        const text = issue.text;
        if (place.cell) {
          const target = place.cell.tagName === "INPUT" ? place.cell : place.cell;
          const holder = target.closest("td") || target.closest(".field") || target;
          holder.classList.add(issue.severity === "error" ? "invalid" : "warned");
          const row = target.closest("tr");
          if (row) {
            let msgRow = row.nextElementSibling;
            if (!msgRow || !msgRow.classList.contains("msgrow") || msgRow.dataset.after !== row.dataset.row) {
              msgRow = el("tr", "msgrow");
              msgRow.dataset.after = row.dataset.row;
              const td = el("td");
              td.colSpan = Number(row.closest("table").dataset.columns) || 10;
              msgRow.appendChild(td);
              row.after(msgRow);
            }
            // Under its row the cell needs no file position: its column, the rule, what to do.
            const column = issue.cell.includes(" / ") ? issue.cell.split(" / ").pop() + "：" : "";
            const kind = issue.severity === "error" ? "错误" : "提示";
            const line = el("p", "cellmsg " + issue.severity, `${kind}［${issue.rule}］${column}${issue.message}。${issue.fix}`);
            line.title = text;
            line.dataset.path = issue.path;
            msgRow.firstChild.appendChild(line);
            if (target.tagName === "INPUT") target.setAttribute("aria-invalid", issue.severity === "error" ? "true" : "false");
          } else {
            const m = $(`.js-msg[data-for="${target.dataset.path}"]`);
            if (m) m.appendChild(el("span", issue.severity, text));
          }
          const link = el("a", "", text);
          link.href = "#";
          link.addEventListener("click", (e) => { e.preventDefault(); target.focus ? target.focus() : null; target.scrollIntoView({ block: "center" }); });
          item.appendChild(link);
        } else if (place.msg) {
          place.msg.appendChild(el("span", issue.severity, text));
          item.textContent = text;
        } else {
          item.textContent = text;
        }
        list.appendChild(item);
      });
    }

    $$("input.js-value").forEach((input) => {
      input.addEventListener("input", () => { totals(); queue(input.dataset.path, sent(input)); });
      input.addEventListener("change", () => flush());
      input.addEventListener("keydown", (e) => {
        // As in a spreadsheet: Enter and ↓ go to the cell below, ↑ to the cell above.
        if (e.key === "Enter" || e.key === "ArrowDown") { e.preventDefault(); flush(); moveDown(input, 1); }
        if (e.key === "ArrowUp") { e.preventDefault(); flush(); moveDown(input, -1); }
      });
    });

    function moveDown(input, step) {
      const td = input.closest("td");
      if (!td) return;
      const inputs = $$("input.js-value", input.closest("table"));
      const rect = input.getBoundingClientRect();
      const column = inputs.filter((i) => Math.abs(i.getBoundingClientRect().left - rect.left) < 4);
      const next = step > 0
        ? column.find((i) => i.getBoundingClientRect().top > rect.top + 2)
        : column.reverse().find((i) => i.getBoundingClientRect().top < rect.top - 2);
      if (next) { next.focus(); next.select(); }
    }

    // Facts: a list per topic; null (not given: 【待补充】), [] (nothing to add) or the items.
    $$(".js-topic").forEach((topic) => {
      const key = topic.dataset.topic;
      const list = $(".js-facts", topic);
      const nothing = $(".js-nothing", topic);
      const label = $("legend", topic).firstChild.textContent.trim();
      function items() { return $$(".js-fact", topic).map((t) => t.value.trim()).filter(Boolean); }
      function stateText() {
        const n = items().length;
        const s = $(".js-topic-state", topic);
        if (nothing.checked) { s.textContent = "（没有需要写的内容）"; s.className = "topic-state js-topic-state muted"; }
        else if (n === 0) { s.textContent = "【待补充】"; s.className = "topic-state js-topic-state todo"; }
        else { s.textContent = `（${n} 条）`; s.className = "topic-state js-topic-state muted"; }
      }
      function save() {
        stateText();
        const values = items();
        queue(`facts.${key}`, values.length ? values : nothing.checked ? [] : null);
      }
      function addItem(text) {
        const li = el("li");
        const area = el("textarea", "js-fact");
        area.rows = 2;
        area.value = text || "";
        area.setAttribute("aria-label", `${label} 第${list.children.length + 1}条`);
        const remove = el("button", "js-remove small", "删除");
        remove.type = "button";
        li.append(area, remove);
        list.appendChild(li);
        wire(li);
        return area;
      }
      function wire(li) {
        const area = $(".js-fact", li);
        area.addEventListener("input", () => { if (area.value.trim()) nothing.checked = false; save(); });
        area.addEventListener("change", () => flush());
        $(".js-remove", li).addEventListener("click", () => { li.remove(); save(); flush(); $(".js-add", topic).focus(); });
      }
      $$("li", list).forEach(wire);
      $(".js-add", topic).addEventListener("click", () => { nothing.checked = false; addItem("").focus(); stateText(); });
      nothing.addEventListener("change", () => {
        if (nothing.checked) { list.textContent = ""; }
        save(); flush();
      });
      stateText();
    });

    $$(".js-reload").forEach((b) => b.addEventListener("click", () => window.location.reload()));
    window.addEventListener("beforeunload", (e) => {
      if (Object.keys(pending).length || saving) { flush(); e.preventDefault(); e.returnValue = ""; }
    });
    totals();
    showIssues(state.issues || []);
    linked();
    // From a 【待补充】 finding on the draft page (#topic-…): ready to add the first fact.
    const topic = window.location.hash.startsWith("#topic-") && $(window.location.hash);
    if (topic) setTimeout(() => $(".js-add", topic).focus(), 0);  // after the browser's own jump to it
  }

  // Cells a check finding on the draft page names (?cells=table3.new.natural,…): marked, and the
  // first one focused, so the author lands where the figure is typed.
  function linked() {
    const wanted = new URLSearchParams(window.location.search).get("cells");
    if (!wanted) return;
    const cells = wanted.split(",").map((p) => p.trim()).filter(Boolean)
      .map((p) => $(`input.js-value[data-path="${CSS.escape(p)}"]`) || $(`td.derived[data-path="${CSS.escape(p)}"]`))
      .filter(Boolean);
    cells.forEach((c) => (c.closest("td") || c).classList.add("linked"));
    const first = cells.find((c) => c.tagName === "INPUT") || cells[0];
    if (first) {
      first.scrollIntoView({ block: "center" });
      if (first.focus) first.focus();
    }
  }

  // ---- drafting: one click, progress per section ----------------------------------------------

  function initDraftButton() {
    $$(".draft-start").forEach((box) => {
      const button = $(".js-draft", box);
      const progress = $(".js-progress", box);
      const msg = $(".js-draft-message", box);
      button.addEventListener("click", async () => {
        button.disabled = true;
        progress.textContent = "";
        msg.textContent = "正在起草…";
        msg.className = "js-draft-message";
        const name = box.dataset.name;
        const r = await call("POST", `/api/r/${encodeURIComponent(name)}/draft`, {});
        if (!r.ok) {
          button.disabled = false;
          msg.textContent = message(r.data);
          msg.className = "js-draft-message error-text";
          return;
        }
        const items = {};
        listen(name, r.data.job, {
          section(d) {
            let li = items[d.id];
            if (!li) { li = items[d.id] = el("li"); progress.appendChild(li); }
            const states = { writing: "正在撰写…", done: "完成", fallback: "模型未能通过检查，已改用离线文本" };
            li.textContent = `${d.label}：${states[d.state] || d.state}`;
            li.className = d.state;
          },
          done(d) {
            msg.textContent = "起草完成。" + (d.kept.length ? `保留了您已接受的修改：${d.kept.join("、")}。` : "") + (d.notes.length ? " " + d.notes.join(" ") : "");
            window.location.href = `/r/${encodeURIComponent(name)}/draft`;
          },
          failed(d) {
            button.disabled = false;
            msg.textContent = message(d);
            msg.className = "js-draft-message error-text";
            if (d.issues && d.issues.length) {
              // The data file breaks a rule: what and where, and the way to the cells.
              const list = el("ul", "issues");
              d.issues.forEach((i) => list.appendChild(el("li", i.severity, i.text)));
              msg.appendChild(list);
            }
            if (d.data_url) {
              const link = el("a", "button primary", "到“填写数据”页改正");
              link.href = d.data_url;
              msg.appendChild(link);
              link.focus();
            }
          },
        });
      });
    });
  }

  function listen(name, job, handlers) {
    const source = new EventSource(`/api/r/${encodeURIComponent(name)}/events?job=${job}`);
    Object.keys(handlers).forEach((event) => {
      source.addEventListener(event, (e) => {
        const data = JSON.parse(e.data);
        if (["done", "failed", "proposal"].includes(event)) source.close();
        handlers[event](data);
      });
    });
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED && handlers.failed) {
        handlers.failed({ message: "与 drafting serve 的连接中断。", hint: "请刷新页面查看结果。" });
      }
    };
    return source;
  }

  // ---- revising ----------------------------------------------------------------------------

  function initRevise() {
    const state = boot();
    let etag = state.etag;
    const name = state.name;
    const base = `/api/r/${encodeURIComponent(name)}/`;
    const section = $(".js-section");
    const msg = $(".js-revise-message");
    const stream = $(".js-stream");
    const streamText = $(".js-stream-text");
    const proposalBox = $(".js-proposal");
    let proposal = state.pending;

    function say(text, cls) { msg.textContent = text || ""; msg.className = "js-revise-message " + (cls || ""); }
    function busy(on) { $$(".revise button, .revise textarea, .revise select").forEach((b) => { if (!b.dataset.off) b.disabled = on; }); }

    function showPins() {
      $$(".js-pins").forEach((p) => { p.hidden = p.dataset.section !== section.value; });
      $$(".paper .section").forEach((s) => s.classList.toggle("current", s.dataset.section === section.value));
    }

    section.addEventListener("change", () => {
      const shown = document.getElementById("sec-" + section.value);
      if (shown) shown.scrollIntoView({ block: "start", behavior: "smooth" });
    });

    function showProposal(p) {
      proposal = p;
      stream.hidden = true;
      if (!p) { proposalBox.hidden = true; return; }
      if (section.value !== p.section) { section.value = p.section; showPins(); }
      const diff = $(".js-diff");
      diff.textContent = "";
      p.diff.forEach((piece) => {
        const tag = piece.op === "insert" ? "ins" : piece.op === "delete" ? "del" : "span";
        diff.appendChild(el(tag, "", piece.text));
      });
      if (!p.changed) diff.textContent = "修订结果与现在的正文相同。";
      $(".js-summary").textContent = p.summary;
      const list = $(".js-proposal-findings");
      list.textContent = "";
      const fresh = p.findings.filter((f) => f.new);
      if (!fresh.length) list.appendChild(el("li", "ok-text", "检查：没有新的问题。"));
      fresh.forEach((f) => list.appendChild(el("li", f.severity, "【新】" + f.text)));
      $(".js-retry").hidden = p.kind !== "revise";
      proposalBox.hidden = false;
      $(".js-accept").focus();
    }

    async function act(action, body, done) {
      busy(true);
      const r = await call("POST", base + action, body || {}, etag);
      busy(false);
      if (r.ok) {
        if (r.data.etag) etag = r.data.etag;
        if (done) done(r.data); else window.location.reload();
        return r;
      }
      if (r.status === 412) {
        $(".js-conflict").hidden = false;
        $(".js-reload").focus();
      } else if (r.data.confirm) {
        confirmAccept(r.data.confirm);
      } else {
        say(message(r.data), "error-text");
      }
      return r;
    }

    function startStream(action, body) {
      say("");
      busy(true);
      proposalBox.hidden = true;
      streamText.textContent = "";
      stream.hidden = false;
      call("POST", base + action, body, etag).then((r) => {
        if (!r.ok) {
          busy(false);
          stream.hidden = true;
          if (r.status === 412) { $(".js-conflict").hidden = false; return; }
          say(message(r.data), "error-text");
          return;
        }
        listen(name, r.data.job, {
          text(d) {
            if (d.reset) streamText.textContent = "";
            streamText.textContent += d.append;
          },
          proposal(p) { busy(false); showProposal(p); },
          failed(d) { busy(false); stream.hidden = true; say(message(d) + " 本节未作改动。", "error-text"); },
        });
      });
    }

    function confirmAccept(errors) {
      const box = $(".js-confirm");
      const list = $(".js-confirm-list");
      list.textContent = "";
      errors.forEach((e) => list.appendChild(el("li", "error", e)));
      box.hidden = false;
      $(".js-confirm-no").focus();
    }

    section.addEventListener("change", showPins);
    $(".js-revise").addEventListener("click", () => {
      const text = $(".js-instruction").value.trim();
      if (!text) { say("请先写明修改要求，如“压缩到200字以内”。", "error-text"); return; }
      startStream("revise", { section: section.value, instruction: text });
    });
    $(".js-instruction").addEventListener("keydown", (e) => {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); $(".js-revise").click(); }
    });
    $(".js-retry").addEventListener("click", () => startStream("retry", {}));
    $(".js-regenerate").addEventListener("click", () => act("regenerate", { section: section.value }, (d) => showProposal(d.proposal)));
    // 恢复另存的修改: offered only for a section whose edit the last redraft set aside.
    const restore = $(".js-restore");
    const showRestore = () => { restore.hidden = !section.selectedOptions[0]?.dataset.setAside; };
    section.addEventListener("change", showRestore);
    showRestore();
    restore.addEventListener("click", () => act("restore", { section: section.value }, (d) => showProposal(d.proposal)));
    const manualBox = $(".js-manual-box");
    function openManual(text) {
      $(".js-manual-text").value = text;
      manualBox.hidden = false;
      $(".js-manual-text").focus();
    }
    $(".js-manual").addEventListener("click", () => {
      const holder = $(`.js-pins[data-section="${section.value}"] .js-section-text`);
      openManual(holder ? holder.value : "");
    });
    $(".js-edit-proposal").addEventListener("click", () => openManual(proposal ? proposal.after.join("\n") : ""));
    $(".js-manual-cancel").addEventListener("click", () => { manualBox.hidden = true; });
    $(".js-manual-submit").addEventListener("click", () => {
      act("edit", { section: section.value, text: $(".js-manual-text").value }, (d) => { manualBox.hidden = true; showProposal(d.proposal); });
    });
    $(".js-accept").addEventListener("click", () => act("accept", { confirm: false }));
    $(".js-confirm-yes").addEventListener("click", () => { $(".js-confirm").hidden = true; act("accept", { confirm: true }); });
    $(".js-confirm-no").addEventListener("click", () => { $(".js-confirm").hidden = true; $(".js-accept").focus(); });
    $(".js-reject").addEventListener("click", () => act("reject", {}, () => { showProposal(null); say("已放弃，本节未作改动。"); }));
    $(".js-undo").addEventListener("click", () => act("undo", {}));
    $(".js-redo").addEventListener("click", () => act("redo", {}));
    // Pinning reloads the page: the list stays open where the author was working.
    const pinAction = (action, b) => {
      sessionStorage.setItem("drafting-open-pins", section.value);
      act(action, { section: section.value, sentence: b.dataset.sentence });
    };
    $$(".js-pin").forEach((b) => b.addEventListener("click", () => pinAction("pin", b)));
    $$(".js-unpin").forEach((b) => b.addEventListener("click", () => pinAction("unpin", b)));
    const openPins = sessionStorage.getItem("drafting-open-pins");
    if (openPins) {
      sessionStorage.removeItem("drafting-open-pins");
      section.value = openPins;
      const box = $(`.js-pins[data-section="${CSS.escape(openPins)}"]`);
      if (box) box.open = true;
    }
    $$(".js-reload").forEach((b) => b.addEventListener("click", () => window.location.reload()));
    document.addEventListener("keydown", (e) => {
      if (e.altKey && e.key.toLowerCase() === "a" && !proposalBox.hidden) { e.preventDefault(); $(".js-accept").click(); }
      if (e.key === "Escape") { $$(".js-confirm, .js-conflict").forEach((b) => { if (!b.classList.contains("js-conflict")) b.hidden = true; }); }
    });
    $$(".js-goto").forEach((a) => a.addEventListener("click", () => {
      // A finding about table cells lights up every cell it names; one about text, its paragraph.
      const paths = (a.dataset.paths || "").split(" ").filter(Boolean);
      const targets = paths.length
        ? paths.map((p) => document.getElementById("cell-" + p)).filter(Boolean)
        : [document.getElementById(a.getAttribute("href").slice(1))].filter(Boolean);
      targets.forEach((t) => { t.classList.add("flash"); setTimeout(() => t.classList.remove("flash"), 2500); });
    }));
    showPins();
    if (proposal) showProposal(proposal);
  }

  // ---- settings -------------------------------------------------------------------------------

  function initSettings() {
    const form = $(".js-settings");
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const body = Object.fromEntries(new FormData(form).entries());
      const r = await call("POST", "/api/settings", body);
      const out = $(".js-settings-message");
      if (r.ok) { out.textContent = "已保存。"; window.location.reload(); }
      else { out.textContent = message(r.data); out.className = "js-settings-message error-text"; }
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    $$(".js-print").forEach((b) => b.addEventListener("click", () => window.print()));
    if ($(".page-home")) initHome();
    if ($(".js-data")) initData();
    if ($(".draft-start")) initDraftButton();
    if ($(".revise")) initRevise();
    if ($(".js-settings")) initSettings();
    $$("[data-toast]").forEach((n) => toast(n.dataset.toast));
  });
})();
