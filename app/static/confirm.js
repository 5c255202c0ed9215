/* Forms marked data-confirm ask before they submit: revoking a PIN or deactivating a volunteer
 * cuts someone off mid-walk, and one stray tap on a phone should not. Without JavaScript the
 * forms submit as before (no inline handlers: the CSP forbids inline script). */
document.addEventListener("submit", function (event) {
  var question = event.target.getAttribute && event.target.getAttribute("data-confirm");
  if (question && !window.confirm(question)) event.preventDefault();
});
