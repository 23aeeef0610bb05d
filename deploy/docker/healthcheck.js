// Docker HEALTHCHECK without curl (slim images have none): GET /healthz on HTTP_PORT.
// Exit 0 when it answers 2xx within the timeout, 1 otherwise. Kubernetes uses its own probes.
'use strict';
const http = require('node:http');

const port = Number(process.env.HTTP_PORT || 8080);
const req = http.get({ host: '127.0.0.1', port, path: '/healthz', timeout: 4000 }, (res) => {
  res.resume();
  process.exit(res.statusCode >= 200 && res.statusCode < 300 ? 0 : 1);
});
req.on('timeout', () => req.destroy(new Error('timeout')));
req.on('error', () => process.exit(1));
