// How the app's Node process is started: `npm start`, the systemd unit (docs/deploy) and the
// child Litestream runs (start.ts) all pass these; test/ops/node-flags.test.ts keeps them equal.
// A young generation of 4 MB semi-spaces instead of V8's 16 MB: the request thread makes short-lived
// garbage fast, and with the default it held up to ~100 MB more of it between collections while a
// 50,000-row import ran beside it (BENCHMARKS.md, Import); scavenges stay cheap at this size.
export const APP_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];
