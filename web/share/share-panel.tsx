// Sharing a room and its result: QR code of the room link, the saved report's permalink, and the choice to
// mask private addresses in the shared copy (on by default).
import { useAppStore, appStore } from '../store/app-store';
import { QrCode } from './qr-code';
import '../report/link-quality.css';

export function SharePanel({ roomLink }: { roomLink: string }) {
  const share = useAppStore((s) => s.link.share);
  const permalink = share.url ? `${location.origin}${share.url}` : null;
  return (
    <section className="share" data-testid="share">
      <div>
        <h2>Share the result</h2>
        <label className="toggle">
          <input
            type="checkbox"
            data-testid="redact-toggle"
            checked={share.redact}
            onChange={(e) => appStore.getState().setShare({ redact: e.currentTarget.checked })}
          />{' '}
          Mask private addresses (10.x, 192.168.x, 172.16–31.x, 100.64.x, fd00::, fe80::) in the saved copy
        </label>
        {share.status === 'idle' && <p className="hint">When the test completes, the report is saved on this server and gets a link you can send (it expires after a while).</p>}
        {share.status === 'saving' && <p className="hint">Saving the report…</p>}
        {share.status === 'failed' && (
          <p className="warn" data-testid="share-error">
            {share.error}{' '}
            {/* Back to idle: the saver tries again at once. */}
            <button type="button" data-testid="share-retry" onClick={() => appStore.getState().setShare({ status: 'idle', error: null })}>
              Try again
            </button>
          </p>
        )}
        {permalink && (
          <div className="permalink">
            <input readOnly value={permalink} data-testid="permalink" onFocus={(e) => e.currentTarget.select()} />
            <a href={share.url!} target="_blank" rel="noreferrer" data-testid="permalink-open">
              Open
            </a>
            <span className="hint">{share.savedRedacted ? 'private addresses masked' : 'addresses kept as they are'}</span>
          </div>
        )}
      </div>
      <QrCode text={roomLink} caption="Scan to join this room from a phone" />
    </section>
  );
}
