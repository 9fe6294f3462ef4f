import QRCode from 'qrcode';
import { useEffect, useState } from 'react';

/** The code drawn as SVG in the browser (no server round trip), shown as a data: image (CSP img-src allows it). */
export function QrImage({ value, size = 320 }: { value: string; size?: number }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void QRCode.toString(value, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }).then((svg) => {
      if (live) setSrc(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`);
    });
    return () => {
      live = false;
    };
  }, [value]);
  if (!src) return <div style={{ width: size, height: size }} />;
  return <img src={src} width={size} height={size} alt="Código QR de asistencia" data-code={value} style={{ width: '100%', maxWidth: size, height: 'auto', imageRendering: 'pixelated' }} />;
}
