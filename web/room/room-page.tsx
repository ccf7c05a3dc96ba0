import { useEffect, useRef } from 'react';
import { ReportView } from '../report/report-view';
import { navigate } from '../routing/use-location';
import { newRoomId, roomPath } from '../routing/app-route';
import { RawReport } from '../report/raw-report';
import { appStore, useAppStore } from '../store/app-store';
import { startRoomSession, type RoomSession } from './room-session';
import { RoomLink } from './room-link';
import { useLiveReport } from './use-report';

export function RoomPage({ roomId, relayOnly }: { roomId: string; relayOnly: boolean }) {
  const session = useRef<RoomSession | null>(null);
  const initialRelay = useRef(relayOnly);
  useEffect(() => {
    const s = startRoomSession({ roomId, relayOnly: initialRelay.current, store: appStore });
    session.current = s;
    return () => {
      s.stop();
      session.current = null;
    };
  }, [roomId]);
  useEffect(() => {
    initialRelay.current = relayOnly;
    session.current?.setRelayOnly(relayOnly);
  }, [relayOnly]);

  const roomFull = useAppStore((s) => s.signaling.roomFull);
  const fatal = useAppStore((s) => s.ui.fatal);
  const report = useLiveReport();
  const link = `${location.origin}${roomPath(roomId, relayOnly)}`;

  return (
    <main className="room">
      <header className="room-header">
        <a href="/" className="brand">
          p2pcheck
        </a>
      </header>
      {roomFull && (
        <>
          <div className="notice error" data-testid="room-full" role="alert">
            This room is full (2 peers): two browsers are already testing here. Ask for a new link, or start your own test.
          </div>
          <button type="button" className="primary" onClick={() => navigate(roomPath(newRoomId(), relayOnly))}>
            Start a new test
          </button>
          <RawReport report={report} />
        </>
      )}
      {fatal && (
        <div className="notice error" role="alert" data-testid="fatal">
          {fatal}
        </div>
      )}
      {!roomFull && (
        <>
          <RoomLink link={link} relayOnly={relayOnly} onRelayOnly={(v) => navigate(roomPath(roomId, v), { replace: true })} />
          <ReportView report={report} />
        </>
      )}
    </main>
  );
}
