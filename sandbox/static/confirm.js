// Forms that undo someone's work ask first: <form data-confirm="Remove Tess from the cohort?">.
document.addEventListener("submit", function (event) {
  const question = event.target.dataset && event.target.dataset.confirm;
  if (question && !window.confirm(question)) event.preventDefault();
});
