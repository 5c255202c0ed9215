// The builder's form fields -> a universe tree, exactly as app/universes/forms.py reads them
// (draft_from_form, then tree_from_draft): fields are named "<path>:<param>", the top group is
// "0", its children "0.0", "0.1" ... Pure: no DOM, so Node tests it (tests/js/universe-tree.test.mjs).

export const GROUPS = ["and", "or"];
export const PARAMS = {
  ward: ["ids"], neighbourhood: ["ids"], walk_list: ["ids"],
  support: ["levels", "unknown"],
  reached: ["channel", "from", "to"], attempted: ["channel", "from", "to"], never_reached: ["channel"],
  not_home_last: [], has_phone: [],
  door_outcome: ["codes", "latest"], phone_outcome: ["codes", "latest"],
  issue: ["issues"], flag: ["flags"],
  voted: ["election_id"], did_not_vote: ["election_id"],
};
const LISTS = new Set(["ids", "levels", "codes", "issues", "flags"]);
const TICKS = new Set(["unknown", "latest"]);
const NUMBERS = new Set(["ids", "election_id"]);
const MAX_DEPTH = 8;
const PATH = new RegExp(`^0(?:\\.[0-9]{1,3}){0,${MAX_DEPTH + 1}}$`);

// Digits -> a number (so the server judges the id); anything else as sent, for its error.
function number(raw) {
  return /^[0-9]{1,12}$/.test(raw) ? Number(raw) : raw;
}

function lastIndex(path) {
  return Number(path.slice(path.lastIndexOf(".") + 1));
}

/** [[name, value], ...] (a FormData's entries) -> a draft, as forms.draft_from_form. */
export function draftFromEntries(entries) {
  const fields = new Map();
  for (const [name, value] of entries) {
    if (!fields.has(name)) fields.set(name, []);
    fields.get(name).push(String(value));
  }
  const first = (key, fallback = "") => (fields.has(key) ? fields.get(key)[0] : fallback);
  const all = (key) => fields.get(key) || [];
  const paths = [...fields.keys()].filter((k) => k.endsWith(":kind")).map((k) => k.slice(0, -5))
    .filter((p) => PATH.test(p));
  const children = new Map();
  for (const path of paths) {
    const cut = path.lastIndexOf(".");
    if (cut < 0) continue;
    const parent = path.slice(0, cut);
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent).push(path);
  }
  const build = (path) => {
    let kind = first(`${path}:kind`);
    const node = { kind, not: first(`${path}:not`) === "1" };
    if (path === "0" && !GROUPS.includes(kind)) node.kind = kind = "and";
    if (GROUPS.includes(kind)) {
      const kids = (children.get(path) || []).sort((a, b) => lastIndex(a) - lastIndex(b));
      node.of = kids.map(build);
      return node;
    }
    for (const param of PARAMS[kind] || []) {
      const key = `${path}:${param}`;
      if (LISTS.has(param)) node[param] = NUMBERS.has(param) ? all(key).map(number) : all(key);
      else if (TICKS.has(param)) node[param] = first(key) === "1";
      else if (NUMBERS.has(param)) node[param] = number(first(key));
      else node[param] = first(key);
    }
    return node;
  };
  return build("0");
}

/** A draft -> a tree (not yet checked), leaving out conditions whose kind is not chosen. */
export function treeFromDraft(draft) {
  const kind = draft.kind;
  let tree;
  if (GROUPS.includes(kind)) {
    tree = { kind, of: draft.of.filter((c) => c.kind).map(treeFromDraft) };
  } else if (kind === "door_outcome" || kind === "phone_outcome") {
    tree = { kind: "outcome", channel: kind.split("_")[0], codes: draft.codes || [], latest: draft.latest || false };
  } else {
    tree = { kind };
    for (const param of PARAMS[kind] || []) {
      let value = draft[param];
      if (param === "from" || param === "to") value = value || null;  // an empty date box: no limit
      else if (param === "channel") value = value || "any";
      tree[param] = value === undefined ? null : value;
    }
  }
  return draft.not ? { kind: "not", of: tree } : tree;
}

export function treeFromEntries(entries) {
  return treeFromDraft(draftFromEntries(entries));
}
