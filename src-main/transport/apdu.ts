// ISO 7816-4 short APDUs: the command set of the payment applet and status words.
import { fail } from '../domain/protocol-error';
import { MAX_COMMAND_CHUNK } from '../domain/limits';

/** Proprietary AID of the payment application (F0 = proprietary, "NFCPAY", version 01). */
export const PAYMENT_AID = Uint8Array.from([0xf0, 0x4e, 0x46, 0x43, 0x50, 0x41, 0x59, 0x01]);

export const CLA_ISO = 0x00;
export const CLA_PROPRIETARY = 0x80;
/** ISO 7816-4 command chaining bit: "more commands of this chain follow". */
export const CLA_CHAIN = 0x10;
export const INS_SELECT = 0xa4;
export const INS_EXCHANGE = 0x10;
export const INS_GET_RESPONSE = 0xc0;

export const SW = {
  OK: 0x9000,
  /** 61xx: xx more response bytes are waiting (00 = 256 or more). */
  MORE_DATA: 0x6100,
  WRONG_LENGTH: 0x6700,
  /** The payment app needs the user: unlock the phone or open the app. */
  SECURITY_NOT_SATISFIED: 0x6982,
  CONDITIONS_NOT_SATISFIED: 0x6985,
  WRONG_DATA: 0x6a80,
  FILE_NOT_FOUND: 0x6a82,
  NOT_ENOUGH_MEMORY: 0x6a84,
  WRONG_P1P2: 0x6b00,
  INS_NOT_SUPPORTED: 0x6d00,
  CLA_NOT_SUPPORTED: 0x6e00,
  UNKNOWN: 0x6f00,
} as const;

export interface CommandApdu {
  cla: number;
  ins: number;
  p1: number;
  p2: number;
  data: Uint8Array;
  /** Expected response length; 256 is encoded as 00. Undefined means no Le field. */
  le?: number;
}

export interface ResponseApdu {
  data: Uint8Array;
  sw: number;
}

export function encodeCommand(command: CommandApdu): Uint8Array {
  const { cla, ins, p1, p2, data, le } = command;
  if (data.length > MAX_COMMAND_CHUNK) throw new RangeError(`command data ${data.length} > ${MAX_COMMAND_CHUNK}`);
  const parts = [cla, ins, p1, p2];
  if (data.length > 0) parts.push(data.length, ...data);
  if (le !== undefined) {
    if (le < 1 || le > 256) throw new RangeError(`Le ${le} out of range`);
    parts.push(le & 0xff);
  }
  return Uint8Array.from(parts);
}

/** Parses a short command APDU (cases 1-4). Throws ProtocolError(malformed_apdu). */
export function parseCommand(apdu: Uint8Array): CommandApdu {
  if (apdu.length < 4) fail('malformed_apdu', `command APDU of ${apdu.length} bytes`);
  const [cla = 0, ins = 0, p1 = 0, p2 = 0] = apdu;
  if (apdu.length === 4) return { cla, ins, p1, p2, data: new Uint8Array(0) };
  const first = apdu[4] ?? 0;
  if (apdu.length === 5) return { cla, ins, p1, p2, data: new Uint8Array(0), le: first === 0 ? 256 : first };
  if (first === 0) fail('malformed_apdu', 'extended-length APDUs are not supported');
  const dataEnd = 5 + first;
  if (apdu.length === dataEnd) return { cla, ins, p1, p2, data: apdu.slice(5, dataEnd) };
  if (apdu.length === dataEnd + 1) {
    const le = apdu[dataEnd] ?? 0;
    return { cla, ins, p1, p2, data: apdu.slice(5, dataEnd), le: le === 0 ? 256 : le };
  }
  return fail('malformed_apdu', `Lc ${first} does not match APDU length ${apdu.length}`);
}

export function encodeResponse(data: Uint8Array, sw: number): Uint8Array {
  const out = new Uint8Array(data.length + 2);
  out.set(data, 0);
  out[data.length] = (sw >> 8) & 0xff;
  out[data.length + 1] = sw & 0xff;
  return out;
}

export function parseResponse(apdu: Uint8Array): ResponseApdu {
  if (apdu.length < 2) fail('malformed_apdu', `response APDU of ${apdu.length} bytes`);
  const sw = ((apdu[apdu.length - 2] ?? 0) << 8) | (apdu[apdu.length - 1] ?? 0);
  return { data: apdu.subarray(0, apdu.length - 2), sw };
}

export function selectCommand(aid: Uint8Array = PAYMENT_AID): Uint8Array {
  return encodeCommand({ cla: CLA_ISO, ins: INS_SELECT, p1: 0x04, p2: 0x00, data: aid, le: 256 });
}

export function swHex(sw: number): string {
  return sw.toString(16).toUpperCase().padStart(4, '0');
}
