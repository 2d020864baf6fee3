/** The CSV writer lives in src/shared (the head office console's exports use it too). */
export { BOM, toCsv, type CsvCell } from '../../../shared/csv';
