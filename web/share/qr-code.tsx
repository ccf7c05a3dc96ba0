// The room link as a QR code, for opening it on a phone (on cellular, to test across networks). The qrcode
// package is loaded lazily so it stays out of the first load.
import { useEffect, useState } from 'react';

export function QrCode({ text, caption, testId = 'room-qr' }: { text: string; caption: string; testId?: string }) {
  const [svg, setSvg] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    import('qrcode')
      .then((m) => m.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 }))
      .then((s) => live && setSvg(s))
      .catch(() => live && setSvg(null));
    return () => {
      live = false;
    };
  }, [text]);
  return (
    <figure className="qr" data-testid={testId}>
      {svg ? <div role="img" aria-label={`QR code: ${text}`} dangerouslySetInnerHTML={{ __html: svg }} /> : <div style={{ width: 148, height: 148 }} />}
      <figcaption>{caption}</figcaption>
    </figure>
  );
}
