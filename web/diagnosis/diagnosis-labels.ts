// Words for the rows of a "Check my network" result, shared by the page's panel (diagnosis-panel.tsx) and the
// command line's summary (cli/nat/nat-summary.ts), so both say the same thing.

export const ROLE_LABELS: Record<string, string> = {
  primary: 'server address, main port',
  'alt-port': 'server address, second port',
  'alt-ip': 'second server address, main port',
  'alt-ip-port': 'second server address, second port',
};

export const REACH_LABELS: Record<string, string> = {
  answered: 'works',
  'no-answer': 'blocked (no answer)',
  ok: 'works',
  failed: 'failed',
  'not-tested': 'not tested',
  'not-configured': 'not offered by the server',
  reached: 'works',
  'gathered-only': 'local IPv6 address only (not shown to reach the server)',
  none: 'no IPv6 address',
};

export const portSuffix = (port: number | null | undefined): string => (port ? ` (port ${port})` : '');
