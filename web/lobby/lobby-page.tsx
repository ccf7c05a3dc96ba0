// The lobby page: starts and stops the lobby session, shows the link to send (and its QR code), this
// page's name, the throughput sweep, and the matrix (the slot below). Renders the lobby store only; the session
// owns every socket and connection.
import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { LOBBY_CAPACITY } from '../../common/messages';
import { ConnectionRegionPanel } from '../diagnosis/region-ranking-panel';
import { PageHeader } from '../layout/page-header';
import { RoomLink } from '../room/room-link';
import { lobbyPath, newRoomId } from '../routing/app-route';
import { navigate } from '../routing/use-location';
import { LobbySharePanel } from '../share/lobby-share-panel';
import { QrCode } from '../share/qr-code';
import { createAppStore, type AppStore } from '../store/app-store';
import { callMark } from './call-mark';
import { linkTestMark } from './link-test-mark';
import { JOB_LABELS, jobOnLink, linkJobBusy } from './lobby-job-state';
import { LobbyMatrix } from './lobby-matrix-view';
import { startLobbySession, type LobbySession } from './lobby-session';
import { defaultPeerName } from './lobby-session-name';
import { createLobbyStore, presentMembers, settledLinks, useLobby, type LobbyStore } from './lobby-store';

export function LobbyPage({ roomId }: { roomId: string }) {
  const [store] = useState(() => createLobbyStore(roomId));
  const [session, setSession] = useState<LobbySession | null>(null);
  useEffect(() => {
    const s = startLobbySession({ roomId, store, name: defaultPeerName(navigator.userAgent) });
    setSession(s);
    return () => {
      s.stop();
      setSession(null);
    };
  }, [roomId, store]);

  const full = useLobby(store, (s) => s.full);
  const fatal = useLobby(store, (s) => s.fatal);
  const link = `${location.origin}${lobbyPath(roomId)}`;

  if (full) {
    return (
      <main className="lobby">
        <PageHeader />
        <div className="notice error" data-testid="lobby-full" role="alert">
          This lobby is full: {LOBBY_CAPACITY} browsers are already in it. Ask its organiser for a new link, or start your own lobby.
        </div>
        <button type="button" className="primary" onClick={() => navigate(lobbyPath(newRoomId()))}>
          Start a new lobby
        </button>
      </main>
    );
  }

  return (
    <main className="lobby">
      <PageHeader />
      {fatal && (
        <div className="notice error" role="alert" data-testid="fatal">
          {fatal}
        </div>
      )}
      <section className="lobby-share">
        <RoomLink link={link} label={`Send this link to everyone in the group (up to ${LOBBY_CAPACITY} browsers):`} />
        <QrCode text={link} caption="Scan to join the lobby" />
      </section>
      <NameEditor store={store} session={session} />
      <LobbyStatus store={store} />
      {session && <ConnectionRegionPanel region={session.region} />}
      <LobbyMatrix store={store} />
      <OwnLinks store={store} session={session} />
      <SweepControls store={store} session={session} />
      <LobbySharePanel store={store} />
    </main>
  );
}

function NameEditor({ store, session }: { store: LobbyStore; session: LobbySession | null }) {
  const current = useLobby(store, (s) => (s.selfId ? (s.members[s.selfId]?.name ?? '') : ''));
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const value = draft ?? current;
  return (
    <form
      className="lobby-name"
      onSubmit={(e) => {
        e.preventDefault();
        // setName answers null when the name was taken: only a missing session is "not connected".
        const problem = session ? session.setName(value) : 'Not connected yet.';
        setError(problem);
        if (!problem) setDraft(null);
      }}
    >
      <label htmlFor="lobby-name">Your name in this lobby:</label>
      <input id="lobby-name" data-testid="lobby-name" value={value} maxLength={60} onChange={(e) => setDraft(e.currentTarget.value)} />
      <button type="submit" data-testid="lobby-name-save" disabled={draft === null}>
        Save
      </button>
      {error && (
        <span className="warn" data-testid="lobby-name-error">
          {error}
        </span>
      )}
    </form>
  );
}

function LobbyStatus({ store }: { store: LobbyStore }) {
  const members = useLobby(store, useShallow(presentMembers));
  const { settled, expected } = useLobby(store, useShallow(settledLinks));
  const joined = useLobby(store, (s) => s.selfId !== null);
  return (
    <p className="lobby-status" data-testid="lobby-status" data-members={members.length} data-settled={settled} data-expected={expected}>
      {!joined
        ? 'Joining the lobby…'
        : members.length < 2
          ? 'You are the first one here: send the link to the others.'
          : `${members.length} in the lobby; ${settled} of ${expected} links settled.`}
    </p>
  );
}

/** This page's own links, one line each (until the matrix lands, and for screen readers), with the buttons that
 * queue a throughput test or relay check of that link in the lobby queue (on either end of the link). */
