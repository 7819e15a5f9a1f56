// The scenario editor (templates/author/edit.html): line numbers that follow the text and mark
// the findings, YAML-friendly keys (Tab indents with spaces, Enter keeps the indentation),
// findings that jump to their line, a preview that plays at high speed, and no lost work.
(function () {
  "use strict";
  const form = document.getElementById("editor-form");
  if (!form) return;
  const text = document.getElementById("editor-text");
  const gutter = document.getElementById("editor-gutter");
  const status = document.getElementById("editor-status");
  const slider = document.getElementById("preview-at");
  const clock = document.getElementById("preview-clock");
  const play = document.querySelector("[data-play]");
  const INDENT = "  ";

  // Line numbers -------------------------------------------------------------------------------
  function lineCount() {
    let count = 1;
    for (let i = text.value.indexOf("\n"); i !== -1; i = text.value.indexOf("\n", i + 1)) count++;
    return count;
  }
  function currentLine() {
    return text.value.slice(0, text.selectionStart).split("\n").length;
  }
  function renderGutter() {
    const count = lineCount();
    while (gutter.childElementCount < count) {
      const number = document.createElement("span");
      number.textContent = String(gutter.childElementCount + 1);
      gutter.appendChild(number);
    }
    while (gutter.childElementCount > count) gutter.lastElementChild.remove();
    const line = currentLine();
    gutter.querySelectorAll(".current").forEach(function (span) { span.classList.remove("current"); });
    if (gutter.children[line - 1]) gutter.children[line - 1].classList.add("current");
    followScroll();
  }
  function followScroll() {
    gutter.style.transform = "translateY(" + -text.scrollTop + "px)";
  }
  function markFindings() {
    gutter.querySelectorAll(".flag-error, .flag-warning").forEach(function (span) {
      span.classList.remove("flag-error", "flag-warning");
    });
    document.querySelectorAll("#diagnostics [data-line]").forEach(function (finding) {
      const span = gutter.children[Number(finding.dataset.line) - 1];
      const severity = finding.dataset.severity;
      if (span && (severity === "error" || severity === "warning")) {
        if (!span.classList.contains("flag-error")) span.classList.add("flag-" + severity);
      }
    });
  }

  // Going to a finding ---------------------------------------------------------------------------
  function goTo(line, column) {
    const lines = text.value.split("\n");
    line = Math.min(Math.max(1, line), lines.length);
    let offset = 0;
    for (let i = 0; i < line - 1; i++) offset += lines[i].length + 1;
    offset += Math.min(Math.max(0, column - 1), lines[line - 1].length);
    text.focus();
    text.setSelectionRange(offset, offset);
    const row = parseFloat(getComputedStyle(text).lineHeight) || 21;
    text.scrollTop = Math.max(0, (line - 1) * row - text.clientHeight / 3);
    renderGutter();
  }
  document.addEventListener("click", function (event) {
    const finding = event.target.closest("#diagnostics [data-line], #story [data-line]");
    if (finding) goTo(Number(finding.dataset.line), Number(finding.dataset.column));
  });

  // Keys: YAML is indented with spaces, never tabs -------------------------------------------
  function insert(snippet) {
    // execCommand keeps the browser's undo history; setRangeText is the fallback.
    if (!document.execCommand || !document.execCommand("insertText", false, snippet)) {
      text.setRangeText(snippet, text.selectionStart, text.selectionEnd, "end");
      text.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }
  function outdent() {
    const start = text.value.lastIndexOf("\n", text.selectionStart - 1) + 1;
    const spaces = text.value.slice(start, start + INDENT.length).match(/^ */)[0].length;
    if (!spaces) return;
    text.setSelectionRange(start, start + spaces);
    insert("");
  }
  let escaped = false; // Esc, then Tab: leave the editor (the keyboard is never trapped)
  text.addEventListener("keydown", function (event) {
    const modified = event.ctrlKey || event.metaKey || event.altKey;
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
      event.preventDefault();
      form.requestSubmit();
      return;
    }
    if (event.key === "Escape") { escaped = true; return; }
    if (event.key === "Tab" && !escaped && !modified) {
      event.preventDefault();
      if (event.shiftKey) outdent(); else insert(INDENT);
    } else if (event.key === "Enter" && !modified && !event.shiftKey) {
      const start = text.value.lastIndexOf("\n", text.selectionStart - 1) + 1;
      const line = text.value.slice(start, text.selectionStart);
      let indent = line.match(/^ */)[0];
      if (/:\s*$/.test(line)) indent += INDENT;
      else if (/^ *- /.test(line) && !/^ *- *$/.test(line)) indent = line.match(/^ *- /)[0].replace("-", " ");
      event.preventDefault();
      insert("\n" + indent);
    }
    escaped = false;
  });
  text.addEventListener("input", renderGutter);
  text.addEventListener("scroll", followScroll);
  ["click", "keyup", "focus"].forEach(function (name) { text.addEventListener(name, renderGutter); });

  // Preview: the clock beside the slider, and playing at high speed --------------------------
  function mmss(seconds) {
    seconds = Math.max(0, Math.floor(seconds));
    return Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
  }
  slider.addEventListener("input", function () { clock.textContent = mmss(Number(slider.value)); });
  let playing = null;
  function stop() {
    if (!play) return; // the guidelines editor has no preview
    clearInterval(playing);
    playing = null;
    play.setAttribute("aria-pressed", "false");
    play.textContent = "Play at 60×";
  }
  if (play) play.addEventListener("click", function () {
    if (playing) return stop();
    if (Number(slider.value) >= Number(slider.max)) slider.value = "0";
    play.setAttribute("aria-pressed", "true");
    play.textContent = "Pause";
    playing = setInterval(function () { // 15 simulated seconds every quarter second: 60×
      const next = Math.min(Number(slider.max), Number(slider.value) + 15);
      slider.value = String(next);
      slider.dispatchEvent(new Event("input", { bubbles: true }));
      if (next >= Number(slider.max)) stop();
    }, 250);
  });
  function followPreview() {
    const preview = document.getElementById("preview");
    if (!preview || !preview.dataset.end) return;
    slider.max = preview.dataset.end; // the duration may have just changed in the text
    clock.textContent = mmss(Number(slider.value));
  }

  // After every answer from the server, and when it cannot be reached ---------------------------
  document.addEventListener("htmx:afterSettle", function () {
    status.classList.remove("problem");
    markFindings();
    followPreview();
  });
  function unreachable() {
    status.classList.add("problem");
    status.textContent = "Could not check the text just now (your text is still here). " +
      "Keep typing to retry; if it persists, copy your text and reload the page.";
    stop();
  }
  document.addEventListener("htmx:responseError", unreachable);
  document.addEventListener("htmx:sendError", unreachable);
  document.addEventListener("htmx:beforeRequest", function () {
    if (!status.classList.contains("problem")) return;
    status.classList.remove("problem");
    status.innerHTML = '<span class="checking">Checking…</span>';
  });

  // No lost work: warn before leaving unsaved text; one Save at a time; not over the limit ----
  const opened = form.hasAttribute("data-unsaved") ? null : text.value;
  let submitting = false;
  window.addEventListener("beforeunload", function (event) {
    if (!submitting && text.value !== opened) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  form.addEventListener("submit", function (event) {
    if (text.value.length > Number(form.dataset.maxChars)) {
      event.preventDefault();
      status.classList.add("problem");
      status.textContent = form.dataset.tooLarge;
      return;
    }
    const blocked = form.querySelector("[data-save][data-blocked]");
    if (blocked) { // Ctrl+S while errors remain: Save is disabled, say why instead of sending
      event.preventDefault();
      status.classList.add("problem");
      status.textContent = "Not saved: fix the errors first (see Findings).";
      return;
    }
    if (submitting) { event.preventDefault(); return; }
    submitting = true;
    const save = form.querySelector("[data-save]");
    setTimeout(function () { save.disabled = true; save.textContent = "Saving…"; }, 0);
  });
  window.addEventListener("pageshow", function (event) {
    // Back to this page from the browser's cache: allow saving again.
    if (!event.persisted) return;
    submitting = false;
    const save = form.querySelector("[data-save]");
    save.disabled = save.hasAttribute("data-blocked");
    save.textContent = "Save";
  });

  renderGutter();
  markFindings();
})();
