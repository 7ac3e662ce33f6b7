// Sequential GETs on one kept-alive connection (what `wrk -c1` measures): requests per second and
// latency percentiles. Run against a started server: node end2end/bench/keepalive.mjs <url> [count].
import http from "node:http";
const [url, n = "200"] = process.argv.slice(2);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const get = () => new Promise((ok, bad) => {
  const t = process.hrtime.bigint();
  http.get(url, { agent }, (res) => { res.resume(); res.on("end", () => ok(Number(process.hrtime.bigint() - t) / 1e6)); }).on("error", bad);
});
const times = [];
const start = Date.now();
for (let i = 0; i < Number(n); i++) times.push(await get());
const secs = (Date.now() - start) / 1000;
times.sort((a, b) => a - b);
const q = (p) => times[Math.floor(p * (times.length - 1))].toFixed(2);
console.log(`${url}: ${n} requests in ${secs.toFixed(2)} s = ${(Number(n) / secs).toFixed(0)}/s; p50 ${q(0.5)} ms, p90 ${q(0.9)} ms, max ${q(1)} ms`);
agent.destroy();
