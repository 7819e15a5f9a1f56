// The practice page: a character counter for every composer, and Cancel without a page load.
(function () {
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
  });
  // "3m" ages, as a network shows them, kept in step with the simulated clock after each update.
  function age(seconds) {
    if (seconds < 60) return seconds + "s";
    if (seconds < 3600) return Math.floor(seconds / 60) + "m";
    return Math.floor(seconds / 3600) + "h";
  }
  function refreshAges() {
    const clock = document.getElementById("run-clock");
    if (!clock) return;
    const now = Number(clock.dataset.now);
    document.querySelectorAll(".time[data-at]").forEach(function (span) {
      span.textContent = (span.dataset.prefix ?? "· ") + age(Math.max(0, now - Number(span.dataset.at)));
    });
  }
  document.addEventListener("htmx:afterSettle", refreshAges);
  // The simulated clock between two answers of the server (polls come when the feed is due to
  // change, seconds apart): it runs at the run's speed, and each answer sets it right again.
  function mmss(seconds) {
    return Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
  }
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
  document.addEventListener("htmx:load", function (event) {
    event.target.querySelectorAll("textarea[data-max]").forEach(count);
    const box = event.target.querySelector("textarea[autofocus]");
    if (box) box.focus();
  });
})();
