import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { both, link, lobbyState } from './lobby-matrix-fixtures';
import { LobbyResultsView } from './lobby-matrix-view';

const state = () =>
  lobbyState(
    [
      { id: 'a', name: 'Ana', nat: 'full-cone', self: true },
      { id: 'b', name: 'Bo', nat: 'symmetric' },
      { id: 'c', name: 'Cy', nat: 'port-restricted-cone' },
      { id: 'd', name: 'Di', nat: 'full-cone', left: true },
    ],
    [...both('a', 'b', 'p2p-nat', 12), ...both('a', 'c', 'p2p-nat', 20), ...both('b', 'c', 'relay-udp', 40), ['a', 'd', link(null, null, 'failed')]],
  );

const render = () => renderToStaticMarkup(<LobbyResultsView input={state()} pairReport={() => null} />);
const attrs = (html: string, testId: string) => new RegExp(`<td[^>]*data-testid="${testId}"[^>]*>`).exec(html)?.[0] ?? '';

describe('lobby matrix view', () => {
  it('renders an N×N table: one cell per ordered pair with its path, state, agreement and prediction marks', () => {
    const html = render();
    for (const [r, c, path] of [['a', 'b', 'p2p-nat'], ['b', 'a', 'p2p-nat'], ['b', 'c', 'relay-udp'], ['c', 'b', 'relay-udp'], ['a', 'd', 'failed']] as const) {
      expect(attrs(html, `lobby-cell-${r}-${c}`)).toContain(`data-path="${path}"`);
    }
    expect(attrs(html, 'lobby-cell-b-c')).toContain('data-agree="agree"');
    expect(attrs(html, 'lobby-cell-a-d')).toContain('data-state="left"');
    expect(html).not.toContain('lobby-cell-a-a');
    expect(html.match(/data-testid="lobby-cell-/g)).toHaveLength(12);
    expect(html).toMatch(/data-testid="lobby-col-d" data-left="true"/);
    expect(html).toContain('aria-label="Bo and Cy: relayed via TURN (UDP); round trip 40.0 ms; both sides agree"');
    // Bo and Di never connected before Di left: the cell says so rather than "connecting…".
    expect(html).toMatch(/data-testid="lobby-cell-b-d"[^>]*data-path="pending"[^>]*data-state="left"[^>]*><button[^>]*><span class="lobby-cell-path">left<\/span>/);
  });

  it('shows the summary and the host choice above it', () => {
    const html = render();
    expect(html).toContain('data-testid="lobby-headline">all 3 links work (2 direct, 1 relayed)</p>');
    expect(html).toContain('Bo (symmetric NAT) and Cy (port-restricted cone NAT) cannot connect directly: relayed through TURN.');
    expect(html).toMatch(/data-testid="lobby-host" data-state="chosen" data-hosts="a"/);
    expect(html).toContain('Best host: Ana');
  });
});
