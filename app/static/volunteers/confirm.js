/* An emailed link opens a page with a button (a mail scanner fetching the link uses nothing up);
 * in a browser, press it at once. */
var form = document.getElementById("confirm-form");
if (form) form.requestSubmit ? form.requestSubmit() : form.submit();
