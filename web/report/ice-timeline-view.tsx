// Draws buildIceTimeline's rows on one time axis (plain HTML, no chart library: it is part of the first load).
import { useMemo } from 'react';
import type { ConnectivityReport } from '../../common/report';
import { buildIceTimeline, type TimelineRow } from '../timeline/ice-timeline';
import { ms } from '../format/milliseconds';
import { missingRelayText } from './relay-coverage';
import './link-quality.css';

const GROUP_TITLES: Record<TimelineRow['group'], string> = {
  milestones: 'Milestones',
  local: 'Candidates gathered (this side)',
  remote: 'Candidates received (other side)',
  servers: 'STUN/TURN servers',
  pairs: 'Candidate pair checks',
  path: 'Selected path',
};


export function IceTimelineView({ report }: { report: ConnectivityReport }) {
  const tl = useMemo(() => buildIceTimeline(report, { relayMissing: missingRelayText(report) }), [report]);
  if (report.startedAt == null && tl.rows.length <= 1) return null;
  const pos = (at: number) => `${Math.min(100, Math.max(0, (at / tl.endAt) * 100))}%`;
  let group: TimelineRow['group'] | null = null;
  return (
    <section className="ice-timeline" data-testid="ice-timeline">
      <h2>ICE timeline</h2>
      {tl.story.length > 0 && (
        <ul className="timeline-story" data-testid="timeline-story">
          {tl.story.map((s) => (
            <li key={s}>{s}</li>
          ))}
        </ul>
      )}
      <div className="timeline" role="img" aria-label="ICE negotiation over time">
        {tl.rows.map((row) => {
          const header = row.group !== group ? GROUP_TITLES[row.group] : null;
          group = row.group;
          return (
            <div key={row.id}>
              {header && row.group !== 'milestones' && <div className="tl-group">{header}</div>}
              <div className="tl-row" data-testid={`tl-${row.id}`}>
                <span className="tl-label" title={row.label}>
                  {row.label}
                </span>
                <div className="tl-track">
                  {row.spans.map((s, i) => (
                    <span
                      key={`s${i}`}
                      className={`tl-span tone-${s.tone}`}
                      style={{ left: pos(s.from), width: `calc(${pos(s.to ?? tl.endAt)} - ${pos(s.from)})` }}
                      title={`${ms(s.from)}${s.to !== null ? `–${ms(s.to)}` : ' →'}: ${s.label}`}
                    />
                  ))}
                  {row.marks.map((m, i) => (
                    <span key={`m${i}`} className={`tl-mark tone-${m.tone}`} style={{ left: pos(m.at) }} title={`${ms(m.at)}: ${m.label}`} />
                  ))}
                </div>
              </div>
            </div>
          );
        })}
        <div className="tl-axis">
          <span>0</span>
          <span>{ms(tl.endAt / 2)}</span>
          <span>{ms(tl.endAt)}</span>
        </div>
      </div>
      <div className="tl-legend">
        <span style={{ ['--c' as string]: '#93c5fd' }}>checking</span>
        <span style={{ ['--c' as string]: 'var(--ok)' }}>succeeded / direct</span>
        <span style={{ ['--c' as string]: 'var(--bad)' }}>failed / no answer</span>
        <span style={{ ['--c' as string]: 'var(--warn)' }}>relayed</span>
        <span style={{ ['--c' as string]: '#9aa4b1' }}>waiting / event</span>
      </div>
      {!tl.pairTimes && report.pairs.length > 0 && <p className="hint">This report has no recorded pair events: pair rows show final states only.</p>}
      <p className="hint">Pair states are sampled every 500 ms from getStats(); hover a bar for its times.</p>
    </section>
  );
}
