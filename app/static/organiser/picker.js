// Searchable pickers (ARIA 1.2 combobox with a listbox popup) for every input[data-picker-url]:
// the organiser types, the endpoint answers up to 20 {value, label}, and the chosen value goes in a
// hidden field under the input's name. Typed text that was never picked is sent as it is: the
// server resolves it (a code, a name) or says which value names nothing, as it does without JS.
// A page may take each pick itself: it hears "picker:pick" (detail {value, label}) on the input,
// and preventDefault() empties the box for the next one (the universe builder's ticked boxes).
import { moveActive, parseResults, resultsMessage, searchUrl } from "./picker-rules.js";

const WAIT_MS = 150;
const LIMIT = 20;
let counter = 0;

export function enhance(input) {
  if (input.dataset.pickerReady) return;
  input.dataset.pickerReady = "yes";
  const n = ++counter;
  const hidden = document.createElement("input");
  hidden.type = "hidden";
  hidden.name = input.name;
  hidden.value = input.dataset.pickerValue || input.value;
  input.removeAttribute("name");
  input.after(hidden);

  const list = document.createElement("ul");
  list.id = `picker-${n}-options`;
  list.className = "picker-options";
  list.setAttribute("role", "listbox");
  list.hidden = true;
  const labelled = input.labels && input.labels[0];
  if (labelled) {
    labelled.id = labelled.id || `picker-${n}-label`;
    list.setAttribute("aria-labelledby", labelled.id);
  }
  const status = document.createElement("span");
  status.className = "vh";
  status.setAttribute("role", "status");
  hidden.after(list, status);

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-expanded", "false");

  let results = [];
  let active = -1;
  let timer = 0;
  let asked = 0;

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function show(index) {
    active = index;
    [...list.children].forEach((li, i) => li.setAttribute("aria-selected", String(i === active)));
    if (active < 0) {
      input.removeAttribute("aria-activedescendant");
      return;
    }
    const li = list.children[active];
    input.setAttribute("aria-activedescendant", li.id);
    li.scrollIntoView({ block: "nearest" });
  }

  function pick(index) {
    const chosen = results[index];
    if (!chosen) return;
    input.removeAttribute("aria-invalid");
    close();
    const taken = !input.dispatchEvent(new CustomEvent("picker:pick", { bubbles: true, cancelable: true, detail: chosen }));
    input.value = taken ? "" : chosen.label;
    hidden.value = taken ? "" : chosen.value;
  }

  function render() {
    list.replaceChildren(...results.map((r, i) => {
      const li = document.createElement("li");
      li.id = `picker-${n}-option-${i}`;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.textContent = r.label;
      li.addEventListener("mousedown", (event) => event.preventDefault()); // keep focus in the input
      li.addEventListener("click", () => pick(i));
      return li;
    }));
    list.hidden = results.length === 0;
    input.setAttribute("aria-expanded", String(!list.hidden));
    active = -1;
    status.textContent = resultsMessage(results.length, LIMIT);
  }

  async function search() {
    const query = input.value.trim();
    const mine = ++asked;
    if (!query) {
      results = [];
      close();
      return;
    }
    try {
      const response = await fetch(searchUrl(input.dataset.pickerUrl, query, window.location.origin),
        { headers: { Accept: "application/json" }, credentials: "same-origin" });
      const body = response.ok ? await response.json() : null;
      if (mine !== asked) return; // a later keystroke's answer wins
      results = parseResults(body);
      render();
    } catch {
      if (mine === asked) close(); // offline: the typed text is still sent and resolved
    }
  }

  input.addEventListener("input", () => {
    hidden.value = input.value;
    window.clearTimeout(timer);
    timer = window.setTimeout(search, WAIT_MS);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !list.hidden) {
      event.preventDefault();
      close();
    } else if (event.key === "Enter" && !list.hidden && active >= 0) {
      event.preventDefault(); // choose, do not submit yet
      pick(active);
    } else if (["ArrowDown", "ArrowUp"].includes(event.key) && results.length) {
      event.preventDefault();
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      show(moveActive(active, results.length, event.key));
    }
  });
  input.addEventListener("blur", close);
}

document.querySelectorAll("input[data-picker-url]").forEach(enhance);
