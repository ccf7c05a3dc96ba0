// The lobby's answers and its N×N matrix: the summary and host-choice panels above an accessible table, and the
// details of the cell picked below it (for a pair this page is part of, that pair's full report). Renders the
// models (lobby-matrix.ts, lobby-summary.ts, host-choice.ts) of whatever it is given: the live lobby store
// (LobbyMatrix) or a saved lobby report (read-only). Never touches sockets or RTCPeerConnections.
import { memo, useMemo, useState, type ReactNode } from 'react';
import type { LinkSummary } from '../../common/messages';
import { PATH_LABELS } from '../../common/path-kind';
import { ReportView } from '../report/report-view';
import { ms, rttMs } from '../format/milliseconds';
import { useLiveReportOf } from '../room/use-report';
import type { AppStore } from '../store/app-store';
import { chooseHost, type HostChoice } from './host-choice';
import { buildLobbyMatrix, CELL_PATH_LABELS, cellPathTitle, reachText, type LobbyMatrix, type MatrixCell, type MatrixInput, type MatrixMember } from './lobby-matrix';
import { useLobby, type LobbyStore } from './lobby-store';
import { summarizeLobby, type LobbySummary } from './lobby-summary';

/** The live lobby: reads the store with narrow selectors; a cell of this page's own pair opens its live report. */
export function LobbyMatrix({ store }: { store: LobbyStore }) {
  const members = useLobby(store, (s) => s.members);
  const links = useLobby(store, (s) => s.links);
  const selfId = useLobby(store, (s) => s.selfId);
  const pairStores = useLobby(store, (s) => s.pairStores);
  const input = useMemo(() => ({ members, links, selfId }), [members, links, selfId]);
  return (
    <LobbyResultsView
      input={input}
      pairReport={(peerId) => {
        const pair = pairStores.get(peerId);
        return pair ? <LivePairReport key={peerId} store={pair} /> : null;
      }}
    />
  );
}

// Memoised: the lobby store changes several times a second (every member's link summaries), and re-rendering a
// whole report (tables, charts, raw JSON) on each of those kept a loaded renderer from answering input. The report
// itself refreshes at its own pace (useLiveReportOf).
const LivePairReport = memo(function LivePairReport({ store }: { store: AppStore }) {
  const report = useLiveReportOf(store);
  return <ReportView report={report} />;
});

/**
 * Summary, host choice, matrix and the picked cell's details. `pairReport` renders the full report of this
 * page's pair with a peer (null when there is none).
 */
export function LobbyResultsView({ input, pairReport, readOnly = false }: { input: MatrixInput; pairReport: (peerId: string) => ReactNode; readOnly?: boolean }) {
  const matrix = useMemo(() => buildLobbyMatrix(input), [input]);
  const summary = useMemo(() => summarizeLobby(matrix), [matrix]);
  const host = useMemo(() => chooseHost(matrix), [matrix]);
  const [picked, setPicked] = useState<readonly [string, string] | null>(null);
  const cell = picked ? matrix.cell(picked[0], picked[1]) : undefined;
  const selfId = matrix.members.find((m) => m.self)?.peerId ?? null;
  const pick = (a: string, b: string) => setPicked((p) => (p && p[0] === a && p[1] === b ? null : [a, b]));
  return (
    <div className="lobby-results">
      <SummaryPanel summary={summary} />
      <HostPanel host={host} />
      <section className="lobby-matrix-section">
        <h2>Who reaches whom</h2>
        <MatrixTable matrix={matrix} picked={picked} onPick={pick} />
        <p className="hint">
          Each cell is one pair's link, as both sides report it: the path it settled on, its round-trip time, <span aria-hidden="true">=</span> both sides agree,{' '}
          <span aria-hidden="true">≠</span> they see different paths, <span aria-hidden="true">!</span> not the path their NAT types predict.{' '}
          {readOnly ? 'Pick a cell for the details.' : 'Pick a cell for the details; a cell of your own links opens that link\u2019s full report.'}
        </p>
      </section>
      {cell && <CellDetails matrix={matrix} cell={cell} selfId={selfId} pairReport={pairReport} onClose={() => setPicked(null)} />}
    </div>
  );
}

