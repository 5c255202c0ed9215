// Universe pages. The builder: counts as the conditions change (POST the tree to the JSON count
// endpoint), and adds and removes conditions and groups in place by cloning the page's
// <template>s. Without JavaScript the same buttons post the form and the server does each step.
// The list of universes: each one's count, fetched in turn.
import { enhance } from "../organiser/picker.js";
import { treeFromEntries } from "./universe-tree.js";

const csrf = document.querySelector('meta[name="csrf-token"]')?.content || "";

function plural(n, one, many) {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}

function countText(body) {
  return `${plural(body.people, "person", "people")} · ${plural(body.households, "household", "households")}`;
}

async function fetchCount(url, init) {
  const response = await fetch(url, { credentials: "same-origin", ...init,
    headers: { Accept: "application/json", "X-CSRFToken": csrf, ...(init?.headers || {}) } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.message || `The count failed (${response.status}).`);
  return body;
}

// Fill "__PATH__" in a cloned row: names and button values take the path ("0.2"), ids the
// dashed form ("0-2") so every label still points at its own field.
function place(fragment, path) {
  const dashed = path.replaceAll(".", "-");
  for (const el of fragment.querySelectorAll("*")) {
    for (const attr of ["name", "value", "data-path"]) {
      if (el.hasAttribute(attr)) el.setAttribute(attr, el.getAttribute(attr).replaceAll("__PATH__", path));
    }
    for (const attr of ["id", "for"]) {
      if (el.hasAttribute(attr)) el.setAttribute(attr, el.getAttribute(attr).replaceAll("__PATH__", dashed));
    }
  }
  return fragment;
}

function clone(id, path) {
  const template = document.getElementById(id);
  return template ? place(template.content.cloneNode(true), path) : null;
}

function builder(form) {
  const out = document.getElementById("universe-count");
  let timer = null;
  let asked = 0;

  async function recount() {
    const mine = ++asked;
    const entries = [...new FormData(form).entries()].filter(([, v]) => typeof v === "string");
    out.classList.remove("field-error");
    out.textContent = "Counting…";
    try {
      const body = await fetchCount(form.dataset.countUrl, { method: "POST",
        headers: { "Content-Type": "application/json" }, body: JSON.stringify({ definition: treeFromEntries(entries) }) });
      if (mine === asked) out.textContent = countText(body);
    } catch (error) {
      if (mine !== asked) return;
      out.classList.add("field-error");
      out.textContent = error instanceof TypeError ? "Could not count: no connection." : error.message;
    }
  }

  // A large campaign's page comes uncounted (app/universes/views.py COUNT_ON_PAGE_MAX): count now.
  if (out.hasAttribute("data-count-on-load")) recount();

  function soon() {
    clearTimeout(timer);
    timer = setTimeout(recount, 250);
  }

  // Each condition's number ("2.1"), as the server's error messages name them: rows whose kind
  // is not chosen yet are not counted.
  function renumber(group = form.querySelector(".u-group"), prefix = "") {
    let n = 0;
    for (const row of group.querySelector(":scope > [data-role=children]").children) {
      const kind = row.querySelector(":scope select[name$=':kind']");
      const chosen = row.classList.contains("u-group") || (kind && kind.value);
      if (chosen) n += 1;
      const label = chosen ? `${prefix}${n}` : "";
      row.querySelector(".u-number").textContent = label;
      if (row.classList.contains("u-group")) renumber(row, `${label}.`);
    }
  }

  function add(group, templateId) {
    const children = group.querySelector(":scope > [data-role=children]");
    const used = [...children.children].map((row) => Number(row.dataset.path.split(".").pop()));
    const path = `${group.dataset.path}.${used.length ? Math.max(...used) + 1 : 0}`;
    children.appendChild(clone(templateId, path));
    children.lastElementChild.querySelector("select")?.focus();
  }

  form.addEventListener("click", (event) => {
    const button = event.target.closest("button[name=action]");
    if (!button || !form.contains(button)) return;
    const [verb] = button.value.split(":");
    const node = button.closest("[data-path]");
    if (verb === "count") {
      event.preventDefault();
      recount();
    } else if (verb === "add" || verb === "group") {
      event.preventDefault();
      add(node, verb === "add" ? "u-tpl-leaf" : "u-tpl-group");
      renumber();
    } else if (verb === "remove") {
      event.preventDefault();
      node.parentElement.closest(".u-group")?.querySelector("button[data-role=add]")?.focus();
      node.remove();
      renumber();
      soon();
    }
  });

  form.addEventListener("change", (event) => {
    const select = event.target.closest("select[data-role=kind]");
    if (select) {
      const row = select.closest("[data-path]");
      const params = row.querySelector("[data-role=params]");
      params.replaceChildren();
      const filled = select.value && clone(`u-tpl-params-${select.value}`, row.dataset.path);
      if (filled) params.appendChild(filled);
      params.querySelectorAll("input[data-picker-url]").forEach(enhance);
      renumber();
    }
    soon();
  });
  // A ward, neighbourhood or list picked from a condition's search becomes one more ticked box
  // (the box empties for the next); ticking it off leaves it out.
  form.addEventListener("picker:pick", (event) => {
    const row = event.target.closest("[data-path]");
    const chosen = row?.querySelector("[data-role=chosen]");
    if (!chosen) return;
    event.preventDefault();
    const { value, label } = event.detail;
    const name = `${row.dataset.path}:ids`;
    const had = [...chosen.querySelectorAll("input[type=checkbox]")].find((box) => box.value === value);
    if (had) {
      had.checked = true;
    } else {
      const id = `f-${row.dataset.path.replaceAll(".", "-")}-ids-v${value}`;
      const item = document.createElement("li");
      const box = Object.assign(document.createElement("input"), { type: "checkbox", id, name, value, checked: true });
      const text = Object.assign(document.createElement("label"), { htmlFor: id, textContent: label });
      item.append(box, " ", text);
      chosen.appendChild(item);
    }
    soon();
  });
  form.addEventListener("input", (event) => {
    if (event.target.type === "date") soon();
  });
}

const form = document.getElementById("universe-builder");
if (form) builder(form);

(async () => {
  for (const cell of document.querySelectorAll("[data-count-url]:not(form)")) {
    try {
      cell.textContent = countText(await fetchCount(cell.dataset.countUrl));
    } catch (error) {
      cell.textContent = error.message;
    }
  }
})();
