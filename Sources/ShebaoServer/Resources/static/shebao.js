// The only script: print buttons. Without it they stay hidden and the browser's own Print
// (Ctrl+P) prints the same page, laid out by print.css.
document.querySelectorAll("button.print").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