export function SummaryPanel({ summary }: { summary: LobbySummary }) {
  const { counts } = summary;
  const tone = counts.failed > 0 ? 'bad' : counts.pending > 0 || counts.total === 0 ? 'pending' : counts.relayed > 0 ? 'relay' : 'direct';
  return (
    <section className={`lobby-summary lobby-summary-${tone}`} data-testid="lobby-summary" aria-live="polite" data-total={counts.total} data-direct={counts.direct} data-relayed={counts.relayed} data-failed={counts.failed} data-pending={counts.pending}>
      <p className="lobby-headline" data-testid="lobby-headline">
        {summary.headline}
      </p>
      {summary.blocked.length > 0 && (
        <ul className="lobby-blocked" data-testid="lobby-blocked">
          {summary.blocked.map((line) => (
            <li key={line}>{line}.</li>
          ))}
        </ul>
      )}
      {summary.mismatches.length > 0 && (
        <ul className="lobby-mismatches" data-testid="lobby-mismatches">
          {summary.mismatches.map((line) => (
            <li key={line}>{line}.</li>
          ))}
        </ul>
      )}
      {summary.left && <p className="hint">{summary.left}.</p>}
    </section>
  );
}

export function HostPanel({ host }: { host: HostChoice }) {
  return (
    <section className={`lobby-host lobby-host-${host.state}`} data-testid="lobby-host" data-state={host.state} data-hosts={host.hosts.join(' ')} aria-live="polite">
      <h2>{host.headline}</h2>
      <p>{host.reasoning}</p>
      <p className="hint">The host of a game or call should reach everyone directly, with the lowest worst-case round trip.</p>
    </section>
  );
}

function MemberHeader({ m, scope }: { m: MatrixMember; scope: 'col' | 'row' }) {
  return (
    <th scope={scope} className={`lobby-member${m.left ? ' left' : ''}${m.self ? ' self' : ''}`} data-testid={`lobby-${scope}-${m.peerId}`} data-left={m.left ? 'true' : 'false'} data-nat={m.natKind ?? 'unknown'}>
      <span className="lobby-member-name">{m.name}</span>
      {m.self && <span className="badge">you</span>}
      {m.left && <span className="badge left-mark">left</span>}
      <span className="lobby-member-nat">{m.natLabel}</span>
      {scope === 'row' && <span className="lobby-member-reach">{reachText(m.reach)}</span>}
    </th>
  );
}

function cellWords(cell: MatrixCell, a: MatrixMember, b: MatrixMember): string {
  const parts = [`${a.name} and ${b.name}: ${cellPathTitle(cell.path)}`];
  if (cell.rttMs !== null) parts.push(`round trip ${rttMs(cell.rttMs)}`);
  if (cell.agreement === 'agree') parts.push('both sides agree');
  if (cell.agreement === 'disagree') parts.push('the two sides see different paths');
  if (cell.agreement === 'one-side') parts.push('only one side has settled');
  if (cell.mismatch) parts.push(`their NAT types predict ${cell.prediction!.predictedLabel}`);
  if (cell.state === 'left') parts.push('one of them left');
  return parts.join('; ');
}

