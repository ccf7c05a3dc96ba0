import { navigate } from '../routing/use-location';
import { lobbyPath, newRoomId, roomPath } from '../routing/app-route';
import { CheckNetwork } from '../diagnosis/check-network';

export function LandingPage() {
  return (
    <main className="landing">
      <h1>p2pcheck</h1>
      <p className="lead">
        Can two browsers talk to each other directly? Start a test, send the link to the other person (or open it on your phone), and both of you get a
        report: every ICE candidate, every candidate pair, the round-trip time, and the path that was chosen: direct, through NAT, or relayed via TURN.
      </p>
      <button type="button" className="primary" data-testid="create-room" onClick={() => navigate(roomPath(newRoomId(), false))}>
        Start a test
      </button>
      <button type="button" data-testid="create-lobby" onClick={() => navigate(lobbyPath(newRoomId()))}>
        Test a group
      </button>
      <p className="hint">
        The link holds a random 128-bit room id; anyone with the link can join. A room holds two browsers; a group lobby holds up to eight and tests
        every pair of them (who reaches whom, how, and how well).
      </p>
      <CheckNetwork />
    </main>
  );
}
