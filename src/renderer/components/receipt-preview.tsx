/**
 * The receipt as it comes out of the printer: the lines main laid out and measured from the very
 * document the printer gets (`print:preview`: text in runs and two-column cells, the logo as its
 * dots in a PNG), on the printer's column grid, on paper as wide as the roll (58 or 80 mm). Also
 * the demo mode's "virtual printer". Main measures; this only draws.
 */
import { useEffect, useState, type CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import type { PreviewLine, ReceiptPreview as ReceiptPreviewData } from '../../shared/hardware-schemas';
import { findPosApi } from '../pos';

/** 32 columns is 58 mm paper; the 42- and 48-column printers take 80 mm. */
export function paperWidthMm(columns: number): 58 | 80 {
  return columns <= 32 ? 58 : 80;
}

function PreviewRow({ line }: { line: PreviewLine }) {
  const { t } = useTranslation();
  if (line.kind === 'image') {
    return (
      <span className={`receipt-preview-line is-image is-${line.align}`}>
        <img
          className="receipt-preview-image"
          data-testid="receipt-preview-logo"
          src={line.src}
          width={line.width}
          height={line.height}
          alt={t('receiptPreview.logo')}
          style={{ width: `${line.columns}ch` }}
        />
      </span>
    );
  }
  return (
    <span className="receipt-preview-line">
      {line.segments.map((segment, k) =>
        segment.wide ? (
          <span key={k} className="receipt-preview-cjk">
            {segment.text}
          </span>
        ) : (
          segment.text
        ),
      )}
    </span>
  );
}

export function ReceiptPreview({ receiptNo, preview }: { receiptNo: string; preview: ReceiptPreviewData }) {
  const { t } = useTranslation();
  const mm = paperWidthMm(preview.columns);
  return (
    <figure className="receipt-preview-frame" data-testid="receipt" data-receipt-no={receiptNo}>
      <figcaption className="receipt-preview-caption">
        <span data-testid="receipt-number">{receiptNo}</span> · {t('receiptPreview.paper', { mm })}
      </figcaption>
      <pre
        className={`receipt-preview is-${mm}mm`}
        data-testid="receipt-preview"
        data-columns={preview.columns}
        style={{ '--receipt-columns': preview.columns } as CSSProperties}
      >
        {preview.lines.map((line, index) => (
          <PreviewRow key={index} line={line} />
        ))}
      </pre>
    </figure>
  );
}

/** The printed form of a receipt, or null while it loads or when there is no printer to show. */
export function useReceiptPreview(receiptNo: string, enabled: boolean): ReceiptPreviewData | null {
  const [loaded, setLoaded] = useState<{ receiptNo: string; preview: ReceiptPreviewData } | null>(null);
  useEffect(() => {
    const api = findPosApi();
    if (!enabled || !api) return;
    let current = true;
    void api['print:preview']({ receiptNo }).then((result) => {
      if (current && result.ok) setLoaded({ receiptNo, preview: result.value });
    });
    return () => {
      current = false;
    };
  }, [receiptNo, enabled]);
  return enabled && loaded?.receiptNo === receiptNo ? loaded.preview : null;
}
