import { DriverError } from '../driver-error';

/** A label that cannot be encoded as asked: a bad barcode, text a printer cannot carry. */
export class LabelContentError extends DriverError {
  readonly code = 'LABEL_CONTENT_INVALID';
}
