import { deflateSync, inflateSync } from 'node:zlib';
import { createBitmap, packRows, unpackRows, type Bitmap } from '../escpos/bitmap';
import { LabelContentError } from './label-errors';

/**
 * A4 label sheets for an office printer, as a small PDF 1.4 file written by hand (no PDF library
 * in the project): each label is a 1-bit image of the very dots the preview shows (Chinese drawn
 * from the CJK font, so the PDF needs no embedded font and prints the same on any printer), placed
 * on a grid of cells. Identical labels share one image object.
 */
export interface SheetFormat {
  readonly id: string;
  readonly pageWidthMm: number;
  readonly pageHeightMm: number;
  readonly columns: number;
  readonly rows: number;
  readonly cellWidthMm: number;
  readonly cellHeightMm: number;
  readonly marginLeftMm: number;
  readonly marginTopMm: number;
}

/** 24 labels of 70 × 37 mm, edge to edge (Avery 3474, Herma 4453 and their like). */
export const A4_3X8: SheetFormat = {
  id: 'a4-3x8',
  pageWidthMm: 210,
  pageHeightMm: 297,
  columns: 3,
  rows: 8,
  cellWidthMm: 70,
  cellHeightMm: 37,
  marginLeftMm: 0,
  marginTopMm: 0.5,
};

export interface SheetLabel {
  /** The label drawn at `dotsPerMm`. */
  readonly bitmap: Bitmap;
  readonly widthMm: number;
  readonly heightMm: number;
}

const PT_PER_MM = 72 / 25.4;
const pt = (mm: number): string => (Math.round(mm * PT_PER_MM * 100) / 100).toString();

/**
 * Lays `labels` (one entry per label to print, in order) onto as many sheets as they need. A
 * label larger than its cell is shrunk to fit, keeping its proportions; a smaller one is centred.
 */
