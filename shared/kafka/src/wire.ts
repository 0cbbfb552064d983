// Confluent wire format: magic byte 0, 4-byte big-endian schema id, then the Avro body.

export const MAGIC_BYTE = 0;
export const HEADER_LENGTH = 5;

/** Prefixes an Avro body with the wire header. */
export function encodeWire(schemaId: number, body: Buffer): Buffer {
  const header = Buffer.alloc(HEADER_LENGTH);
  header.writeUInt8(MAGIC_BYTE, 0);
  header.writeInt32BE(schemaId, 1);
  return Buffer.concat([header, body]);
}

/** Splits a wire-format message; null when it cannot be one. */
export function decodeWire(buffer: Buffer): { schemaId: number; body: Buffer } | null {
  if (buffer.length < HEADER_LENGTH || buffer.readUInt8(0) !== MAGIC_BYTE) return null;
  return { schemaId: buffer.readInt32BE(1), body: buffer.subarray(HEADER_LENGTH) };
}

/** The schema id of a wire-format message (as decodeWire reads it, without splitting it); null when it cannot be one. */
export function schemaIdOf(buffer: Buffer): number | null {
  return buffer.length < HEADER_LENGTH || buffer[0] !== MAGIC_BYTE ? null : buffer.readInt32BE(1);
}
