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

  // Going to a finding, or to a step of the story -----------------------------------------------
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
    text.dispatchEvent(new Event("caretmove")); // the field help follows
  }
  const TARGETS = "#diagnostics [data-line], #story [data-line]";
  document.addEventListener("click", function (event) {
    const finding = event.target.closest(TARGETS);
    if (finding) goTo(Number(finding.dataset.line), Number(finding.dataset.column));
  });
  document.addEventListener("keydown", function (event) { // the diagram's steps are SVG, not buttons
    const step = event.target.closest && event.target.closest("#story [role=button][data-line]");
    if (!step || (event.key !== "Enter" && event.key !== " ")) return;
    event.preventDefault();
    goTo(Number(step.dataset.line), Number(step.dataset.column));
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
    if (event.defaultPrevented) return; // used by the completion list (editor-assist.js)
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
  // Each frame asks the server for the feed at the next moment and waits for it to show before
  // moving on, so every frame is seen even when the server is slow (then it plays slower).
  function mmss(seconds) {
    seconds = Math.max(0, Math.floor(seconds));
    return Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
  }
  const FRAME = 250; // ms between two frames
  const speed = document.getElementById("preview-speed");
  let playing = null; // {timer, asked}: playing; null: paused
  if (slider) slider.addEventListener("input", function () { clock.textContent = mmss(Number(slider.value)); });
  function stop() {
    if (!play || !playing) return;
    clearTimeout(playing.timer);
    playing = null;
    play.setAttribute("aria-pressed", "false");
    play.textContent = "Play";
  }
  function frame() {
    if (!playing) return;
    const step = Math.max(5, Math.round(Number(speed ? speed.value : 60) * FRAME / 1000));
    const next = Math.min(Number(slider.max), Number(slider.value) + step);
    slider.value = String(next);
    clock.textContent = mmss(next);
    playing.asked = Date.now();
    playing.waiting = true;
    htmx.trigger(slider, "play-frame");
  }
  function framed() { // the frame asked for is on screen: the next one, or the end
    if (!playing || !playing.waiting) return;
    playing.waiting = false;
    if (Number(slider.value) >= Number(slider.max)) return stop();
    playing.timer = setTimeout(frame, Math.max(0, FRAME - (Date.now() - playing.asked)));
  }
  if (play) {
    play.addEventListener("click", function () {
      if (playing) return stop();
      if (Number(slider.value) >= Number(slider.max)) slider.value = "0";
      play.setAttribute("aria-pressed", "true");
      play.textContent = "Pause";
      playing = { timer: null, asked: 0, waiting: false };
      frame();
    });
    // Taking the slider in hand stops the play.
    ["pointerdown", "keydown"].forEach(function (name) { slider.addEventListener(name, stop); });
  }
  function followPreview() {
    const preview = document.getElementById("preview");
    if (!slider || !preview || !preview.dataset.end) return;
    slider.max = preview.dataset.end; // the duration may have just changed in the text
    if (!playing) clock.textContent = mmss(Number(slider.value));
  }

  // The documentation of a finding's code opens beside the editor (below it on a phone): show it.
  document.addEventListener("click", function (event) {
    if (!event.target.closest("[data-close-doc]")) return;
    const panel = document.getElementById("doc-panel");
    const empty = document.createElement("div");
    empty.id = "doc-panel";
    empty.className = "doc-panel";
    empty.setAttribute("aria-live", "polite");
    panel.replaceWith(empty);
  });

  // After every answer from the server, and when it cannot be reached ---------------------------
  document.addEventListener("htmx:afterSettle", function (event) {
    status.classList.remove("problem");
    markFindings();
    followPreview();
    const target = event.detail.target;
    if (target && target.id === "preview") framed();
    if (target && target.id === "doc-panel") {
      target.scrollIntoView({ block: "nearest", behavior: "smooth" });
    }
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
