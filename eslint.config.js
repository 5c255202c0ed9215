// ESLint flat config for app/static (scripts/test: `eslint app/static --ignore-pattern vendor`).
// The tools live in .tools/node_modules (installed by scripts/test), so resolve them from there.
import { createRequire } from "node:module";

const require = createRequire(new URL("./.tools/package.json", import.meta.url));
const js = require("@eslint/js");
const globals = require("globals");

export default [
  { ignores: ["app/static/vendor/**", ".tools/**", ".venv/**", "node_modules/**"] },
  js.configs.recommended,
  {
    // Pages load these as ES modules: imports, no globals of our own.
    files: ["app/static/**/*.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: { ...globals.browser } },
    rules: { "no-unused-vars": ["error", { args: "none", caughtErrors: "none" }] },
  },
  {
    // Leaflet's one global (vendor/leaflet/leaflet.js, a classic script loaded before these).
    files: ["app/static/canvass/map.js", "app/static/organiser/turfmap.js", "app/static/organiser/turf-draw.js",
            "app/static/maps/legwork-map.js", "app/static/events/location-map.js"],
    languageOptions: { globals: { L: "readonly" } },
  },
  {
    // A classic script: folium's generated inline code calls window.LegworkMap (see the file's comment).
    files: ["app/static/maps/legwork-map.js"],
    languageOptions: { sourceType: "script" },
  },
  {
    // The service worker stays a classic worker script (self.LEGWORK is prepended by its route).
    files: ["app/static/canvass/sw.js"],
    languageOptions: { sourceType: "script", globals: { ...globals.serviceworker } },
  },
  {
    files: ["tests/js/**/*.mjs", "eslint.config.js"],
    languageOptions: { sourceType: "module", globals: { ...globals.node } },
  },
];
