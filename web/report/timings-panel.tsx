import type { ConnectivityReport } from '../../common/report';
import { ms } from '../format/milliseconds';

const TARGET_MS = 1500;

export function TimingsPanel({ report }: { report: ConnectivityReport }) {
  const t = report.timings;
  const rows: [string, number | null, string][] = [
    ['Peer joined', t.peerJoined, 'the test clock starts'],
    ['First local candidate', t.firstCandidate, 'gathering produced its first candidate'],
    ['Connected', t.connected, 'ICE and DTLS done, data channel can open'],
    ['Final path selected', t.pathSettled, `the pair that then held for ${report.path.settleMs / 1000} s`],
  ];
  return (
    <section>
      <h2>Timings</h2>
      <ol className="timings">
        {rows.map(([name, v, hint]) => (
          <li key={name} className={v === null ? 'pending' : ''}>
            <span className="timing-name">{name}</span>
            <span className="timing-value">{v === null ? '…' : `+${ms(v)}`}</span>
            <span className="timing-hint">{hint}</span>
          </li>
        ))}
      </ol>
      {t.pathSettled !== null && (
        <p className={t.pathSettled <= TARGET_MS ? 'ok' : 'warn'}>
          Path found {t.pathSettled <= TARGET_MS ? 'within' : 'later than'} the {TARGET_MS / 1000} s target.
        </p>
      )}
    </section>
  );
}
