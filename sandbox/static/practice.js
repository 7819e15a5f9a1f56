// The practice page: a character counter for every composer, Cancel without a page load, the
// simulated clock and the conversations' response clocks between two answers of the server, and
// on a phone the tabs (Feed / Notifications / DMs / Team, with unread counts) and the composer
// docked at the bottom of the screen. Nothing here asks the server for anything.
(function () {
  const run = document.querySelector(".practice-run");
  const phone = window.matchMedia("(max-width: 900px)");

  function count(textarea) {
    const counter = textarea.form && textarea.form.querySelector(".counter");
    if (!counter) return;
    const max = Number(textarea.dataset.max);
    const length = Array.from(textarea.value).length;
    counter.textContent = length + " / " + max;
    counter.classList.toggle("over", length > max);
  }
  document.addEventListener("input", function (event) {
    if (!event.target.matches("textarea[data-max]")) return;
    count(event.target);
    // the message about what was sent before ("Write something first") no longer applies
    const stale = event.target.form && event.target.form.querySelector(".form-error");
    if (stale) stale.remove();
  });
  document.addEventListener("click", function (event) {
    const cancel = event.target.closest("[data-cancel]");
    if (!cancel) return;
    event.preventDefault();
    cancel.closest("form").remove();
    dock(lastComposer());
  });

  // "3m" ages, as a network shows them, and the response clocks of the conversations waiting
  // for an answer ("4:12 / 10:00 target"), kept in step with the simulated clock.
  function age(seconds) {
    if (seconds < 60) return seconds + "s";
    if (seconds < 3600) return Math.floor(seconds / 60) + "m";
    return Math.floor(seconds / 3600) + "h";
  }
  function mmss(seconds) {
    return Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
  }
  function refreshAges() {
    const clock = document.getElementById("run-clock");
    if (!clock) return;
    const now = Number(clock.dataset.now);
    document.querySelectorAll(".time[data-at]").forEach(function (span) {
      span.textContent = (span.dataset.prefix ?? "· ") + age(Math.max(0, now - Number(span.dataset.at)));
    });
    document.querySelectorAll(".conv-clock-pill[data-since]").forEach(function (pill) {
      const waited = Math.max(0, now - Number(pill.dataset.since));
      const target = Number(pill.dataset.target || 0);
      const shown = pill.querySelector(".conv-clock");
      if (shown) shown.textContent = mmss(waited);
      if (!target) return;
      pill.classList.toggle("late", waited > target);
      pill.classList.toggle("soon", waited <= target && waited * 4 >= target * 3);
      const fill = pill.querySelector(".conv-meter-fill");
      if (fill) fill.setAttribute("width", Math.min(100, Math.round(100 * waited / target)));
    });
  }
  document.addEventListener("htmx:afterSettle", refreshAges);
  // The simulated clock between two answers of the server (polls come when the feed is due to
  // change, seconds apart): it runs at the run's speed, and each answer sets it right again.
  let shown = null, base = 0, received = 0;
  function tick() {
    const clock = document.getElementById("run-clock");
    if (!clock) return;
    if (clock !== shown) {  // a new clock from the server
      shown = clock;
      base = Number(clock.dataset.now);
      received = Date.now();
    }
    const speed = Number(clock.dataset.speed || 0), end = Number(clock.dataset.end);
    if (!speed || !end) return;
    const now = Math.min(end, Math.floor(base + speed * (Date.now() - received) / 1000));
    clock.dataset.now = now;
    clock.textContent = mmss(now) + " / " + mmss(end);
    const bar = document.querySelector("#progress-bar rect");
    if (bar) bar.setAttribute("width", Math.round(100 * now / end));
    refreshAges();
  }
  setInterval(tick, 1000);

  // Tabs on a phone. Without JavaScript they are links to the panels, stacked one under the
  // other; with it, one panel shows at a time and each tab counts what arrived while away.
  const UNREAD = {
    feed: "#feed-items > li:not(.mine)",
    notifications: "#notification-list > li",
    dms: "#dm-list .dm-message:not(.mine)",
    team: "#team-list > li:not(.mine)",
  };
  const seen = {feed: new Set(), notifications: new Set(), dms: new Set(), team: new Set()};
  const storageKey = run ? "practice-seen-" + run.dataset.run : null;
  function current() {
    return run ? run.dataset.tab : "feed";
  }
  function ids(tab) {
    return Array.from(document.querySelectorAll(UNREAD[tab]), function (li) { return li.id; });
  }
  function remember() {
    if (!storageKey) return;
    const saved = {};
    Object.keys(seen).forEach(function (tab) { saved[tab] = Array.from(seen[tab]); });
    try { sessionStorage.setItem(storageKey, JSON.stringify(saved)); } catch (error) { /* private mode */ }
  }
  function refreshUnread() {
    if (!run) return;
    Object.keys(UNREAD).forEach(function (tab) {
      // on a desktop every panel is on screen: everything there is seen
      if (!phone.matches || tab === current()) ids(tab).forEach(function (id) { seen[tab].add(id); });
      const unread = ids(tab).filter(function (id) { return !seen[tab].has(id); }).length;
      const badge = run.querySelector('[data-unread-for="' + tab + '"]');
      if (badge) {
        badge.textContent = unread ? String(unread) : "";
        badge.setAttribute("aria-label", unread ? unread + " new" : "");
      }
    });
    remember();
  }
  function showTab(tab, focus) {
    if (!run || !UNREAD[tab]) return;
    run.dataset.tab = tab;
    run.querySelectorAll(".run-tab").forEach(function (link) {
      const on = link.dataset.tab === tab;
      link.setAttribute("aria-selected", on ? "true" : "false");
      link.tabIndex = on ? 0 : -1;
      if (on && focus) link.focus();
    });
    refreshUnread();
  }
  if (run) {
    let restored = null;
    try { restored = JSON.parse(sessionStorage.getItem(storageKey) || "null"); } catch (error) { restored = null; }
    Object.keys(seen).forEach(function (tab) {
      // a page opened afresh has read what it shows; a reload remembers what was not read
      (restored && restored[tab] ? restored[tab] : ids(tab)).forEach(function (id) { seen[tab].add(id); });
    });
    run.classList.add("tabs-on");
    const tabs = run.querySelector(".run-tabs");
    tabs.setAttribute("role", "tablist");
    run.querySelectorAll(".run-tab").forEach(function (link) {
      const panel = document.getElementById(link.dataset.tab + "-panel");
      link.setAttribute("role", "tab");
      link.removeAttribute("aria-current");
      if (panel) {
        link.setAttribute("aria-controls", panel.id);
        panel.setAttribute("role", "tabpanel");
      }
    });
    tabs.addEventListener("click", function (event) {
      const link = event.target.closest(".run-tab");
      if (!link) return;
      event.preventDefault();
      showTab(link.dataset.tab, false);
      // the new panel from its top, just under the docked run bar
      window.scrollTo({top: Math.min(window.scrollY, run.getBoundingClientRect().top + window.scrollY)});
    });
    tabs.addEventListener("keydown", function (event) {
      const order = Object.keys(UNREAD), at = order.indexOf(current());
      const step = {ArrowRight: 1, ArrowLeft: -1}[event.key];
      if (!step) return;
      event.preventDefault();
      showTab(order[(at + step + order.length) % order.length], true);
    });
    // a notification or a DM thread's link to a post opens the feed at that post
    run.addEventListener("click", function (event) {
      const link = event.target.closest('a[href^="#item-"]');
      if (link && current() !== "feed") showTab("feed", false);
    });
    const wanted = location.hash.replace("#", "").replace("-panel", "");
    showTab(UNREAD[wanted] ? wanted : "feed", false);
  }
  document.addEventListener("htmx:afterSettle", refreshUnread);

  // On a phone the composer being written is docked at the bottom of the screen, with who it
  // answers, so it stays in view while the trainee scrolls the feed; other open drafts stay
  // where they were opened.
  function lastComposer() {
    const all = document.querySelectorAll(".practice-run .composer");
    return all.length ? all[all.length - 1] : null;
  }
  function dock(form) {
    document.querySelectorAll(".composer.docked").forEach(function (other) {
      if (other !== form) other.classList.remove("docked");
    });
    if (!form) return;
    form.classList.add("docked");
    if (!form.querySelector(".composer-context")) {
      const item = form.closest("li");
      const name = item && item.querySelector(".name");
      const text = item && item.querySelector(".item-text");
      if (name) {
        const context = document.createElement("p");
        context.className = "composer-context";
        const who = document.createElement("strong");
        who.textContent = name.textContent.trim();
        context.append(who);
        if (text) context.append(" · " + text.textContent.trim());
        form.prepend(context);
      }
    }
  }
  document.addEventListener("focusin", function (event) {
    const form = event.target.closest && event.target.closest(".practice-run .composer");
    if (form && !form.classList.contains("docked")) dock(form);
  });

  document.addEventListener("htmx:load", function (event) {
    event.target.querySelectorAll("textarea[data-max]").forEach(count);
    // a composer just opened takes the caret, unless the trainee is typing elsewhere: a
    // fragment that lands late (a live update, a hint) never moves their caret
    const box = event.target.querySelector("textarea[data-autofocus]");
    const typing = document.activeElement && document.activeElement !== box &&
      document.activeElement.matches("textarea, input[type=text]");
    if (box && !typing) box.focus();
    const composer = event.target.matches(".composer") ? event.target : event.target.querySelector(".composer");
    if (composer) dock(composer);
  });
  dock(lastComposer());
})();
