// The editors' field help and completion (templates/author/_code_editor.html).
//
// The page carries the format's keys as entries built from the JSON Schema and the format guide
// (sandbox/web/author/fields.py, in <script type="application/json" id="editor-assist">) and the
// names the server knows (#editor-names, refreshed by every live check). This script reads the
// YAML above the caret line by line, the way an author wrote it (half-typed text included; the
// server's validator does the real parse), to know which key the caret is on and which keys and
// values fit there; the names the file defines (personas, experts, scenes, events) are read the
// same way.
(function () {
  "use strict";
  const text = document.getElementById("editor-text");
  const data = document.getElementById("editor-assist");
  const helpBody = document.getElementById("field-help-body");
  if (!text || !data) return;
  const assist = JSON.parse(data.textContent);
  const tree = assist.tree;
  const GUIDE = (document.querySelector("#field-help .findings-head a") || {}).href || "";

  // Reading YAML ---------------------------------------------------------------------------------
  // readYaml(source, visit) reads `source` (the text up to the caret) and returns where its end
  // is: {role: "key"|"value"|"item"|"text"|"comment"|"after", path: [keys, "[]" for a list item],
  // key, word (being typed), flow (inside {…} or […]), siblings (keys already in that mapping)}.
  // `visit` hears every key, scalar value and list item on the way (for the file's names).
  const KEY = /^([A-Za-z_][\w-]*)[ \t]*:(?=[ \t]|$)/;
  const NOTHING = { key: function () {}, scalar: function () {}, item: function () {} };

  function stripComment(value) {
    if (value[0] === '"' || value[0] === "'") {
      const close = value.indexOf(value[0], 1);
      return close === -1 ? value : value.slice(0, close + 1);
    }
    const hash = value.search(/(^|\s)#/);
    return hash === -1 ? value : value.slice(0, hash);
  }

  function readYaml(source, visit) {
    visit = visit || NOTHING;
    const lines = source.split("\n");
    const root = { keys: [] };
    const stack = []; // {col, seg, keys}
    let block = null; // inside a block of text (`text: |`): {col, path, key}
    let flow = null; // inside {…} or […], perhaps over several lines
    let context = null;

    function path() { return stack.map(function (frame) { return frame.seg; }); }
    function top() { return stack.length ? stack[stack.length - 1] : root; }
    function popTo(col, dash) {
      while (stack.length) {
        const frame = stack[stack.length - 1];
        if (frame.col > col) { stack.pop(); continue; }
        // `key:` then `- item` in the same column: the list is that key's value
        if (frame.col === col && !(dash && frame.seg !== "[]")) { stack.pop(); continue; }
        break;
      }
    }

    // Flow collections: {a: 1, b: [x, y]}
    function framePath(state) {
      const frame = state.frames[state.frames.length - 1];
      if (!frame) return state.base;
      return frame.type === "map" ? frame.path.concat(frame.key === null ? [] : [frame.key])
        : frame.path.concat(["[]"]);
    }
    function finish(frame) {
      const value = frame.token.trim();
      frame.token = "";
      if (!value) return;
      if (frame.type === "seq") visit.scalar(frame.path.concat(["[]"]), value);
      else if (frame.after) visit.scalar(frame.path.concat([frame.key]), value);
    }
    function feed(state, chunk) { // the index after the closing bracket, or -1 if still open
      state.comment = false;
      for (let i = 0; i < chunk.length; i++) {
        const c = chunk[i];
        const frame = state.frames[state.frames.length - 1];
        if (state.quote) {
          frame.token += c;
          if (c === state.quote) state.quote = null;
          continue;
        }
        if (c === "#" && (i === 0 || /\s/.test(chunk[i - 1]))) { state.comment = true; break; }
        if (c === "{" || c === "[") {
          const parent = framePath(state);
          if (frame && frame.type === "seq") visit.item(frame.path);
          state.frames.push({ type: c === "{" ? "map" : "seq", path: parent, key: null,
                              after: false, token: "", keys: [] });
          continue;
        }
        if (!frame) continue;
        if (c === "}" || c === "]") {
          finish(frame);
          state.frames.pop();
          if (!state.frames.length) return i + 1;
          continue;
        }
        if (c === ",") {
          finish(frame);
          if (frame.type === "map") { frame.key = null; frame.after = false; }
          continue;
        }
        if (c === ":" && frame.type === "map" && !frame.after &&
            (i + 1 >= chunk.length || /[\s,}\]]/.test(chunk[i + 1]))) {
          frame.key = frame.token.trim();
          frame.token = "";
          frame.after = true;
          frame.keys.push(frame.key);
          visit.key(frame.path, frame.key);
          continue;
        }
        if ((c === '"' || c === "'") && !frame.token.trim()) state.quote = c;
        frame.token += c;
      }
      return -1;
    }
    function inFlow(state) {
      const frame = state.frames[state.frames.length - 1];
      if (state.comment) return { role: "comment", path: framePath(state) };
      const word = frame.token.replace(/^\s+/, "");
      if (frame.type === "seq") return { role: "item", path: frame.path.concat(["[]"]), word: word, flow: true };
      if (!frame.after) return { role: "key", path: frame.path, word: word, flow: true, siblings: frame.keys };
      return { role: "value", path: frame.path.concat([frame.key]), key: frame.key, word: word, flow: true };
    }
    function startFlow(base, chunk, last) {
      flow = { frames: [], base: base, quote: null, comment: false };
      if (feed(flow, chunk) === -1) {
        if (last) context = inFlow(flow);
      } else {
        flow = null;
        if (last) context = { role: "after", path: base };
      }
    }

    lines.forEach(function (line, n) {
      const last = n === lines.length - 1;
      if (flow) {
        if (feed(flow, line) === -1) { if (last) context = inFlow(flow); return; }
        flow = null;
        if (last) context = { role: "after", path: path() };
        return;
      }
      const indent = line.length - line.replace(/^ +/, "").length;
      const content = line.slice(indent);
      if (block) {
        const inside = content === "" ? !(last && indent <= block.col) : indent > block.col;
        if (inside) {
          if (last) context = { role: "text", path: block.path, key: block.key };
          return;
        }
        block = null;
      }
      if (content === "" || content[0] === "#") {
        if (!last) return;
        if (content === "") {
          popTo(indent, false);
          context = { role: "key", path: path(), word: "", siblings: top().keys, col: indent };
        } else {
          context = { role: "comment", path: path() };
        }
        return;
      }
      let col = indent;
      let rest = content;
      const dashes = [];
      for (let m = /^-(?: +|$)/.exec(rest); m && m[0]; m = /^-(?: +|$)/.exec(rest)) {
        dashes.push(col);
        col += m[0].length;
        rest = rest.slice(m[0].length);
      }
      popTo(dashes.length ? dashes[0] : col, dashes.length > 0);
      dashes.forEach(function (dash) {
        visit.item(path());
        stack.push({ col: dash, seg: "[]", keys: [] });
      });
      if (rest === "") {
        if (last) context = { role: "key", path: path(), word: "", item: dashes.length > 0, siblings: [], col: col };
        return;
      }
      if (rest[0] === "{" || rest[0] === "[") return startFlow(path(), rest, last);
      if (/^[|>]/.test(rest) && dashes.length) {
        block = { col: dashes[dashes.length - 1], path: path(), key: null };
        return;
      }
      const found = KEY.exec(rest);
      if (!found) { // a list item's value, a key being typed, or the rest of a text
        if (last) {
          context = { role: "key", path: path(), word: /^[\w-]*$/.test(rest) ? rest : null,
                      item: dashes.length > 0, siblings: dashes.length ? [] : top().keys, col: col };
        } else if (dashes.length) {
          visit.scalar(path(), stripComment(rest).trim());
        }
        return;
      }
      const key = found[1];
      const parent = path();
      visit.key(parent, key);
      top().keys.push(key);
      stack.push({ col: col, seg: key, keys: [] });
      const here = parent.concat([key]);
      const value = rest.slice(found[0].length).replace(/^[ \t]+/, "");
      if (value === "" || value[0] === "#") {
        if (last) context = { role: value ? "comment" : "value", path: here, key: key, word: "" };
        return;
      }
      if (/^[|>]/.test(value)) {
        block = { col: col, path: here, key: key };
        if (last) context = { role: "value", path: here, key: key, word: "" };
        return;
      }
      if (value[0] === "{" || value[0] === "[") return startFlow(here, value, last);
      visit.scalar(here, stripComment(value).trim());
      if (last) {
        const hash = value.search(/(^|\s)#/);
        context = hash !== -1 && !/^["']/.test(value) ? { role: "comment", path: here, key: key }
          : { role: "value", path: here, key: key, word: /[\w.-]*$/.exec(value)[0] };
      }
    });
    return context || { role: "key", path: [], word: "", siblings: root.keys };
  }

  // The file's own names: personas, experts, scenes and events -----------------------------------
  function unquote(value) { return value.replace(/^(["'])(.*)\1$/, "$2"); }
  function fileNames(source) {
    const names = { persona: [], crowd: [], expert: [], scene: [], event: [] };
    const items = {};
    readYaml(source, {
      key: function (parent, key) {
        const where = parent.join("/");
        if (where === "personas") names.persona.push(key);
        else if (where === "experts") names.expert.push(key);
        else if (where === "scenes") names.scene.push(key);
        else if (parent.length === 2 && parent[0] === "personas" && key === "count") names.crowd.push(parent[1]);
      },
      scalar: function (path, value) {
        const where = path.join("/");
        if (/^(timeline|scenes\/[^/]+)\/\[\]\/id$/.test(where) && value) names.event.push(unquote(value));
      },
      item: function (parent) {
        if (parent.length === 2 && parent[0] === "scenes") {
          const index = items[parent[1]] || 0;
          items[parent[1]] = index + 1;
          names.event.push(parent[1] + "." + index);
        }
      },
    });
    return names;
  }

  // The keys a mapping already has: for a list item, those above the caret; for any other mapping,
  // all of them (a mapping is one per file, so keys further down count too).
  function siblingsOf(context) {
    const known = context.siblings || [];
    if (context.flow || context.path.indexOf("[]") !== -1) return known;
    const where = context.path.join("/");
    const found = known.slice();
    readYaml(text.value, Object.assign({}, NOTHING, {
      key: function (parent, key) { if (parent.join("/") === where) found.push(key); },
    }));
    return found;
  }

  // The entries of the format along a path -------------------------------------------------------
  function shownPath(path) { // the keys, without the list items between them
    return path.filter(function (seg) { return seg !== "[]"; });
  }
  function holder(entry) { return entry && entry.s ? tree.defs[entry.s] || {} : entry || {}; }
  function entryAt(path) {
    let entry = tree.root;
    for (let i = 0; i < path.length && entry; i++) {
      if (path[i] === "[]") entry = entry.i || null;
      else {
        const held = holder(entry);
        entry = (held.k && held.k[path[i]]) || held.any || null;
      }
    }
    return entry;
  }
  function serverNames() {
    const element = document.getElementById("editor-names");
    const names = element ? JSON.parse(element.dataset.names || "{}") : {};
    names.guidelines = assist.guidelines || [];
    return names;
  }
  const KINDS = { persona: "persona", crowd: "crowd", expert: "expert", scene: "scene", event: "event",
                  topic: "topic", criterion: "scorer criterion", guidelines: "guidelines file",
                  delay: "response time" };
  // The names a value of kind `kind` can take, each with what it is.
  function namesOf(kind, file) {
    const server = serverNames();
    const people = file.persona.filter(function (name) { return file.crowd.indexOf(name) === -1; });
    const pairs = {
      sender: people.map(named("persona")).concat(file.expert.map(named("expert"))),
      persona: file.persona.map(function (name) {
        return [name, file.crowd.indexOf(name) === -1 ? "persona" : "crowd"];
      }),
      expert: file.expert.map(named("expert")),
      scene: file.scene.map(named("scene")).concat([["end", "finishes the scenario"]]),
      event: file.event.map(named("event")),
    }[kind];
    return pairs || (server[kind] || []).map(named(KINDS[kind] || kind));
  }
  function named(what) { return function (name) { return [name, what]; }; }

  // What fits where the caret is ------------------------------------------------------------------
  function valuesFor(entry, file, label) {
    if (!entry) return [];
    const choices = (entry.v || []).map(function (value) { return [value, label || entry.t]; });
    let found = choices.concat(entry.n ? namesOf(entry.n, file) : []);
    if (!found.length && entry.i) found = valuesFor(entry.i, file, label);
    return found;
  }
  function labelOf(path) {
    const keys = shownPath(path);
    return keys[keys.length - 1];
  }
  function keysFor(entry, siblings, file) {
    const held = holder(entry);
    const found = [];
    Object.keys(held.k || {}).forEach(function (key) {
      const child = held.k[key];
      if (siblings.indexOf(key) === -1) found.push([key, (child.r ? "required · " : "") + child.t, child]);
    });
    const free = (held.kv || []).map(named("key")).concat(entry && entry.kn ? namesOf(entry.kn, file) : []);
    free.forEach(function (pair) { if (siblings.indexOf(pair[0]) === -1) found.push([pair[0], pair[1], held.any]); });
    return found;
  }

  // Field help ---------------------------------------------------------------------------------------
  function el(tag, className, content) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined) node.append.apply(node, [].concat(content));
    return node;
  }
  function prose(words) { // `code` spans as <code>, the rest as text
    return String(words).split("`").map(function (part, i) { return i % 2 ? el("code", "", part) : part; });
  }
  function codes(values) {
    const list = el("span", "help-values");
    values.forEach(function (pair) { list.append(el("code", "", pair[0]), " "); });
    return list;
  }

  // What the help shows for the caret at `caret`: {path, key, entry, value} or {path, keys}.
  function lookUp(value, caret) {
    const start = value.lastIndexOf("\n", caret - 1) + 1;
    const line = value.slice(start, (value.indexOf("\n", caret) + 1 || value.length + 1) - 1);
    const lead = /^ *(?:- +)*/.exec(line)[0].length;
    let at = Math.max(caret, start + lead); // on the indentation or a dash: the line's key
    at += /^[\w-]*/.exec(value.slice(at))[0].length; // the whole word under the caret
    const context = readYaml(value.slice(0, at));
    const colon = /^[ \t]*:[ \t]*([^,}\]#\n]*)/.exec(value.slice(at, at + 200));
    if (context.role === "key" && context.word && colon) {
      return { path: context.path.concat([context.word]), key: context.word, value: colon[1].trim() };
    }
    if (context.role === "value" || context.role === "text" || (context.role === "comment" && context.key)) {
      return { path: context.path, key: context.key, value: context.role === "value" ? context.word : null };
    }
    if (context.role === "item" || (context.role === "key" && context.item && context.word)) {
      const list = context.path.slice(0, -1);
      const item = entryAt(context.path);
      if (item && !holder(item).k) return { path: list, key: list[list.length - 1], value: context.word };
    }
    if (context.role === "key") return { path: context.path, keys: true, word: context.word || "", siblings: siblingsOf(context) };
    return null;
  }

  let shown = "";
  function showHelp() {
    if (!helpBody || document.activeElement !== text) return;
    const found = lookUp(text.value, text.selectionStart);
    if (!found) return;
    const signature = JSON.stringify(found);
    if (signature === shown) return;
    shown = signature;
    helpBody.replaceChildren.apply(helpBody, found.keys ? keysHelp(found) : keyHelp(found));
  }
  function keyHelp(found) {
    const entry = entryAt(found.path);
    const where = shownPath(found.path);
    const trail = el("p", "help-path small muted", where.slice(0, -1).map(function (seg) {
      return seg + " › ";
    }));
    const title = el("h3", "help-key", [el("code", "", found.key || where[where.length - 1] || "")]);
    if (!entry) {
      const parent = entryAt(found.path.slice(0, -1));
      const keys = parent ? keysFor(parent, [], fileNames(text.value)) : [];
      return [trail, title, el("p", "help-unknown", prose(keys.length
        ? "Not a key of the format here. The keys here: " : "Not a key of the format here.")),
              keys.length ? codes(keys) : ""];
    }
    if (entry.r) title.append(" ", el("span", "help-badge", "required"));
    const facts = el("dl", "help-facts");
    function fact(name, value) { facts.append(el("dt", "", name), el("dd", "", value)); }
    fact("Type", entry.t);
    const file = fileNames(text.value);
    const values = valuesFor(entry, file);
    if (values.length) {
      const list = codes(values.slice(0, 24));
      if (found.value) {
        list.querySelectorAll("code").forEach(function (code) {
          if (code.textContent === found.value) code.classList.add("help-current");
        });
      }
      fact(entry.n || (entry.i && entry.i.n) ? "In this file" : "Allowed", list);
    } else if (entry.n) {
      fact("In this file", "none yet");
    }
    if (entry.df !== undefined) fact("Default", el("code", "", entry.df));
    if (entry.x) fact("Example", el("pre", "help-example", entry.x));
    const parts = [trail, title, el("p", "help-description", prose(entry.d))];
    if (entry.g) {
      const guide = el("p", "help-guide small");
      guide.innerHTML = entry.g; // our own documentation (docs/scenario-format.md)
      parts.push(guide);
    }
    parts.push(facts);
    if (entry.a) {
      parts.push(el("p", "small", [link(GUIDE.split("#")[0] + "#" + entry.a, "More in the format guide")]));
    }
    return parts;
  }
  function keysHelp(found) {
    const entry = entryAt(found.path);
    const where = shownPath(found.path);
    const keys = entry ? keysFor(entry, found.siblings, fileNames(text.value)) : [];
    const heading = where.length ? ["Keys you can add to ", el("code", "", where[where.length - 1])] : ["Keys of the file"];
    const parts = [el("h3", "help-key", heading)];
    if (!keys.length) {
      parts.push(el("p", "muted small", "Put the cursor on a key to read what it means."));
      return parts;
    }
    const list = el("ul", "help-keys");
    keys.forEach(function (key) {
      const child = key[2] || {};
      list.append(el("li", child.r ? "required" : "", [el("code", "", key[0]), " ", el("span", "muted small", key[1])]));
    });
    parts.push(list, el("p", "muted small", "Ctrl+Space suggests them as you type."));
    return parts;
  }
  function link(href, label) { // the guide opens in a tab of its own: the text being edited stays
    const a = el("a", "", label);
    a.href = href;
    a.target = "_blank";
    return a;
  }

  let pending = false;
  function followCaret() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; showHelp(); if (menu.open) refresh(false); });
  }
  ["keyup", "click", "focus", "input", "caretmove"].forEach(function (name) {
    text.addEventListener(name, followCaret);
  });
  document.addEventListener("selectionchange", function () {
    if (document.activeElement === text) followCaret();
  });

  // Completion ---------------------------------------------------------------------------------------
  const list = el("ul", "completion");
  list.id = "completion";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Suggestions");
  list.hidden = true;
  text.parentElement.after(list);
  text.setAttribute("aria-controls", list.id);
  const menu = { open: false, items: [], index: 0, from: 0, to: 0, context: null };

  function suggest() {
    const caret = text.selectionStart;
    if (caret !== text.selectionEnd) return null;
    const context = readYaml(text.value.slice(0, caret));
    if (context.word === null || context.word === undefined) return null;
    const file = fileNames(text.value);
    let found = [];
    let asKey = false;
    if (context.role === "key") {
      const entry = entryAt(context.path);
      const held = holder(entry);
      if (context.item && entry && !held.k && !held.any) found = valuesFor(entry, file, labelOf(context.path));
      else { found = keysFor(entry, siblingsOf(context), file); asKey = true; }
    } else if (context.role === "value" || context.role === "item") {
      found = valuesFor(entryAt(context.path), file, labelOf(context.path));
    }
    const word = context.word.toLowerCase();
    const seen = {};
    const ranked = found.filter(function (pair) {
      if (seen[pair[0]]) return false;
      seen[pair[0]] = true;
      return pair[0].toLowerCase().indexOf(word) !== -1 && pair[0] !== context.word;
    }).sort(function (a, b) {
      return (a[0].toLowerCase().indexOf(word) !== 0) - (b[0].toLowerCase().indexOf(word) !== 0);
    }).slice(0, 12);
    const rest = /^[\w.-]*/.exec(text.value.slice(caret))[0].length;
    return { items: ranked, asKey: asKey, context: context, from: caret - context.word.length, to: caret + rest };
  }
  function refresh(explicit) {
    const found = suggest();
    if (!found || !found.items.length || (!explicit && !menu.open && !found.context.word)) return close();
    menu.items = found.items;
    menu.asKey = found.asKey;
    menu.context = found.context;
    menu.from = found.from;
    menu.to = found.to;
    menu.index = Math.min(menu.index, found.items.length - 1);
    render();
  }
  function render() {
    list.replaceChildren.apply(list, menu.items.map(function (pair, i) {
      const option = el("li", "", [el("span", "completion-label", pair[0]), el("span", "completion-detail", pair[1])]);
      option.id = "completion-" + i;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", String(i === menu.index));
      option.dataset.index = String(i);
      return option;
    }));
    list.hidden = false;
    menu.open = true;
    text.setAttribute("aria-expanded", "true");
    text.setAttribute("aria-activedescendant", "completion-" + menu.index);
    place();
    const chosen = list.children[menu.index];
    if (chosen) chosen.scrollIntoView({ block: "nearest" });
  }
  let charWidth = 0;
  function place() {
    const style = getComputedStyle(text);
    if (!charWidth) {
      const measure = document.createElement("canvas").getContext("2d");
      measure.font = style.font;
      charWidth = measure.measureText("0123456789").width / 10 || 8.4;
    }
    const row = parseFloat(style.lineHeight) || 21;
    const before = text.value.slice(0, menu.from);
    const line = before.split("\n").length;
    const column = menu.from - (before.lastIndexOf("\n") + 1);
    const box = text.getBoundingClientRect();
    const frame = list.offsetParent ? list.offsetParent.getBoundingClientRect() : { left: 0, top: 0 };
    let left = box.left - frame.left + parseFloat(style.paddingLeft) + column * charWidth - text.scrollLeft;
    let top = box.top - frame.top + parseFloat(style.paddingTop) + line * row - text.scrollTop + 2;
    const room = (list.offsetParent || document.body).clientWidth;
    left = Math.max(0, Math.min(left, room - list.offsetWidth - 4));
    if (top - (box.top - frame.top) + list.offsetHeight > box.height && top - row - list.offsetHeight > 0) {
      top -= row + list.offsetHeight + 4; // no room below the line: above it
    }
    list.style.left = left + "px"; // CSSOM, not a style attribute: the CSP allows it
    list.style.top = top + "px";
  }
  function close() {
    if (!menu.open) return;
    menu.open = false;
    menu.index = 0;
    list.hidden = true;
    text.removeAttribute("aria-expanded");
    text.removeAttribute("aria-activedescendant");
  }
  function accept(index) {
    const pair = menu.items[index];
    if (!pair) return close();
    let insert = pair[0];
    const after = text.value.slice(menu.to);
    if (menu.asKey && !/^[ \t]*:/.test(after)) {
      const entry = pair[2];
      const held = holder(entry);
      const lineStart = text.value.lastIndexOf("\n", menu.from - 1) + 1;
      const indent = " ".repeat(menu.from - lineStart);
      if (menu.context.flow || !entry) insert += ": ";
      else if (entry.i && holder(entry.i).k) insert += ":\n" + indent + "  - ";
      else if ((held.k || held.any) && !entry.v) insert += ":\n" + indent + "  ";
      else insert += ": ";
    }
    text.focus();
    text.setSelectionRange(menu.from, menu.to);
    // execCommand keeps the browser's undo history; setRangeText is the fallback.
    if (!document.execCommand || !document.execCommand("insertText", false, insert)) {
      text.setRangeText(insert, menu.from, menu.to, "end");
      text.dispatchEvent(new Event("input", { bubbles: true }));
    }
    close();
  }

  text.addEventListener("keydown", function (event) {
    if (event.key === " " && (event.ctrlKey || event.metaKey) && !event.altKey) {
      event.preventDefault();
      menu.index = 0;
      refresh(true);
      return;
    }
    if (!menu.open) return;
    const moves = { ArrowDown: 1, ArrowUp: -1, PageDown: 5, PageUp: -5 };
    if (event.key in moves) {
      menu.index = (menu.index + moves[event.key] + menu.items.length * 5) % menu.items.length;
      render();
    } else if (event.key === "Enter" || event.key === "Tab") {
      accept(menu.index);
    } else if (event.key === "Escape") {
      close();
    } else {
      return;
    }
    event.preventDefault(); // editor.js leaves a key alone when it was used here
    event.stopImmediatePropagation();
  }, true);
  text.addEventListener("input", function (event) {
    // Typing the start of a key (or of a value with choices) offers what fits.
    const typed = event.inputType === "insertText" && event.data && /[\w-]/.test(event.data);
    if (typed || (menu.open && event.inputType === "deleteContentBackward")) refresh(true);
    else close();
  });
  text.addEventListener("blur", function () { setTimeout(close, 150); });
  text.addEventListener("scroll", function () { if (menu.open) place(); });
  list.addEventListener("mousedown", function (event) {
    const option = event.target.closest("[role=option]");
    event.preventDefault(); // keep the focus in the text
    if (option) accept(Number(option.dataset.index));
  });
})();
