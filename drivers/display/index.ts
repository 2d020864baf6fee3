export {
  DISPLAY_COLUMNS,
  DISPLAY_COMMAND_SETS,
  getDisplayProtocol,
  UnknownDisplayCommandSetError,
  type DisplayCommandSet,
  type DisplayProtocol,
} from './command-sets';
export { fitDisplayLine, formatDisplayLine, formatHkd, toDisplayAscii } from './display-text';
export { createPoleDisplay, type PoleDisplay, type PoleDisplayOptions, type PoleDisplayState } from './pole-display';
