import { describe, expect, it } from 'vitest';
import { mapStats } from './stats-mapping';
import { CHROMIUM_HOST_PAIR_STATS } from './stats-fixtures';
import { statsModel } from './stats-model';

describe('statsModel', () => {
  const snapshot = mapStats(CHROMIUM_HOST_PAIR_STATS);
  const input = { snapshot, gatheredLocal: [], receivedRemote: [], remoteInfo: {} };

  it('reads a poll once: the same inputs give the same model', () => {
    const model = statsModel(input);
    expect(model.selected?.pair.id).toBe(snapshot.selectedPairId);
    expect(statsModel({ ...input })).toBe(model);
  });

  it("reads again when the other peer's view arrives, and classifies the path with it", () => {
    const before = statsModel(input);
    const far = before.selected!.remote;
    const remoteInfo = { selectedPair: { local: { type: 'relay', address: far.address, port: far.port, relayProtocol: 'tcp', protocol: 'udp' }, relayOnly: false } };
    const after = statsModel({ ...input, remoteInfo });
    expect(after).not.toBe(before);
    expect(after.selected?.kind).toBe('relay-tcp');
  });
});
