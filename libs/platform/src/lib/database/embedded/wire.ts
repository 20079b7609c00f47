/**
 * The few pieces of the PostgreSQL wire protocol (version 3) the session
 * multiplexer reads and writes: framing, ReadyForQuery, ErrorResponse.
 * https://www.postgresql.org/docs/current/protocol-message-formats.html
 */

export const PROTOCOL_3 = 196_608;
export const SSL_REQUEST = 80_877_103;
export const GSSENC_REQUEST = 80_877_104;
export const CANCEL_REQUEST = 80_877_102;

/** A transaction status as ReadyForQuery reports it: idle, in a transaction block, in a failed one. */
export type TransactionStatus = 'I' | 'T' | 'E';

/** Frontend message types that end what the client sends before it waits for an answer. */
const ANSWERED = new Set(['S', 'Q', 'H', 'c', 'f']);

/** The length of the first complete typed message in `buffer` at `offset`, or 0 when it is not all there yet. */
export function typedMessageLength(buffer: Buffer, offset: number): number {
  if (buffer.length - offset < 5) return 0;
  const length = buffer.readInt32BE(offset + 1);
  if (length < 4) throw new ProtocolViolation(`invalid message length ${length}`);
  return buffer.length - offset >= 1 + length ? 1 + length : 0;
}

/** The length of a complete untyped startup-phase packet at the start of `buffer`, or 0 when it is not all there yet. */
export function startupPacketLength(buffer: Buffer): number {
  if (buffer.length < 8) return 0;
  const length = buffer.readInt32BE(0);
  if (length < 8 || length > 10_000) throw new ProtocolViolation(`invalid startup packet length ${length}`);
  return buffer.length >= length ? length : 0;
}

/**
 * Splits `buffer` into the complete messages a client sent, stopping after the first message
 * that makes the server answer (Sync, Query, Flush, CopyDone, CopyFail) and before a Terminate.
 */
export function takeMessages(buffer: Buffer): { batch: Buffer; rest: Buffer; terminate: boolean } {
  let offset = 0;
  while (offset < buffer.length) {
    const type = String.fromCharCode(buffer[offset]);
    if (type === 'X') return { batch: buffer.subarray(0, offset), rest: buffer.subarray(offset), terminate: offset === 0 };
    const length = typedMessageLength(buffer, offset);
    if (length === 0) break;
    offset += length;
    if (ANSWERED.has(type)) break;
  }
  return { batch: buffer.subarray(0, offset), rest: buffer.subarray(offset), terminate: false };
}

/** The parameters of a StartupMessage (`user`, `database`, ...). */
export function startupParameters(packet: Buffer): Record<string, string> {
  const parts = packet.subarray(8).toString('utf8').split('\0');
  const parameters: Record<string, string> = {};
  for (let i = 0; i + 1 < parts.length && parts[i] !== ''; i += 2) parameters[parts[i]] = parts[i + 1];
  return parameters;
}

/** A StartupMessage (protocol 3.0). */
export function startupMessage(parameters: Record<string, string>): Buffer {
  const body = Buffer.from(`${Object.entries(parameters).map(([name, value]) => `${name}\0${value}\0`).join('')}\0`, 'utf8');
  const header = Buffer.alloc(8);
  header.writeInt32BE(8 + body.length, 0);
  header.writeInt32BE(PROTOCOL_3, 4);
  return Buffer.concat([header, body]);
}

/** What a reply from the server says about the session: its last ReadyForQuery, and whether the reply ends with one. */
export function replySummary(reply: Uint8Array): { status?: TransactionStatus; ready: boolean } {
  const bytes = Buffer.from(reply.buffer, reply.byteOffset, reply.byteLength);
  let offset = 0;
  let status: TransactionStatus | undefined;
  let ready = false;
  while (offset + 5 <= bytes.length) {
    const type = String.fromCharCode(bytes[offset]);
    const length = bytes.readInt32BE(offset + 1);
    if (type === 'Z') status = String.fromCharCode(bytes[offset + 5]) as TransactionStatus;
    ready = type === 'Z';
    offset += 1 + length;
  }
  return { status, ready };
}

/** An ErrorResponse with PostgreSQL's fields: severity, SQLSTATE code, message. */
export function errorResponse(severity: 'ERROR' | 'FATAL', code: string, message: string): Buffer {
  const fields = Buffer.concat(
    [
      ['S', severity],
      ['V', severity],
      ['C', code],
      ['M', message],
    ].map(([field, value]) => Buffer.from(`${field}${value}\0`, 'utf8')),
  );
  const header = Buffer.alloc(5);
  header.write('E', 0, 'latin1');
  header.writeInt32BE(4 + fields.length + 1, 1);
  return Buffer.concat([header, fields, Buffer.from([0])]);
}

/** A simple Query message. */
export function queryMessage(sql: string): Buffer {
  const text = Buffer.from(`${sql}\0`, 'utf8');
  const header = Buffer.alloc(5);
  header.write('Q', 0, 'latin1');
  header.writeInt32BE(4 + text.length, 1);
  return Buffer.concat([header, text]);
}

export const SYNC = Buffer.from([0x53, 0, 0, 0, 4]);

/** The client broke the protocol; its connection is closed. */
export class ProtocolViolation extends Error {}
