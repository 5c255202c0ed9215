/* A small element builder for the canvass pages: h("li", {id: "x", onclick: fn, hidden: true}, [child, "text"]).
 * Attributes that are null or false are left off; true sets an empty one; "text" sets the text. */
export function h(tag, attrs, children) {
  var node = document.createElement(tag);
  Object.keys(attrs || {}).forEach(function (k) {
    if (k === "text") node.textContent = attrs[k];
    else if (k.indexOf("on") === 0) node.addEventListener(k.slice(2), attrs[k]);
    else if (attrs[k] !== null && attrs[k] !== false && attrs[k] !== undefined) node.setAttribute(k, attrs[k] === true ? "" : attrs[k]);
  });
  (children || []).forEach(function (c) { if (c) node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
  return node;
}
