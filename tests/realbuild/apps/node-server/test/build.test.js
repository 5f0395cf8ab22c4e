// Run by the testStage variant (docker build --target test), after npm run build.
const assert = require("node:assert");
const fs = require("node:fs");
const path = require("node:path");
const test = require("node:test");

test("the build wrote the server named by package.json main", () => {
  const pkg = require("../package.json");
  const main = path.join(__dirname, "..", pkg.main);
  assert.ok(fs.existsSync(main), `${main} is missing`);
  assert.match(fs.readFileSync(main, "utf8"), /listen/);
});
