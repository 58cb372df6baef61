import PDFDocument from 'pdfkit';

/**
 * The pieces every printable export shares (the prep list's and the week plan's PDF): a landscape
 * Letter document kept in memory (so each page's foot can say how many pages there are), a bold
 * column header with a rule under it, and a foot with a label and "Page N of M".
 */

/** One column of a printed table. */
export interface PdfColumn {
  title: string;
  width: number;
  align: 'left' | 'right';
}

/** A landscape Letter document and the promise of its bytes once `doc.end()` is called. */
export function landscapePdf(info: PDFKit.DocumentInfo): {
  doc: PDFKit.PDFDocument;
  bytes: Promise<Buffer>;
} {
  const doc = new PDFDocument({
    size: 'LETTER',
    layout: 'landscape',
    margin: 36,
    bufferPages: true,
    info: { Creator: 'MarketPrep', ...info },
  });
  const chunks: Buffer[] = [];
  const bytes = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  return { doc, bytes };
}

/** The table's column titles in bold at the current line, a rule under them; body font after. */
export function drawTableHeader(
  doc: PDFKit.PDFDocument,
  columns: readonly PdfColumn[],
  left: number,
  gap: number,
): void {
  let x = left;
  const y = doc.y;
  doc.font('Helvetica-Bold').fontSize(9);
  for (const column of columns) {
    doc.text(column.title, x, y, { width: column.width, align: column.align });
    x += column.width + gap;
  }
  const lineY = y + 13;
  doc
    .moveTo(left, lineY)
    .lineTo(x - gap, lineY)
    .lineWidth(0.8)
    .stroke();
  doc.y = lineY + 4;
  doc.font('Helvetica').fontSize(9);
}

/** Writes `label` and "Page N of M" at the foot of every buffered page. */
export function drawPageFeet(
  doc: PDFKit.PDFDocument,
  options: { left: number; width: number; label: string },
): void {
  const { left, width, label } = options;
  const pages = doc.bufferedPageRange();
  for (let i = pages.start; i < pages.start + pages.count; i++) {
    doc.switchToPage(i);
    // The foot sits in the bottom margin; with the margin kept, pdfkit would start a new page.
    const margin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const y = doc.page.height - margin + 12;
    doc.font('Helvetica').fontSize(8).fillColor('#444444');
    doc.text(label, left, y, { width: width / 2, lineBreak: false });
    doc.text(`Page ${i - pages.start + 1} of ${pages.count}`, left + width / 2, y, {
      width: width / 2,
      align: 'right',
      lineBreak: false,
    });
    doc.fillColor('black');
    doc.page.margins.bottom = margin;
  }
}