function MatrixTable({ matrix, picked, onPick }: { matrix: LobbyMatrix; picked: readonly [string, string] | null; onPick: (a: string, b: string) => void }) {
  const { members } = matrix;
  if (members.length === 0) return <p className="hint">Nobody here yet.</p>;
  return (
    <div className="table-wrap">
      <table className="lobby-matrix" data-testid="lobby-matrix">
        <caption className="visually-hidden">Each peer's link to each other peer</caption>
        <thead>
          <tr>
            <td />
            {members.map((m) => (
              <MemberHeader key={m.peerId} m={m} scope="col" />
            ))}
          </tr>
        </thead>
        <tbody>
          {members.map((row) => (
            <tr key={row.peerId}>
              <MemberHeader m={row} scope="row" />
              {members.map((col) => {
                if (col === row) return <td key={col.peerId} className="lobby-cell lobby-cell-self" aria-label="same peer" />;
                const cell = matrix.cell(row.peerId, col.peerId)!;
                const isPicked = picked !== null && picked[0] === row.peerId && picked[1] === col.peerId;
                return (
                  <td
                    key={col.peerId}
                    className={`lobby-cell path-${cell.route ?? cell.path} state-${cell.state}${cell.mismatch ? ' mismatch' : ''}${isPicked ? ' picked' : ''}`}
                    data-testid={`lobby-cell-${row.peerId}-${col.peerId}`}
                    data-path={cell.path === 'none' ? 'failed' : cell.path}
                    data-state={cell.state}
                    data-agree={cell.agreement}
                    data-mismatch={cell.mismatch ? 'true' : 'false'}
                  >
                    <button type="button" aria-pressed={isPicked} aria-label={cellWords(cell, row, col)} title={cellWords(cell, row, col)} onClick={() => onPick(row.peerId, col.peerId)}>
                      {/* A pair that never settled before one of them left is not "connecting" any more. */}
                      <span className="lobby-cell-path">{cell.state === 'left' && cell.path === 'pending' ? 'left' : CELL_PATH_LABELS[cell.path]}</span>
                      {cell.rttMs !== null && <span className="lobby-cell-rtt">{ms(cell.rttMs)}</span>}
                      <span className="lobby-cell-marks" aria-hidden="true">
                        {cell.agreement === 'agree' ? '=' : cell.agreement === 'disagree' ? '≠' : ''}
                        {cell.mismatch ? '!' : ''}
                      </span>
                    </button>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const STATE_WORDS: Record<LinkSummary['state'], string> = { connecting: 'connecting', connected: 'connected', failed: 'failed', closed: 'closed' };

function SideRow({ from, to, s }: { from: MatrixMember; to: MatrixMember; s: LinkSummary | null }) {
  return (
    <tr>
      <th scope="row">
        {from.name} about {to.name}
      </th>
      {s ? (
        <>
          <td>{STATE_WORDS[s.state]}</td>
          <td>{s.path ? PATH_LABELS[s.path] : '—'}</td>
          <td className="num">{rttMs(s.rttMs)}</td>
          <td className="num">{rttMs(s.jitterMs)}</td>
          <td className="num">{s.lossPct === null ? '—' : `${s.lossPct.toFixed(1)} %`}</td>
        </>
      ) : (
        <td colSpan={5} className="hint">
          nothing reported yet
        </td>
      )}
    </tr>
  );
}

function CellDetails({ matrix, cell, selfId, pairReport, onClose }: { matrix: LobbyMatrix; cell: MatrixCell; selfId: string | null; pairReport: (peerId: string) => ReactNode; onClose: () => void }) {
  const a = matrix.members.find((m) => m.peerId === cell.a)!;
  const b = matrix.members.find((m) => m.peerId === cell.b)!;
  const other = selfId === cell.a ? b : selfId === cell.b ? a : null;
  const full = other ? pairReport(other.peerId) : null;
  const p = cell.prediction;
  return (
    <section className="lobby-cell-details" data-testid="lobby-cell-details" data-pair={`${cell.a}-${cell.b}`}>
      <div className="row">
        <h2>
          {a.name} ↔ {b.name}: {cellPathTitle(cell.path)}
        </h2>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th>What each side reported</th>
              <th>State</th>
              <th>Path</th>
              <th>RTT</th>
              <th>Jitter</th>
              <th>Loss</th>
            </tr>
          </thead>
          <tbody>
            <SideRow from={a} to={b} s={cell.fromA} />
            <SideRow from={b} to={a} s={cell.fromB} />
          </tbody>
        </table>
      </div>
      <p data-testid="lobby-cell-agreement">
        {cell.agreement === 'agree' && 'Both sides see the same path.'}
        {cell.agreement === 'disagree' && 'The two sides see different paths (one of them sends through a relay): the cell shows the relayed one.'}
        {cell.agreement === 'one-side' && 'Only one side has settled on a path so far.'}
        {cell.agreement === 'unknown' && 'Neither side has settled on a path yet.'}
      </p>
      <p data-testid="lobby-cell-prediction">
        {p
          ? `From their NAT types (${a.natPhrase}, ${b.natPhrase}): ${p.predictedLabel} — ${p.prediction.reason}.`
          : `No prediction until both have checked their network (${a.name}: ${a.natPhrase}; ${b.name}: ${b.natPhrase}).`}
        {p?.note && <strong className="disagreement"> {p.note}</strong>}
      </p>
      {other && full && (
        <div className="lobby-pair-report" data-testid="lobby-pair-report">
          <h2>Your link with {other.name}: the full report</h2>
          {full}
        </div>
      )}
      {other && !full && <p className="hint">The full report of this link is not available here.</p>}
    </section>
  );
}
