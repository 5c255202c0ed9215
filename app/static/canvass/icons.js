/* The few icons the phone pages draw from script: inline SVG in the text colour (currentColor), hidden
 * from screen readers (the button or line they sit in says it in words). Paths are 24x24, stroked. */
var PATHS = {
  edit: "M4 20h4L19 9l-4-4L4 16v4zM14 6l4 4",
  close: "M6 6l12 12M18 6L6 18",
  check: "M5 12l5 5 9-10"
};

export function icon(name) {
  var ns = "http://www.w3.org/2000/svg";
  var svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("class", "icon");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  var path = document.createElementNS(ns, "path");
  path.setAttribute("d", PATHS[name]);
  svg.appendChild(path);
  return svg;
}
