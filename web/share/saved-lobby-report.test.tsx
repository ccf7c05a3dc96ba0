import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sampleLobbyReport } from '../../common/testdata/sample-lobby-report';
import { readSavedLobbyReport, SavedLobbyReport } from './saved-lobby-report';

afterEach(() => vi.unstubAllGlobals());

describe('a saved lobby report on its permalink', () => {
  it('renders the matrix, summary and host choice rebuilt from the saved members and links', () => {
    vi.stubGlobal('location', { href: 'http://p2pcheck.test/report/abc', origin: 'http://p2pcheck.test' });
    const html = renderToStaticMarkup(<SavedLobbyReport body={JSON.parse(JSON.stringify({ ...sampleLobbyReport(), redacted: true }))} />);
    expect(html).toContain('data-kind="lobby"');
    expect(html).toContain('A saved p2pcheck lobby report (read-only) of 3 peers (2 present when it was saved)');
    expect(html).toContain('Private addresses are masked.');
    expect(html).toMatch(/data-testid="lobby-cell-a-b"[^>]*data-path="p2p-nat"/);
    expect(html).toMatch(/data-testid="lobby-cell-c-a"[^>]*data-path="relay-udp"[^>]*data-state="left"/);
    // Two present (Ana, Bo): one link, direct; Cy left.
    expect(html).toContain('data-testid="lobby-headline">the link works (1 direct)</p>');
    expect(html).toContain('Cy left: that peer\u2019s links are kept in the matrix, marked.');
    expect(html).toMatch(/data-testid="lobby-host" data-state="tie"/);
  });

  it('refuses what it cannot read, naming the field, instead of drawing half a matrix', () => {
    expect(readSavedLobbyReport(sampleLobbyReport()).ok).toBe(true);
    const newer = readSavedLobbyReport({ ...sampleLobbyReport(), version: 2 });
    expect(newer).toMatchObject({ ok: false });
    expect(!newer.ok && newer.error).toMatch(/^it is not a lobby report this page can read \(version: /);
    const html = renderToStaticMarkup(<SavedLobbyReport body={{ kind: 'lobby', version: 1 }} />);
    expect(html).toContain('data-testid="saved-report-error"');
    expect(html).not.toContain('lobby-matrix');
  });
});
