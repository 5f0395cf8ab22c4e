// Renders content/*.md into dist/*.html.
const fs = require("fs");
const path = require("path");
const { marked } = require("marked");

fs.mkdirSync("dist", { recursive: true });
for (const file of fs.readdirSync("content")) {
  if (!file.endsWith(".md")) continue;
  const html = marked.parse(fs.readFileSync(path.join("content", file), "utf8"));
  const out = path.join("dist", file.replace(/\.md$/, ".html"));
  fs.writeFileSync(out, `<!doctype html>\n<html><body>\n${html}</body></html>\n`);
}
