import { useRef } from 'react';
import { useAppStore, appStore } from '../store/app-store';

async function copyText(text: string, input: HTMLInputElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // The Clipboard API needs a secure context (https or localhost); fall back to selecting the text.
    input?.select();
    return document.execCommand?.('copy') ?? false;
  }
}

/** The link to send, with a copy button; the relay-only toggle when onRelayOnly is given (a lobby has none). */
export function RoomLink({ link, relayOnly = false, onRelayOnly, label = 'Send this link to the other person:' }: { link: string; relayOnly?: boolean; onRelayOnly?(v: boolean): void; label?: string }) {
  const input = useRef<HTMLInputElement>(null);
  const copied = useAppStore((s) => s.ui.linkCopied);
  return (
    <section className="room-link">
      <label htmlFor="room-link">{label}</label>
      <div className="row">
        <input id="room-link" ref={input} data-testid="room-link" readOnly value={link} onFocus={(e) => e.currentTarget.select()} />
        <button
          type="button"
          data-testid="copy-link"
          onClick={async () => {
            const ok = await copyText(link, input.current);
            appStore.getState().setUi({ linkCopied: ok });
            if (ok) setTimeout(() => appStore.getState().setUi({ linkCopied: false }), 2000);
          }}
        >
          {copied ? 'Copied' : 'Copy link'}
        </button>
      </div>
      {onRelayOnly && (
        <label className="toggle">
          <input type="checkbox" data-testid="relay-toggle" checked={relayOnly} onChange={(e) => onRelayOnly(e.currentTarget.checked)} />
          Relay only: force the traffic through the TURN server (iceTransportPolicy "relay"). Changing this restarts the test.
        </label>
      )}
    </section>
  );
}
