import { useEffect, useRef } from 'react';
import { ReportView } from '../report/report-view';
import { navigate } from '../routing/use-location';
import { newRoomId, roomPath } from '../routing/app-route';
import { RawReport } from '../report/raw-report';
import { appStore, useAppStore } from '../store/app-store';
import { startRoomSession, type RoomSession } from './room-session';
import { RoomLink } from './room-link';
import { useLiveReport } from './use-report';
import { SharePanel } from '../share/share-panel';
import { startReportSaver } from '../share/report-saver';
import { PageHeader } from '../layout/page-header';

export function RoomPage({ roomId, relayOnly }: { roomId: string; relayOnly: boolean }) {
  const session = useRef<RoomSession | null>(null);
  const initialRelay = useRef(relayOnly);
  useEffect(() => {
    const s = startRoomSession({ roomId, relayOnly: initialRelay.current, store: appStore });
    session.current = s;
    // Saves the report when the test completes.
    const stopSaver = startReportSaver(appStore);
    return () => {
      stopSaver();
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
  const reconnecting = useAppStore((s) => s.signaling.status === 'connecting' && s.signaling.peerId !== null);
  const link = `${location.origin}${roomPath(roomId, relayOnly)}`;

  return (
    <main className="room">
      <PageHeader />
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
      {reconnecting && (
        <div className="notice" role="status" data-testid="signaling-reconnecting">
          The signaling connection dropped: reconnecting and rejoining the room… A connection already made keeps running.
        </div>
      )}
      {fatal && (
        <div className="notice error" role="alert" data-testid="fatal">
          {fatal}
        </div>
      )}
      {!roomFull && (
        <>
          <RoomLink link={link} relayOnly={relayOnly} onRelayOnly={(v) => navigate(roomPath(roomId, v), { replace: true })} />
          <SharePanel roomLink={link} />
          <ReportView report={report} />
        </>
      )}
    </main>
  );
}
