// Starts telegram-test-api for `go test ./e2e` on a free loopback port and
// prints {"url": "..."} on one stdout line once it listens; the Go test
// reads that line instead of guessing a port. The emulator stops when its
// stdin closes, so it cannot outlive the test that started it.
'use strict';

const TelegramServer = require('telegram-test-api');

// storeTimeout is in seconds: the emulator drops recorded messages older
// than that every storeTimeout, and the test reads them until it ends.
const server = new TelegramServer({ host: '127.0.0.1', storeTimeout: 3600 });
// normalizeConfig turns port 0 into 9000; ask the OS for a free port instead.
server.config.port = 0;

// A webhook delivery that fails rejects a promise nobody awaits (the
// emulator answers the client before it posts to the webhook); Node would
// exit on it. Report it and keep running: the Go test then fails on the
// missing reply and prints this stderr.
process.on('unhandledRejection', (err) => {
  console.error(`emulator: unhandled rejection: ${(err && err.stack) || err}`);
});

let stopping = false;
function stop() {
  if (stopping) {
    return;
  }
  stopping = true;
  server.stop().finally(() => process.exit(0));
}

server.start().then(() => {
  const { port } = server.server.address();
  server.config.apiURL = `http://127.0.0.1:${port}`;
  process.stdout.write(`${JSON.stringify({ url: server.config.apiURL })}\n`);
}, (err) => {
  console.error(`emulator: cannot start: ${(err && err.stack) || err}`);
  process.exit(1);
});

process.stdin.on('end', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
