// Labels from people: a reviewer marks each draft good or bad (with a comment) and exports the
// marks as a labels file for `drafting eval --rescore RECORD --labels FILE`. Our own script, no
// library and no request: the marks stay in this browser's storage under a key of this record.
(function () {
  "use strict";
  var bar = document.querySelector("[data-labels-key]");
  if (!bar) {
    return;
  }
  var storageKey = bar.getAttribute("data-labels-key");
  var marks = {};
  try {
    marks = JSON.parse(window.localStorage.getItem(storageKey) || "{}") || {};
  } catch (e) {
    marks = {}; // storage unavailable (a locked-down browser): marks live until the page closes
  }

  function save() {
    try {
      window.localStorage.setItem(storageKey, JSON.stringify(marks));
    } catch (e) {
      // nothing to do: the export button still has every mark made on this page
    }
  }

  function describe(box) {
    return {
      prompt: box.getAttribute("data-prompt"),
      model: box.getAttribute("data-model"),
      case: box.getAttribute("data-case"),
      repeat: Number(box.getAttribute("data-repeat")),
      draft: box.getAttribute("data-draft"),
      label: "",
      comment: "",
      labelled: ""
    };
  }

  function labelled() {
    return Object.keys(marks)
      .map(function (k) { return marks[k]; })
      .filter(function (m) { return m.label === "good" || m.label === "bad"; });
  }

  function show(box) {
    var mine = marks[box.getAttribute("data-id")];
    var value = mine ? mine.label : "";
    box.querySelectorAll("button[data-label]").forEach(function (b) {
      b.setAttribute("aria-pressed", b.getAttribute("data-label") === value ? "true" : "false");
    });
    box.classList.toggle("good", value === "good");
    box.classList.toggle("bad", value === "bad");
    var text = box.querySelector("textarea");
    if (mine && document.activeElement !== text) {
      text.value = mine.comment || "";
    }
    bar.querySelector(".js-label-count").textContent = String(labelled().length);
  }

  document.querySelectorAll(".js-label").forEach(function (box) {
    var id = box.getAttribute("data-id");
    box.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-label]");
      if (!button) {
        return;
      }
      var mine = marks[id] || describe(box);
      var value = button.getAttribute("data-label");
      mine.label = mine.label === value ? "" : value; // a second click takes the mark back
      mine.draft = box.getAttribute("data-draft");
      mine.labelled = new Date().toISOString();
      marks[id] = mine;
      save();
      show(box);
    });
    box.querySelector("textarea").addEventListener("input", function (event) {
      var mine = marks[id] || describe(box);
      mine.comment = event.target.value;
      marks[id] = mine;
      save();
    });
    show(box);
  });

  bar.querySelector(".js-label-export").addEventListener("click", function () {
    var file = {
      schema: "drafting.eval-labels/1",
      suite: bar.getAttribute("data-suite"),
      record: bar.getAttribute("data-record"),
      labels: labelled()
    };
    var blob = new Blob([JSON.stringify(file, null, 1) + "\n"], { type: "application/json" });
    var link = document.createElement("a");
    link.download = "labels.json";
    link.href = window.URL.createObjectURL(blob);
    document.body.appendChild(link);
    link.click();
    link.remove();
    window.setTimeout(function () { window.URL.revokeObjectURL(link.href); }, 1000);
  });
})();
