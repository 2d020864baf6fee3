import { loadSerialPort } from './serialport-module';

export interface SerialPortInfo {
  readonly uri: string;
  readonly path: string;
  readonly manufacturer?: string;
  readonly vendorId?: string;
  readonly productId?: string;
}

/** Serial ports the OS knows (USB virtual COM ports included), as ready-to-use device URIs, for `devices list`. */
export async function listSerialPorts(): Promise<SerialPortInfo[]> {
  const ports = await (await loadSerialPort()).list();
  return ports.map((p) => ({
    uri: `serial://${p.path}?baud=9600`,
    path: p.path,
    ...(p.manufacturer !== undefined ? { manufacturer: p.manufacturer } : {}),
    ...(p.vendorId !== undefined ? { vendorId: p.vendorId } : {}),
    ...(p.productId !== undefined ? { productId: p.productId } : {}),
  }));
}
