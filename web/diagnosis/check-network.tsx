// Landing page: "Check my network" with one browser — runs the diagnosis and shows it, plus the result as JSON
// (`<pre data-testid="diagnosis-json">`) for tests and for copying into a bug report.
import { appStore, useAppStore } from '../store/app-store';
import { customIceServersFromUrl, startDiagnosis } from './diagnosis-controller';
import { DiagnosisPanel } from './diagnosis-panel';
import { RegionRankingPanel } from './region-ranking-panel';

export function CheckNetwork() {
  const result = useAppStore((s) => s.diagnosis.local);
  const running = useAppStore((s) => s.diagnosis.running);
  const custom = customIceServersFromUrl(window.location.search);
  const start = () => {
    void startDiagnosis(appStore, { customIceServers: custom.servers });
  };
  return (
    <section className="check-network">
      <button type="button" onClick={start} disabled={running} data-testid="check-network">
        {running ? 'Checking your network…' : result ? 'Check again' : 'Check my network'}
      </button>
      <span className="muted"> No second person needed: finds your NAT type and what it means for peer-to-peer.</span>
      {custom.error && <p className="error">{custom.error}</p>}
      {custom.servers && <p className="muted">Using the ICE servers from the link; the NAT type tests need p2pcheck&apos;s own server and are skipped.</p>}
      <RegionRankingPanel choice={result?.regions} />
      <DiagnosisPanel result={result} />
      {result && result.state !== 'running' && (
        <details>
          <summary>Raw result</summary>
          <pre data-testid="diagnosis-json">{JSON.stringify(result, null, 2)}</pre>
        </details>
      )}
    </section>
  );
}
