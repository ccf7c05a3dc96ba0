// Plays the received audio of the call into a muted element. Chromium runs the audio jitter buffer (NetEq) only for
// audio that is played out: without a sink, inbound-rtp's jitterBufferDelay / jitterBufferEmittedCount and the
// concealment counters stay 0 and the report could not say how long audio waited. Muted: the person hears nothing
// (and a muted element may play without a user gesture under the autoplay policy), but the renderer still pulls
// the samples, so the buffer is measured. Outside a browser (unit tests) it does nothing.

/** Starts playing `track` silently; returns the function that stops it. */
export function playReceivedAudio(track: MediaStreamTrack): () => void {
  if (typeof Audio === 'undefined' || typeof MediaStream === 'undefined') return () => {};
  const el = new Audio();
  el.muted = true;
  el.srcObject = new MediaStream([track]);
  void el.play().catch(() => {
    /* no sink: the buffer figures stay "not measured" in the report */
  });
  return () => {
    el.pause();
    el.srcObject = null;
  };
}
