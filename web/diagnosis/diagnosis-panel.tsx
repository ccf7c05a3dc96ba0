// The "Check my network" result: verdict first (with the stable test hooks nat-type / nat-mapping /
// nat-filtering), then what it means and what to do, the compatibility table, reachability, the raw
// observations, TURN errors with fixes, and skipped tests. Renders what it is given; no logic of its own.
import type { DiagnosisResult } from '../../common/nat/diagnosis-result';
import { formatTransportAddress } from '../../common/net/transport-address';
import { PREDICTED_PATH_LABELS } from '../../common/nat/path-prediction';
import { REACH_LABELS, ROLE_LABELS, portSuffix } from './diagnosis-labels';

/** Why a row failed or was not tested ("failed" never stands alone). */
function Reason({ text }: { text: string | null | undefined }) {
  return text ? <span className="reach-reason">: {text}</span> : null;
}

export function DiagnosisPanel({ result, title = 'Your network', testIdPrefix = '' }: { result: DiagnosisResult | null; title?: string; testIdPrefix?: string }) {
  const id = (name: string) => `${testIdPrefix}${name}`;
  if (!result) return null;
  const v = result.verdict;
  return (
    <section className="diagnosis" data-testid={id('diagnosis')} data-state={result.state}>
      <h2>{title}</h2>
      {v ? (
        <div className={`nat-verdict nat-verdict-${v.kind}`}>
          <p className="verdict-label">
            <strong data-testid={id('nat-type')}>{v.label}</strong>
            {!v.certain && v.kind !== 'undetermined' && <span className="uncertain"> (not certain)</span>}
            {result.verdictMs !== null && <span className="muted"> — known after {(result.verdictMs / 1000).toFixed(1)} s</span>}
          </p>
          <p>{v.explanation}</p>
          <dl className="behaviors">
            <dt>Mapping</dt>
            <dd data-testid={id('nat-mapping')} data-behavior={v.mapping.behavior} title={v.mapping.evidence}>
              {v.mapping.label}
            </dd>
            <dt>Filtering</dt>
            <dd data-testid={id('nat-filtering')} data-behavior={v.filtering.behavior} title={v.filtering.evidence}>
              {v.filtering.label}
            </dd>
          </dl>
          <p className="verdict-ipv6" data-testid={id('nat-ipv6')} data-state={v.ipv6.state}>
            <strong>{v.ipv6.label}</strong> — {v.ipv6.explanation}
          </p>
          <p className="verdict-hairpin" data-testid={id('nat-hairpin')} data-state={v.hairpin.state} title={result.hairpin?.evidence}>
            {v.hairpin.label}
          </p>
          {v.caveats.length > 0 && (
            <ul className="caveats">
              {v.caveats.map((c) => (
                <li key={c}>{c}</li>
              ))}
            </ul>
          )}
          <h3>What you can do</h3>
          <ul>
            {v.advice.map((a) => (
              <li key={a}>{a}</li>
            ))}
          </ul>
        </div>
      ) : (
        <p data-testid={id('nat-type')} className="muted">
          {result.state === 'error' ? `The check failed: ${result.error}` : 'Checking your network…'}
        </p>
      )}

      {result.compatibility.length > 0 && (
        <>
          <h3>Who can connect directly with this network</h3>
          <table className="compatibility" data-testid={id('nat-compatibility')}>
            <thead>
              <tr>
                <th>The other peer has</th>
                <th>Expected path</th>
              </tr>
            </thead>
            <tbody>
              {result.compatibility.map((row) => (
                <tr key={row.peer} data-peer={row.peer} data-path={row.prediction.path}>
                  <td>{row.label}</td>
                  <td title={row.prediction.reason}>{PREDICTED_PATH_LABELS[row.prediction.path]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}

      <h3>Reachability</h3>
      <dl className="reachability" data-testid={id('nat-reachability')}>
        <dt>UDP to the server</dt>
        <dd data-value={result.reachability.udp} data-row="udp">
          {REACH_LABELS[result.reachability.udp]}
          {result.reachability.udpMs !== null && ` (${result.reachability.udpMs} ms)`}
          <Reason text={result.reachability.reasons?.udp} />
        </dd>
        <dt>TURN relay over TCP{portSuffix(result.reachability.tcpRelayPort)}</dt>
        <dd data-value={result.reachability.tcpRelay} data-row="tcp-relay">
          {REACH_LABELS[result.reachability.tcpRelay]}
          <Reason text={result.reachability.reasons?.tcpRelay} />
        </dd>
        <dt>TURN relay over TLS{portSuffix(result.reachability.tlsRelayPort)}</dt>
        <dd data-value={result.reachability.tlsRelay} data-row="tls-relay">
          {REACH_LABELS[result.reachability.tlsRelay]}
          <Reason text={result.reachability.reasons?.tlsRelay} />
        </dd>
        <dt>IPv6</dt>
        <dd data-value={result.reachability.ipv6} data-row="ipv6">
          {REACH_LABELS[result.reachability.ipv6]}
          <Reason text={result.reachability.reasons?.ipv6} />
        </dd>
        <dt>Address the server saw</dt>
        <dd>{result.mappedAddress ? formatTransportAddress(result.mappedAddress) : 'unknown'}</dd>
      </dl>

      {(result.mapping.observations.length > 0 || result.filtering.observations.length > 0) && (
        <details>
          <summary>How this was measured</summary>
          <p>{result.mapping.result.evidence}.</p>
          <table>
            <thead>
              <tr>
                <th>Server endpoint</th>
                <th>Your address as seen there</th>
              </tr>
            </thead>
            <tbody>
              {result.mapping.observations.map((o) => (
                <tr key={o.role}>
                  <td>
                    {ROLE_LABELS[o.role]} <code>{o.url}</code>
                  </td>
                  <td>{o.mapped ? `${formatTransportAddress(o.mapped)}${o.inferred ? ' (same as another answer)' : ''}` : 'no answer'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>{result.filtering.result.evidence}.</p>
          <table>
            <thead>
              <tr>
                <th>Test packet sent from</th>
                <th>Got through your NAT?</th>
              </tr>
            </thead>
            <tbody>
              {result.filtering.observations.map((o) => (
                <tr key={o.role}>
                  <td>{ROLE_LABELS[o.role]}</td>
                  <td>{o.answered ? `yes (${o.rttMs} ms)` : `no (${o.sent} tries)`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}

      {result.iceErrors.length > 0 && (
        <>
          <h3>Errors from the STUN/TURN servers</h3>
          <ul data-testid={id('nat-ice-errors')}>
            {result.iceErrors.map((e) => (
              <li key={`${e.url}-${e.code}`}>
                <strong>{e.code}</strong> from <code>{e.url}</code>: {e.meaning} <em>Fix: {e.fix}</em>
              </li>
            ))}
          </ul>
        </>
      )}

      {result.skipped.length > 0 && (
        <ul className="skipped muted" data-testid={id('nat-skipped')}>
          {result.skipped.map((s) => (
            <li key={s.test + s.reason}>
              Skipped {s.test}: {s.reason}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
