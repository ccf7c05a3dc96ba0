// Captures real getStats() reports of a short synthetic call (canvas video + oscillator audio) between two
// RTCPeerConnections in one page, in Debian's Chromium and Firefox ESR, as fixtures for call-stats.test.ts.
// Run: npx tsx web/call/testdata/capture-stats.ts  (writes chromium-stats.json and firefox-stats.json beside it)
import { writeFileSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../../e2e/support/chromium-flags';
import { launchFirefox } from '../../../e2e/support/firefox';

// Runs in the page: a loopback call, two stats snapshots of the sending side 1 s apart after 4 s.
const inPage = `(async () => {
  const canvas = document.createElement('canvas'); canvas.width = 1280; canvas.height = 720;
  const g = canvas.getContext('2d'); let f = 0;
  const draw = setInterval(() => { f++; g.fillStyle = 'hsl(' + (f * 7 % 360) + ',60%,40%)'; g.fillRect(0, 0, 1280, 720);
    g.fillStyle = '#fff'; g.fillRect((f * 23) % 1200, (f * 11) % 680, 80, 40); }, 33);
  const ctx = new AudioContext(); const osc = ctx.createOscillator(); const dest = ctx.createMediaStreamDestination();
  osc.connect(dest); osc.start();
  const stream = new MediaStream([...canvas.captureStream(30).getVideoTracks(), ...dest.stream.getAudioTracks()]);
  const a = new RTCPeerConnection(); const b = new RTCPeerConnection();
  a.onicecandidate = (e) => e.candidate && b.addIceCandidate(e.candidate);
  b.onicecandidate = (e) => e.candidate && a.addIceCandidate(e.candidate);
  for (const t of stream.getTracks()) { a.addTransceiver(t, { direction: 'sendrecv', streams: [stream] }); }
  b.ontrack = () => {};
  await a.setLocalDescription(); await b.setRemoteDescription(a.localDescription);
  for (const t of stream.getTracks()) { const tr = b.getTransceivers().find((x) => x.receiver.track.kind === t.kind); tr.direction = 'sendrecv'; await tr.sender.replaceTrack(t); }
  await b.setLocalDescription(); await a.setRemoteDescription(b.localDescription);
  const snap = async (pc) => { const r = await pc.getStats(); const out = []; r.forEach((v) => out.push(v)); return out; };
  await new Promise((r) => setTimeout(r, 4000));
  const s1 = await snap(b); await new Promise((r) => setTimeout(r, 1000)); const s2 = await snap(b);
  clearInterval(draw); a.close(); b.close(); ctx.close();
  return { userAgent: navigator.userAgent, snapshots: [s1, s2] };
})()`;

const here = new URL('.', import.meta.url).pathname;

const cr = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, '--autoplay-policy=no-user-gesture-required'] });
try {
  const page = await cr.newPage();
  const out = await page.evaluate(inPage);
  writeFileSync(`${here}chromium-stats.json`, JSON.stringify(out, null, 1) + '\n');
} finally {
  await cr.close();
}

const ff = await launchFirefox();
try {
  const page = await ff.newPage();
  await page.goto('about:blank');
  const out = await page.evaluate(inPage);
  writeFileSync(`${here}firefox-stats.json`, JSON.stringify(out, null, 1) + '\n');
} finally {
  await ff.close();
}
