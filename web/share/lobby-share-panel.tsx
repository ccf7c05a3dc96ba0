// Sharing a lobby's result: "Save the lobby report" puts one JSON of the whole lobby (common/lobby-report.ts: every
// member, every cell, this page's own pairs' full reports) on the server and shows its permalink and QR code;
// "Download JSON" saves the same file locally. A lobby has no single moment when it is complete (people join and
// leave), so saving is on demand; the saved copy masks private addresses unless asked not to.
import { useState } from 'react';
import type { LobbyReport } from '../../common/lobby-report';
import type { ConnectivityReport } from '../../common/report';
import { buildLobbyReport } from '../lobby/lobby-matrix-report';
import type { LobbyStore } from '../lobby/lobby-store';
import { buildReport } from '../report/build-report';
import { downloadReport } from '../report/raw-report';
import { QrCode } from './qr-code';
import '../report/link-quality.css';
import { postReport, saveFailedText, type PostReport } from './report-saver';

/** The lobby report from the store as it is now. */
export function lobbyReportNow(store: LobbyStore, now = Date.now()): LobbyReport {
  const s = store.getState();
  const pairReports = new Map<string, ConnectivityReport>();
  for (const [peerId, pair] of s.pairStores) pairReports.set(peerId, buildReport(pair.getState()));
  // The lobby's start is the earliest of this page's pair tests, when there is one.
  const createdAt = Math.min(now, ...[...pairReports.values()].map((r) => r.createdAt));
  return buildLobbyReport({ state: s, pairReports, createdAt, savedAt: now });
}

type Save = { state: 'idle' } | { state: 'saving' } | { state: 'saved'; url: string; redacted: boolean } | { state: 'failed'; error: string };

export function LobbySharePanel({ store, post = postReport }: { store: LobbyStore; post?: PostReport<LobbyReport> }) {
  const [redact, setRedact] = useState(true);
  const [save, setSave] = useState<Save>({ state: 'idle' });
  const saveNow = () => {
    setSave({ state: 'saving' });
    post({ report: lobbyReportNow(store), redact }).then(
      (r) => setSave({ state: 'saved', url: r.url, redacted: r.redacted }),
      (err: unknown) => setSave({ state: 'failed', error: saveFailedText(err) }),
    );
  };
  const permalink = save.state === 'saved' ? `${location.origin}${save.url}` : null;
  return (
    <section className="share lobby-share-report" data-testid="lobby-share">
      <div>
        <h2>Share the lobby's result</h2>
        <label className="toggle">
          <input type="checkbox" data-testid="lobby-redact-toggle" checked={redact} onChange={(e) => setRedact(e.currentTarget.checked)} /> Mask private addresses (10.x, 192.168.x,
          172.16–31.x, 100.64.x, fd00::, fe80::) in the saved copy
        </label>
        <div className="row">
          <button type="button" data-testid="lobby-save" disabled={save.state === 'saving'} onClick={saveNow}>
            {save.state === 'saved' ? 'Save again (as it is now)' : 'Save the lobby report'}
          </button>
          <button type="button" data-testid="lobby-download-json" onClick={() => downloadReport(lobbyReportNow(store))}>
            Download JSON
          </button>
        </div>
        {save.state === 'saving' && <p className="hint">Saving the lobby report…</p>}
        {save.state === 'failed' && (
          <p className="warn" data-testid="lobby-share-error">
            {save.error}
          </p>
        )}
        {permalink && (
          <div className="permalink">
            <input readOnly value={permalink} data-testid="lobby-permalink" onFocus={(e) => e.currentTarget.select()} />
            <a href={save.state === 'saved' ? save.url : undefined} target="_blank" rel="noreferrer" data-testid="lobby-permalink-open">
              Open
            </a>
            <span className="hint">{save.state === 'saved' && save.redacted ? 'private addresses masked' : 'addresses kept as they are'}</span>
          </div>
        )}
        {!permalink && <p className="hint">The saved copy gets a link you can send (it expires after a while); it shows the matrix as it is when you save.</p>}
      </div>
      {permalink && <QrCode text={permalink} caption="Scan to open the saved lobby report on a phone" testId="lobby-report-qr" />}
    </section>
  );
}
