// A link to hand on (an invitation, a password reset) is selected whole when clicked, ready to
// copy: <input class="copy-link" readonly>. Kept here, not in an onclick attribute, for the CSP.
document.addEventListener("click", function (event) {
  if (event.target.matches && event.target.matches("input.copy-link")) event.target.select();
});
