import express from "express";
import fs from "fs";
import path from "path";

const dataDir = path.join(process.cwd(), "data");
const counterFile = path.join(dataDir, "visits.txt");
fs.mkdirSync(dataDir, { recursive: true });

const app = express();

app.get("/", (_req, res) => {
  res.type("text/plain").send(`visit-counter (NODE_ENV=${process.env.NODE_ENV ?? "unset"})\n`);
});

app.get("/visit", (_req, res) => {
  const count = fs.existsSync(counterFile) ? Number(fs.readFileSync(counterFile, "utf8")) + 1 : 1;
  fs.writeFileSync(counterFile, String(count));
  res.type("text/plain").send(`visits: ${count}\n`);
});

const port = Number(process.env.PORT ?? 3000);
app.listen(port, () => console.log(`listening on ${port}`));
