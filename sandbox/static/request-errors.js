// An htmx request the server refused (400, 403, 404, 409, 429, 500...) swaps nothing, so what
// the person typed stays where it is; this says why, in the page's message area, using the
// advice of the error page the server sent ("The form contained an invisible NUL character...").
document.addEventListener("htmx:responseError", function (event) {
  if (event.target.closest && event.target.closest("[data-own-errors]")) return;
  const xhr = event.detail.xhr;
  let advice = "";
  try {
    const page = new DOMParser().parseFromString(xhr.responseText || "", "text/html");
    const found = page.querySelector(".error-page p:not(.error-code):not(:has(a))");
    advice = found ? found.textContent.trim() : "";
  } catch (error) {
    advice = "";
  }
  if (!advice) {
    advice = "The server could not take that (" + xhr.status + "). Nothing was saved; try again.";
  }
  const main = document.getElementById("main");
  if (!main) return;
  let area = main.querySelector(".flashes");
  if (!area) {
    area = document.createElement("div");
    area.className = "flashes";
    area.setAttribute("role", "status");
    main.prepend(area);
  }
  const message = document.createElement("p");
  message.className = "flash flash-error request-error";
  message.textContent = advice;
  area.replaceChildren(message);
  area.scrollIntoView({block: "nearest"});
});
