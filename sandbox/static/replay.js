// The debrief's replay (templates/practice/_replay_player.html): Play / Pause at a chosen speed,
// the slider, the markers and Previous / Next moment. A local clock runs; the run at each moment
// is the server's own fragment (the one the links show without JavaScript), fetched as the clock
// moves: one request at a time, the latest moment wins, so a slow answer never piles up.
//
// The trainee's debrief loads the player when its section is opened (_replay_section.html: htmx
// on the <details>' first toggle); a "Replay from 2:10" link or an address that points inside the
// replay opens the section at once, at that moment.
(function () {
  let player = null;  // the player on the page, once it is there
  let wantedAt = null;  // the moment a link asked for before the player was there

  function section() {
    return document.getElementById("replay-section");
  }
  function loader() {
    return document.querySelector("details[data-replay-loader]");
  }
  function still() {
    return window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  }
  function plainClick(event) {  // a click that opens the link here, not in another tab
    return event.button === 0 && !(event.metaKey || event.ctrlKey || event.shiftKey
                                   || event.altKey);
  }

  function setUp(card) {
    if (card.dataset.ready) return null;
    card.dataset.ready = "true";
    const base = card.dataset.replayUrl;  // the debrief page: the address kept, the links
    const momentBase = card.dataset.momentUrl;  // where each moment comes from
    const end = Number(card.dataset.end);
    const form = card.querySelector("#replay-form");
    const slider = card.querySelector("#replay-at");
    const play = card.querySelector("[data-play]");
    const playLabel = card.querySelector("[data-play-label]");
    const clock = card.querySelector("[data-clock]");
    const status = card.querySelector("[data-replay-status]");
    const progress = card.querySelector(".replay-progress rect");
    const nowLines = card.querySelectorAll(".now-line");
    const markers = Array.from(card.querySelectorAll(".marker[data-at]"));
    const moments = Array.from(new Set(markers.map(function (m) { return Number(m.dataset.at); })))
      .sort(function (a, b) { return a - b; });
    const previous = card.querySelector('[data-jump="previous"]');
    const next = card.querySelector('[data-jump="next"]');
    const FETCH_EVERY = 250;  // ms between two moments fetched while playing
    const TICK = 100;  // ms between two steps of the clock

    card.querySelector("[data-player]").hidden = false;
    card.querySelector("[data-show]").hidden = true;  // the slider shows each moment by itself

    let at = Number(slider.value);  // simulated seconds, fractional while playing
    let shown = at;  // the moment the page shows
    let wanted = null;  // the moment to fetch next
    let busy = false;
    let timer = null;
    let last = 0;
    let asked = 0;

    function mmss(seconds) {
      const whole = Math.max(0, Math.floor(seconds));
      return Math.floor(whole / 60) + ":" + String(whole % 60).padStart(2, "0");
    }
    function position(second) {
      return (end ? 100 * second / end : 0).toFixed(3) + "%";
    }
    function speed() {
      const chosen = card.querySelector('input[name="replay-speed"]:checked');
      return chosen ? Number(chosen.value) : 1;
    }
    function address(second) {
      return base + "?at=" + second;
    }
    function momentAddress(second) {
      const url = new URL(momentBase, location.href);
      url.searchParams.set("at", second);
      return url.pathname + url.search;
    }
    function say(words) {
      status.textContent = words;
    }

    function aim(link, second, fallback) {
      const target = second === undefined ? fallback : second;
      link.href = address(target) + "#replay-section";
      link.dataset.at = target;
      if (second === undefined) link.setAttribute("aria-disabled", "true");
      else link.removeAttribute("aria-disabled");
    }
    function draw() {
      const second = Math.floor(at);
      slider.value = second;
      slider.setAttribute("aria-valuetext", mmss(second) + " of " + mmss(end));
      clock.textContent = mmss(second);
      progress.setAttribute("width", end ? 100 * second / end : 100);
      nowLines.forEach(function (line) {
        line.setAttribute("x1", position(second));
        line.setAttribute("x2", position(second));
      });
      markers.forEach(function (marker) {
        marker.classList.toggle("later", Number(marker.dataset.at) > second);
      });
      aim(previous, moments.filter(function (m) { return m < second; }).pop(), 0);
      aim(next, moments.find(function (m) { return m > second; }), end);
    }

    function swap(html, second) {
      const template = document.createElement("template");
      template.innerHTML = html;
      const fresh = template.content.getElementById("replay");
      const old = document.getElementById("replay");
      if (!fresh || !old) throw new Error("not a moment of the replay");
      const known = new Set(Array.from(old.querySelectorAll("[id^='item-']"), function (e) {
        return e.id;
      }));
      const scrolled = Array.from(old.querySelectorAll(".replay-scroll"), function (e) {
        return e.scrollTop;
      });
      old.replaceWith(fresh);
      fresh.querySelectorAll(".replay-scroll").forEach(function (e, index) {
        e.scrollTop = scrolled[index] || 0;
      });
      if (second > shown) {  // what appeared since: highlighted as the practice page does
        fresh.querySelectorAll("[id^='item-']").forEach(function (e) {
          if (!known.has(e.id)) e.classList.add("new");
        });
      }
    }
    function load(second) {
      wanted = second;
      if (!busy) fetchWanted();
    }
    function fetchWanted() {
      const second = wanted;
      wanted = null;
      if (second === null || second === shown) return;
      busy = true;
      fetch(momentAddress(second), {headers: {"HX-Request": "true", "HX-Target": "replay"},
                                    credentials: "same-origin"})
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.text();
        })
        .then(function (html) {
          swap(html, second);
          shown = second;
        })
        .catch(function () {
          stop();
          say("This moment could not be loaded. Reload the page and try again.");
        })
        .finally(function () {
          busy = false;
          fetchWanted();
        });
    }

    function tick() {
      const now = performance.now();
      at = Math.min(end, at + speed() * (now - last) / 1000);
      last = now;
      draw();
      if (at >= end) {
        stop();
      } else if (now - asked >= FETCH_EVERY) {
        asked = now;
        load(Math.floor(at));
      }
    }
    function start() {
      if (at >= end) at = 0;
      last = asked = performance.now();
      timer = setInterval(tick, TICK);
      play.classList.add("playing");
      playLabel.textContent = "Pause";
      draw();
      load(Math.floor(at));
      say("Playing at " + speed() + "×");
    }
    function stop() {
      if (timer === null) return;
      clearInterval(timer);
      timer = null;
      play.classList.remove("playing");
      settle(true);
    }
    // Stopped at a moment: show exactly that moment, and keep it in the address (a reload or a
    // shared link opens it). The slider announces its own value; other ways there say it.
    function settle(announce) {
      const second = Math.floor(at);
      playLabel.textContent = second >= end ? "Play again" : "Play";
      load(second);
      history.replaceState(null, "", address(second) + location.hash);
      if (announce) say("Showing " + mmss(second) + " of " + mmss(end));
    }
    function seek(second, announce) {
      at = Math.max(0, Math.min(end, second));
      draw();
      if (timer === null) {
        settle(announce);
      } else {
        asked = performance.now();
        load(Math.floor(at));
      }
    }

    // Markers closer than ROW_GAP pixels go on another row of their lane (up to MAX_ROWS), so
    // that none covers another at this width; laid out again when the width changes.
    const ROW_GAP = 16, ROW_HEIGHT = 16, MAX_ROWS = 3;
    function stack(lane) {
      const width = lane.getBoundingClientRect().width;
      const ends = [];
      lane.querySelectorAll(".marker[data-at]").forEach(function (marker) {
        const x = end ? width * Number(marker.dataset.at) / end : 0;
        let row = ends.findIndex(function (last) { return x - last >= ROW_GAP; });
        if (row < 0) {
          row = ends.length < MAX_ROWS ? ends.length
            : ends.indexOf(Math.min.apply(null, ends));
        }
        ends[row] = x;
        marker.querySelector("use").setAttribute("y", 11 + ROW_HEIGHT * row);
      });
      lane.setAttribute("height", 6 + ROW_HEIGHT * Math.max(1, ends.length));
    }
    const lanes = card.querySelectorAll("svg.lane");
    lanes.forEach(stack);
    if (window.ResizeObserver) {
      const watcher = new ResizeObserver(function (changes) {
        changes.forEach(function (change) { stack(change.target); });
      });
      lanes.forEach(function (lane) { watcher.observe(lane); });
    }

    play.addEventListener("click", function () {
      if (timer === null) start();
      else stop();
    });
    slider.addEventListener("input", function () {
      seek(Number(slider.value), false);
    });
    slider.addEventListener("keydown", function (event) {
      if (event.key === " ") {  // Space plays and pauses, as in a video player
        event.preventDefault();
        play.click();
      }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      seek(Number(slider.value), true);
    });
    card.addEventListener("click", function (event) {
      const link = event.target.closest("a.marker, a[data-jump]");
      if (!link || !plainClick(event)) return;
      event.preventDefault();
      if (link.getAttribute("aria-disabled") !== "true") seek(Number(link.dataset.at), true);
    });
    draw();
    return {
      seek: seek,
      at: function () { return Math.floor(at); },
      focus: function () { slider.focus({preventScroll: true}); },
    };
  }

  function bringIntoView() {
    const card = section();
    if (card) card.scrollIntoView({behavior: still() ? "auto" : "smooth", block: "start"});
  }
  // The section opened (or about to): the player comes at `second` (the run's end if null),
  // and takes the focus (a link was followed: the keyboard goes on from the slider).
  function open(second) {
    const details = loader();
    if (!details) return;
    wantedAt = second;
    if (!details.open) details.open = true;  // its toggle sends htmx's request
  }
  function found(root) {
    const card = root.matches && root.matches("[data-replay-root]") ? root
      : root.querySelector && root.querySelector("[data-replay-root]");
    if (!card) return;
    const made = setUp(card);
    if (!made) return;
    player = made;
    if (wantedAt !== null) {  // a link was followed while the replay was on its way
      if (wantedAt !== made.at()) made.seek(wantedAt, true);
      made.focus();
      wantedAt = null;
    }
    const target = location.hash.length > 1 && document.getElementById(location.hash.slice(1));
    if (target && card.contains(target)) {
      target.scrollIntoView({block: "start"});  // the address pointed inside the replay
    }
  }

  document.addEventListener("htmx:configRequest", function (event) {
    if (event.target === loader() && wantedAt !== null) {  // `at`: the moment a link asked for
      event.detail.parameters.at = wantedAt;
    }
  });
  document.addEventListener("htmx:load", function (event) {
    found(event.target);
  });
  function failed(event) {
    if (event.target !== loader()) return;
    const waiting = document.querySelector("[data-replay-loading]");
    if (waiting) {
      waiting.firstChild.textContent = "The replay could not be loaded. ";
      waiting.setAttribute("role", "alert");
    }
  }
  document.addEventListener("htmx:responseError", failed);
  document.addEventListener("htmx:sendError", failed);

  // "Replay from 0:30" links elsewhere on the debrief: jump there and bring the replay in view.
  document.addEventListener("click", function (event) {
    const link = event.target.closest("a[data-replay-at]");
    if (!link || !plainClick(event)) return;
    const second = Number(link.dataset.replayAt);
    if (player) {
      event.preventDefault();
      player.seek(second, true);
      bringIntoView();
      player.focus();
    } else if (loader()) {
      event.preventDefault();
      open(second);
      bringIntoView();
    }  // otherwise the link opens the page at that moment
  });

  found(document);
  // An address that points at the replay or inside it (an item of the feed, the slider):
  // open the section at once.
  const hash = location.hash.slice(1);
  if (!player && hash && (hash === "replay-section" || !document.getElementById(hash))) {
    open(null);
  }
})();