export function writeLabelSheetPdf(labels: readonly SheetLabel[], sheet: SheetFormat = A4_3X8, title = 'Labels'): Uint8Array {
  if (labels.length === 0) throw new LabelContentError('no labels to put on a sheet');
  const objects: (Buffer | null)[] = [null, null, null]; // 1 catalog, 2 pages, 3 info
  const add = (body: Buffer): number => objects.push(body);
  const images = new Map<SheetLabel['bitmap'], number>();
  const imageName = (id: number) => `Im${id}`;
  for (const label of labels) {
    if (images.has(label.bitmap)) continue;
    const { data } = packRows(label.bitmap);
    const stream = deflateSync(data);
    const id = add(
      Buffer.concat([
        Buffer.from(
          `<< /Type /XObject /Subtype /Image /Width ${label.bitmap.width} /Height ${label.bitmap.height} /ColorSpace /DeviceGray /BitsPerComponent 1 /Decode [1 0] /Filter /FlateDecode /Length ${stream.length} >>\nstream\n`,
        ),
        stream,
        Buffer.from('\nendstream'),
      ]),
    );
    images.set(label.bitmap, id);
  }
  const perPage = sheet.columns * sheet.rows;
  const pageIds: number[] = [];
  for (let first = 0; first < labels.length; first += perPage) {
    const ops: string[] = [];
    const used = new Set<number>();
    labels.slice(first, first + perPage).forEach((label, k) => {
      const col = k % sheet.columns;
      const row = Math.floor(k / sheet.columns);
      const scale = Math.min(1, sheet.cellWidthMm / label.widthMm, sheet.cellHeightMm / label.heightMm);
      const w = label.widthMm * scale;
      const h = label.heightMm * scale;
      const left = sheet.marginLeftMm + col * sheet.cellWidthMm + (sheet.cellWidthMm - w) / 2;
      const top = sheet.marginTopMm + row * sheet.cellHeightMm + (sheet.cellHeightMm - h) / 2;
      const id = images.get(label.bitmap)!;
      used.add(id);
      // PDF's origin is the bottom-left corner of the page.
      ops.push(`q ${pt(w)} 0 0 ${pt(h)} ${pt(left)} ${pt(sheet.pageHeightMm - top - h)} cm /${imageName(id)} Do Q`);
    });
    const content = Buffer.from(ops.join('\n'));
    const contentId = add(Buffer.concat([Buffer.from(`<< /Length ${content.length} >>\nstream\n`), content, Buffer.from('\nendstream')]));
    const xobjects = [...used].map((id) => `/${imageName(id)} ${id} 0 R`).join(' ');
    pageIds.push(
      add(
        Buffer.from(
          `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${pt(sheet.pageWidthMm)} ${pt(sheet.pageHeightMm)}] /Resources << /XObject << ${xobjects} >> >> /Contents ${contentId} 0 R >>`,
        ),
      ),
    );
  }
  objects[0] = Buffer.from('<< /Type /Catalog /Pages 2 0 R >>');
  objects[1] = Buffer.from(`<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pageIds.length} >>`);
  objects[2] = Buffer.from(`<< /Title (${title.replace(/[^\x20-\x7e]/g, '?').replace(/[()\\]/g, (c) => `\\${c}`)}) /Producer (Suanpan) >>`);

  const chunks: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let offset = chunks[0]!.length;
  const offsets: number[] = [];
  objects.forEach((body, k) => {
    offsets.push(offset);
    const obj = Buffer.concat([Buffer.from(`${k + 1} 0 obj\n`), body!, Buffer.from('\nendobj\n')]);
    chunks.push(obj);
    offset += obj.length;
  });
  const xref = [
    `xref\n0 ${objects.length + 1}\n`,
    '0000000000 65535 f \n',
    ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`),
  ].join('');
  chunks.push(Buffer.from(`${xref}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 3 0 R >>\nstartxref\n${offset}\n%%EOF\n`));
  return new Uint8Array(Buffer.concat(chunks));
}

// The reader tests use ------------------------------------------------------------------------

export interface PdfPlacement {
  readonly image: Bitmap;
  /** In millimetres from the page's top-left corner. */
  readonly leftMm: number;
  readonly topMm: number;
  readonly widthMm: number;
  readonly heightMm: number;
}

export interface PdfSheetReading {
  readonly pages: readonly { readonly widthMm: number; readonly heightMm: number; readonly placements: readonly PdfPlacement[] }[];
}

/**
 * Reads back what writeLabelSheetPdf wrote, checking the file's structure as a viewer would: the
 * xref offsets point at their objects, startxref at the xref, and every image inflates to its
 * declared size. Not a general PDF parser.
 */
export function readLabelSheetPdf(bytes: Uint8Array): PdfSheetReading {
  const buf = Buffer.from(bytes);
  const text = buf.toString('latin1');
  if (!text.startsWith('%PDF-1.')) throw new LabelContentError('not a PDF');
  const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(text)?.[1]);
  if (!text.startsWith('xref\n', startxref)) throw new LabelContentError('startxref does not point at the xref table');
  const xref = /xref\n0 (\d+)\n([\s\S]*?)trailer/.exec(text.slice(startxref));
  if (!xref) throw new LabelContentError('no xref table');
  const entries = xref[2]!.trim().split('\n').slice(1);
  const objects = new Map<number, { dict: string; stream: Buffer | null }>();
  entries.forEach((entry, k) => {
    const id = k + 1;
    const at = Number(entry.slice(0, 10));
    const head = `${id} 0 obj\n`;
    if (!text.startsWith(head, at)) throw new LabelContentError(`xref entry ${id} does not point at object ${id}`);
    const end = text.indexOf('\nendobj\n', at);
    const body = text.slice(at + head.length, end);
    const streamAt = body.indexOf('\nstream\n');
    if (streamAt < 0) objects.set(id, { dict: body, stream: null });
    else {
      const dict = body.slice(0, streamAt);
      const length = Number(/\/Length (\d+)/.exec(dict)?.[1]);
      const start = at + head.length + streamAt + '\nstream\n'.length;
      objects.set(id, { dict, stream: buf.subarray(start, start + length) });
    }
  });
  const imageOf = (id: number): Bitmap => {
    const o = objects.get(id);
    if (!o?.stream) throw new LabelContentError(`image ${id} missing`);
    const width = Number(/\/Width (\d+)/.exec(o.dict)?.[1]);
    const height = Number(/\/Height (\d+)/.exec(o.dict)?.[1]);
    const data = inflateSync(o.stream);
    const bytesPerRow = Math.ceil(width / 8);
    if (data.length !== bytesPerRow * height) throw new LabelContentError(`image ${id}: ${data.length} bytes for ${width}x${height}`);
    const wide = unpackRows(data, bytesPerRow, height);
    const out = createBitmap(width, height);
    for (let y = 0; y < height; y++) out.data.set(wide.data.subarray(y * wide.width, y * wide.width + width), y * width);
    return out;
  };
  const root = objects.get(1)?.dict ?? '';
  const pagesId = Number(/\/Pages (\d+) 0 R/.exec(root)?.[1]);
  const kids = [...(objects.get(pagesId)?.dict ?? '').matchAll(/(\d+) 0 R/g)].map((m) => Number(m[1]));
  const mm = (p: string) => (Number(p) * 25.4) / 72;
  return {
    pages: kids.map((kid) => {
      const dict = objects.get(kid)?.dict ?? '';
      const box = /\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/.exec(dict)!;
      const pageHeight = mm(box[2]!);
      const names = new Map([...dict.matchAll(/\/(Im\d+) (\d+) 0 R/g)].map((m) => [m[1]!, Number(m[2])]));
      const contentId = Number(/\/Contents (\d+) 0 R/.exec(dict)?.[1]);
      const content = objects.get(contentId)?.stream?.toString('latin1') ?? '';
      const placements = [...content.matchAll(/q ([\d.]+) 0 0 ([\d.]+) ([\d.-]+) ([\d.-]+) cm \/(Im\d+) Do Q/g)].map((m) => ({
        image: imageOf(names.get(m[5]!)!),
        widthMm: mm(m[1]!),
        heightMm: mm(m[2]!),
        leftMm: mm(m[3]!),
        topMm: pageHeight - mm(m[4]!) - mm(m[2]!),
      }));
      return { widthMm: mm(box[1]!), heightMm: pageHeight, placements };
    }),
  };
}
