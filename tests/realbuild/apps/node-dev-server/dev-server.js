// A development server in the way webpack-dev-server and `next dev` work: on start it compiles the
// pages into node_modules/.cache (and keeps a build id in .cache/), then serves the compiled pages.
const fs = require("fs");
const http = require("http");
const path = require("path");
const ms = require("ms");

const cacheDir = path.join(__dirname, "node_modules", ".cache", "dev-server");
const stateDir = path.join(__dirname, ".cache");
fs.mkdirSync(cacheDir, { recursive: true });
fs.mkdirSync(stateDir, { recursive: true });

for (const page of fs.readdirSync(path.join(__dirname, "pages"))) {
  const source = fs.readFileSync(path.join(__dirname, "pages", page), "utf8");
  const compiled = source.replace(/\{\{ttl\}\}/g, String(ms("2 days")));
  fs.writeFileSync(path.join(cacheDir, page), compiled);
}
fs.writeFileSync(path.join(stateDir, "build-id"), "dev\n");

http
  .createServer((req, res) => {
    const page = req.url === "/" ? "index.html" : req.url.slice(1);
    const file = path.join(cacheDir, path.basename(page));
    if (!fs.existsSync(file)) {
      res.writeHead(404);
      res.end("not found\n");
      return;
    }
    res.writeHead(200, { "Content-Type": "text/html" });
    res.end(fs.readFileSync(file));
  })
  .listen(3000, "0.0.0.0");
