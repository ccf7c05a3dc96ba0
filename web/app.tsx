import { lazy, Suspense } from 'react';
import { LandingPage } from './landing/landing-page';
import { parseRoute } from './routing/app-route';
import { useLocation } from './routing/use-location';
import { RoomPage } from './room/room-page';
import { SavedReportPage } from './share/saved-report-page';

// Lobbies load their own code when opened (the first-load budget: scripts/check-bundle-size.mjs).
const LobbyPage = lazy(() => import('./lobby/lobby-page').then((m) => ({ default: m.LobbyPage })));

export function App() {
  const { pathname, search } = useLocation();
  const route = parseRoute(pathname, search);
  switch (route.kind) {
    case 'landing':
      return <LandingPage />;
    case 'room':
      return <RoomPage key={route.roomId} roomId={route.roomId} relayOnly={route.relayOnly} />;
    case 'lobby':
      return (
        <Suspense fallback={<main className="lobby">Loading the lobby…</main>}>
          <LobbyPage key={route.roomId} roomId={route.roomId} />
        </Suspense>
      );
    case 'saved-report':
      return <SavedReportPage key={route.id} id={route.id} />;
    case 'bad-room':
      return (
        <main className="landing">
          <h1>p2pcheck</h1>
          <p className="notice error" data-testid="bad-room">
            “{route.roomId}” is not a valid room id: a room link ends in 22–64 letters, digits, “-” or “_”. Check that the whole link was copied, or{' '}
            <a href="/">start a new test</a>.
          </p>
        </main>
      );
    case 'not-found':
      return (
        <main className="landing">
          <h1>p2pcheck</h1>
          <p className="notice error">
            There is no page at {route.path}. <a href="/">Start a test</a>.
          </p>
        </main>
      );
    default: {
      const unreachable: never = route;
      return unreachable;
    }
  }
}
