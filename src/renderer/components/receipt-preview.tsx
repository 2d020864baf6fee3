/**
 * The receipt as it comes out of the printer: the text lines main decoded from the very bytes the
 * printer gets (`print:preview`), on the printer's column grid, on paper as wide as the roll
 * (58 or 80 mm). Also the demo mode's "virtual printer".
 */
import { useEffect, useState, type CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import { findPosApi } from '../pos';
import { paperWidthMm, previewSegments } from './receipt-preview-layout';

export interface ReceiptPreviewLines {
  columns: number;
  lines: string[];
}

export function ReceiptPreview({ receiptNo, preview }: { receiptNo: string; preview: ReceiptPreviewLines }) {
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
          <span key={index} className="receipt-preview-line">
            {previewSegments(line).map((segment, k) =>
              segment.wide ? (
                <span key={k} className="receipt-preview-cjk">
                  {segment.text}
                </span>
              ) : (
                segment.text
              ),
            )}
          </span>
        ))}
      </pre>
    </figure>
  );
}

/** The printed form of a receipt, or null while it loads or when there is no printer to show. */
export function useReceiptPreview(receiptNo: string, enabled: boolean): ReceiptPreviewLines | null {
  const [loaded, setLoaded] = useState<{ receiptNo: string; preview: ReceiptPreviewLines } | null>(null);
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
