// A small round-robin HTTP proxy for trying several BZPEER servers on one machine (`make
// run-many`); not for production. Usage: node scripts/round-robin-proxy.mjs <port> <upstream
// port>... Each request goes to the next upstream in turn with the client's address appended to
// X-Forwarded-For (the servers run with BZPEER_TRUSTED_PROXIES=1); each answer is logged with
// the upstream that gave it.
import http from 'node:http';

const [listen, ...upstreams] = process.argv.slice(2).map(Number);
if (!listen || upstreams.length === 0) {
  console.error('usage: node scripts/round-robin-proxy.mjs <port> <upstream port>...');
  process.exit(2);
}
let next = 0;
http
  .createServer((req, res) => {
    const port = upstreams[next++ % upstreams.length];
    const forwarded = [req.headers['x-forwarded-for'], req.socket.remoteAddress].filter(Boolean).join(', ');
    const upstream = http.request(
      { host: '127.0.0.1', port, method: req.method, path: req.url, headers: { ...req.headers, 'x-forwarded-for': forwarded } },
      (answer) => {
        res.writeHead(answer.statusCode, answer.headers);
        answer.pipe(res);
        console.log(`${req.method} ${req.url.split('?')[0]} -> :${port} ${answer.statusCode}`);
      },
    );
    upstream.on('error', (e) => {
      console.log(`${req.method} ${req.url.split('?')[0]} -> :${port} failed: ${e.message}`);
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`upstream :${port} did not answer`);
    });
    req.pipe(upstream);
  })
  .listen(listen, '127.0.0.1', () => console.log(`proxy on http://127.0.0.1:${listen} -> ${upstreams.map((p) => `:${p}`).join(', ')}`));
