import type { ReceiptDocument } from './document';
import type { PrinterProfile } from './profile';

/**
 * The hardware screen's and `devices print-test`'s page: proves in one receipt that the profile
 * is right for the printer: Chinese in the printer's own font (or raster), HKSCS characters
 * (嘢 U+5622, 峯 U+5CEF) that plain Big5 lacks, a character outside Big5-HKSCS (raster on Big5
 * printers), double size, columns measured by display width, a CODE128 barcode and a QR code.
 */
export function createTestPage(profile: PrinterProfile, printedAt: string): ReceiptDocument {
  return {
    blocks: [
      { type: 'text', text: '算盤 Suanpan', align: 'center', bold: true, width: 2, height: 2 },
      { type: 'text', text: '打印測試 Printer test', align: 'center' },
      { type: 'rule', char: '=' },
      { type: 'pair', left: '型號 Profile', right: profile.name },
      { type: 'pair', left: '紙寬 Paper', right: `${profile.paper.widthMm} mm / ${profile.paper.columns} cols` },
      { type: 'pair', left: '中文 Chinese', right: profile.codeSystem === 'none' ? 'raster' : profile.codeSystem },
      { type: 'pair', left: '時間 Time', right: printedAt },
      { type: 'rule' },
      { type: 'text', text: '繁體中文：港式奶茶、菠蘿油、雞蛋仔' },
      { type: 'text', text: '香港字 HKSCS：嘢 峯' },
      { type: 'text', text: '简体 (raster on Big5)：鸡蛋仔' },
      { type: 'pair', left: '港式奶茶 HK Milk Tea ×2', right: 'HK$36.00' },
      { type: 'pair', left: '  第二杯半價', right: '-HK$9.00' },
      { type: 'pair', left: '總計 TOTAL', right: 'HK$27.00', bold: true },
      { type: 'rule' },
      { type: 'barcode', data: 'TEST-0001' },
      { type: 'qr', data: 'https://suanpan.hk/test?p=' + profile.name, moduleSize: 5 },
      { type: 'text', text: '0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz', align: 'center' },
      { type: 'cut' },
    ],
  };
}