function OwnLinks({ store, session }: { store: LobbyStore; session: LobbySession | null }) {
  const rows = useLobby(
    store,
    useShallow((s) =>
      Object.values(s.members)
        .filter((m) => !m.self)
        .map((m) => {
          const own = s.selfId ? s.links[s.selfId]?.[m.peerId] : undefined;
          return `${m.peerId}\u0000${m.name}\u0000${m.leftAt === null ? '' : 'left'}\u0000${own?.state ?? 'connecting'}\u0000${own?.path ?? ''}\u0000${own?.rttMs ?? ''}`;
        }),
    ),
  );
  const pairStores = useLobby(store, (s) => s.pairStores);
  if (rows.length === 0) return null;
  return (
    <section className="lobby-links">
      <h2>Your links</h2>
      <ul>
        {rows.map((row) => {
          const [peerId = '', name, left, state, path, rtt] = row.split('\u0000');
          const pair = pairStores.get(peerId);
          return (
            <li key={peerId} data-testid={`lobby-link-${peerId}`} data-state={state} data-path={path} data-left={left ? 'true' : 'false'}>
              <strong>{name}</strong> {left ? '(left) ' : ''}— {state}
              {path ? `, ${path}` : ''}
              {rtt ? `, ${rtt} ms` : ''}
              {session && state === 'connected' && !left && (
                <>
                  {' '}
                  <button type="button" data-testid={`lobby-link-test-${peerId}`} onClick={() => session.runLinkTest(peerId)}>
                    Test throughput
                  </button>{' '}
                  <button type="button" data-testid={`lobby-relay-check-${peerId}`} onClick={() => session.runRelayCheck(peerId)}>
                    Check the relay
                  </button>
                </>
              )}
              {session && !left && <CallButton store={store} pair={pair} session={session} peerId={peerId} connected={state === 'connected'} />}
              {pair && !left && <LinkTestMark store={pair} peerId={peerId} />}
              {pair && <CallMarkView store={pair} peerId={peerId} />}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** The link's throughput test and relay check as this end sees them (whichever end led them). */
function LinkTestMark({ store, peerId }: { store: AppStore; peerId: string }) {
  // Derived and compared by value: the follower's progress ticks (4 a second while it only listens) change nothing.
  const mark = useStore(store, useShallow((s) => linkTestMark(s.link.progress, s.link.quality)));
  const relay = useStore(store, (s) => s.link.relayCheck);
  return (
    <span className="hint" data-testid={`lobby-link-result-${peerId}`} data-link-test={mark.state} data-relay-check={relay?.state ?? 'none'}>
      {mark.text && ` ${mark.text}`}
      {relay && ` · relay check: ${relay.state === 'running' ? 'running…' : relay.state}`}
    </span>
  );
}

/** "Call test" on one link, through the lobby queue; disabled, with why, while the link cannot take one. */
function CallButton({ store, pair, session, peerId, connected }: { store: LobbyStore; pair: AppStore | undefined; session: LobbySession; peerId: string; connected: boolean }) {
  const sweep = useLobby(store, useShallow((s) => ({ queued: s.sweep.queued, running: s.sweep.running })));
  const asked = useLobby(store, (s) => s.asked);
  const onLink = useStore(pair ?? emptyPair, jobOnLink);
  const why = !connected ? 'the link is not connected' : linkJobBusy(peerId, sweep, asked, onLink);
  return (
    <>
      {' '}
      <button type="button" data-testid={`lobby-call-${peerId}`} disabled={why !== null} title={why ?? 'A 10-second synthetic audio and video call on this link, both ways'} onClick={() => session.runCall(peerId)}>
        Call test
      </button>
      {why && (
        <span className="hint" data-testid={`lobby-call-why-${peerId}`}>
          {' '}
          ({why})
        </span>
      )}
    </>
  );
}
const emptyPair = createAppStore();

/** The link's call test as this end sees it: per direction the verdict and its figures (whichever end led it). */
function CallMarkView({ store, peerId }: { store: AppStore; peerId: string }) {
  const call = useStore(store, useShallow((s) => ({ phase: s.call.phase, result: s.call.result })));
  const mark = callMark(call);
  if (mark.state === 'none') return null;
  return (
    <div className="hint lobby-call-result" data-testid={`lobby-call-result-${peerId}`} data-status={mark.state}>
      {mark.state === 'running' ? (
        'call test: calling with synthetic audio and video both ways…'
      ) : (
        <>
          call test{mark.state !== 'done' ? ` (${mark.state}${mark.reason ? `: ${mark.reason}` : ''})` : ''}
          {mark.directions.length > 0 && (
            <ul>
              {mark.directions.map((d) => (
                <li key={d.direction} data-testid={`lobby-call-${d.direction}-${peerId}`} data-level={d.level ?? 'none'}>
                  {d.direction === 'outgoing' ? 'to them' : 'from them'}: <strong>{d.label}</strong>
                  {d.figures && ` — ${d.figures}`}
                  {d.reason && ` (${d.reason})`}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  );
}

function SweepControls({ store, session }: { store: LobbyStore; session: LobbySession | null }) {
  const sweep = useLobby(store, (s) => s.sweep);
  const names = useLobby(store, useShallow((s) => Object.fromEntries(Object.values(s.members).map((m) => [m.peerId, m.name]))));
  const busy = sweep.running !== null || sweep.queued.length > 0;
  const status = sweep.running
    ? `Testing your link with ${names[sweep.running.peerId] ?? 'a peer'} (${JOB_LABELS[sweep.running.kind]})${sweep.queued.length ? `; ${sweep.queued.length} more queued` : ''}…`
    : sweep.waiting
      ? `${sweep.queued.length} queued here, waiting for the test of another link in the lobby to end…`
      : sweep.finished > 0
        ? `${sweep.finished} ${sweep.finished === 1 ? 'test' : 'tests'} run from this page.`
        : 'One test in the whole lobby at a time, so a shared Wi-Fi is not saturated; each link is tested by the page that joined later.';
  return (
    <section className="lobby-sweep">
      <button type="button" data-testid="lobby-sweep" disabled={!session || busy} onClick={() => session?.startSweep()}>
        Test the throughput of every link in the lobby, one at a time
      </button>
      <span className="hint" data-testid="lobby-sweep-status" data-state={sweep.running ? 'running' : sweep.waiting ? 'waiting' : 'idle'} data-finished={sweep.finished}>
        {status}
      </span>
    </section>
  );
}
