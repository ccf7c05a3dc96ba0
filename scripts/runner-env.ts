// What a child process started by a test must inherit from the test runner, and nothing else (the tests set the
// p2pcheck settings they mean; a REDIS_URL or DATABASE_URL in the runner's environment must not leak in): PATH,
// and under `npm run test:node24` the hook that loads better-sqlite3's Node 24 addon (scripts/node24.ts).
export function runnerRuntimeEnv(): Record<string, string> {
  const keep = ['PATH', 'NODE_OPTIONS', 'P2PCHECK_NODE24_SQLITE_ADDON'] as const;
  return Object.fromEntries(keep.flatMap((k) => (process.env[k] === undefined ? [] : [[k, process.env[k]!]])));
}
