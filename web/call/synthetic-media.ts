// The call test's media, made in the page: no camera, no microphone, no permission prompt. Video: a 1280×720 canvas
// redrawn 30 times a second with moving shapes and a running counter (an idle picture would let the encoder
// send next to nothing); audio: an oscillator whose pitch wanders, through WebAudio into a MediaStream. Without a
// user gesture the browser may keep the AudioContext suspended: the track then carries silence, which still
// travels as RTP packets, so loss, jitter and concealment are measured all the same.

export interface SyntheticMedia {
  video: MediaStreamTrack;
  audio: MediaStreamTrack;
  /** Stops the tracks, the drawing and the audio graph (idempotent). */
  stop(): void;
}

export const CALL_WIDTH = 1280;
export const CALL_HEIGHT = 720;
export const CALL_FPS = 30;

export function createSyntheticMedia(): SyntheticMedia {
  const canvas = document.createElement('canvas');
  canvas.width = CALL_WIDTH;
  canvas.height = CALL_HEIGHT;
  const g = canvas.getContext('2d');
  if (!g) throw new Error('this browser cannot draw on a canvas');
  let frame = 0;
  const draw = () => {
    frame++;
    g.fillStyle = `hsl(${(frame * 3) % 360} 45% 35%)`;
    g.fillRect(0, 0, CALL_WIDTH, CALL_HEIGHT);
    for (let i = 0; i < 6; i++) {
      g.fillStyle = `hsl(${(i * 60 + frame * 5) % 360} 70% 60%)`;
      const x = (frame * (7 + i * 3) + i * 200) % (CALL_WIDTH + 200) - 200;
      const y = (Math.sin((frame + i * 40) / 20) * 0.4 + 0.5) * (CALL_HEIGHT - 160);
      g.fillRect(x, y, 160, 160);
    }
    g.fillStyle = '#fff';
    g.font = 'bold 72px sans-serif';
    g.fillText(`p2pcheck ${frame}`, 40, CALL_HEIGHT - 60);
  };
  draw();
  const timer = setInterval(draw, 1000 / CALL_FPS);
  const video = canvas.captureStream(CALL_FPS).getVideoTracks()[0]!;

  const ctx = new AudioContext();
  const osc = ctx.createOscillator();
  const lfo = ctx.createOscillator();
  const depth = ctx.createGain();
  const dest = ctx.createMediaStreamDestination();
  osc.frequency.value = 440;
  lfo.frequency.value = 3;
  depth.gain.value = 120;
  lfo.connect(depth).connect(osc.frequency);
  osc.connect(dest);
  osc.start();
  lfo.start();
  void ctx.resume().catch(() => undefined);
  const audio = dest.stream.getAudioTracks()[0]!;

  let stopped = false;
  return {
    video,
    audio,
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      video.stop();
      audio.stop();
      void ctx.close().catch(() => undefined);
    },
  };
}
