import type { SerialPort } from 'serialport';

/**
 * The serialport package (and its native bindings), loaded when a serial port is first opened or
 * listed: loading it at start cost the kiosk host 50–90 ms before it served the till
 * (register-start), and most counters have no serial device.
 */
export async function loadSerialPort(): Promise<typeof SerialPort> {
  return (await import('serialport')).SerialPort;
}
