// Package e2e runs the hotline against telegram-test-api, a Bot API
// emulator written by someone else (npm, pinned in emulator/package-lock.json),
// so that the end-to-end tests do not only agree with our own stand-in,
// botsim. It holds tests only; `cd e2e/emulator && npm ci` installs the
// emulator, and without it (or without node) the test skips and says so.
//
// The emulator's limits, and how the test works around them:
//   - it parses only JSON and urlencoded bodies, and go-telegram/bot sends
//     multipart/form-data: the test's RoundTripper re-encodes each call;
//   - its getUpdates ignores offset and timeout: the hotline runs in
//     webhook mode;
//   - it never sends the webhook's secret header: the test's front door
//     adds it, as Telegram would;
//   - it echoes nested fields of sendMessage back as JSON strings: the
//     transport decodes them, as Telegram returns objects;
//   - it keeps no callback answers and has no setMyCommands: the
//     transport notes the toasts and menus itself, answering the latter.
package e2e
