// Tells clients the session timeout in words ("2 minutes") and counts the requests it answered.
import http from "http";
import ms from "ms";

const TIMEOUT_MS = 120_000;
let requests = 0;

http
  .createServer((_req, res) => {
    requests += 1;
    res.end(`session timeout: ${ms(TIMEOUT_MS, { long: true })}, requests: ${requests}\n`);
  })
  .listen(Number(process.env.PORT ?? 3000));
