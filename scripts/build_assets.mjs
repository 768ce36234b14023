// Copies the pinned npm packages Shiraka serves into shiraka/static/vendor/ (git-ignored).
import { cpSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const target = join(root, "shiraka", "static", "vendor");
const files = [
  ["bootstrap/dist/css/bootstrap.min.css", "bootstrap/bootstrap.min.css"],
  ["bootstrap/dist/css/bootstrap.rtl.min.css", "bootstrap/bootstrap.rtl.min.css"],
  ["bootstrap/dist/js/bootstrap.bundle.min.js", "bootstrap/bootstrap.bundle.min.js"],
  ["htmx.org/dist/htmx.min.js", "htmx/htmx.min.js"],
];
rmSync(target, { recursive: true, force: true });
for (const [source, destination] of files) {
  const to = join(target, destination);
  mkdirSync(dirname(to), { recursive: true });
  cpSync(join(root, "node_modules", source), to);
}
console.log(`front-end assets: ${files.length} files in shiraka/static/vendor`);
