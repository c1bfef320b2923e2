/** A protobuf wire-format fault: the body is not the message it claims to be. */
export class ProtoError extends Error {}

export type Field = { number: number; wire: number };

// Wire types of the protobuf encoding (protobuf.dev/programming-guides/encoding).
export const VARINT = 0;
export const FIXED64 = 1;
export const LEN = 2;
export const FIXED32 = 5;

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Reads the protobuf wire format field by field. Every read is bounds-checked,
 * so a truncated or garbled body ends in a ProtoError, never an out-of-range
 * read or an endless loop.
 */
export class ProtoReader {
  private pos: number;
  private readonly view: DataView;

  constructor(
    private readonly bytes: Uint8Array,
    start = 0,
    private readonly end = bytes.length,
  ) {
    this.pos = start;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  done(): boolean {
    return this.pos >= this.end;
  }

  tag(): Field {
    const key = this.uint();
    const number = Math.floor(key / 8);
    const wire = key % 8;
    if (number === 0) throw new ProtoError(`field number 0 at byte ${this.pos}`);
    return { number, wire };
  }

  varint(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      this.need(1);
      const byte = this.bytes[this.pos++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return result & 0xffff_ffff_ffff_ffffn;
    }
    throw new ProtoError(`varint longer than 10 bytes at byte ${this.pos}`);
  }

  /**
   * A varint read as a JS number: tags, lengths, enums and counts, which is
   * nearly every varint; number arithmetic avoids BigInt on the hot path.
   */
  uint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      this.need(1);
      const byte = this.bytes[this.pos++]!;
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) return result;
      scale *= 128;
    }
    throw new ProtoError(`varint longer than 10 bytes at byte ${this.pos}`);
  }

  int64(): bigint {
    return BigInt.asIntN(64, this.varint());
  }

  bool(): boolean {
    return this.varint() !== 0n;
  }

  fixed64(): bigint {
    this.need(8);
    const value = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    return value;
  }

  double(): number {
    this.need(8);
    const value = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return value;
  }

  fixed32(): number {
    this.need(4);
    const value = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return value;
  }

  bytesField(): Uint8Array {
    const length = this.uint();
    this.need(length);
    const slice = this.bytes.subarray(this.pos, this.pos + length);
    this.pos += length;
    return slice;
  }

  string(): string {
    try {
      return utf8.decode(this.bytesField());
    } catch (error) {
      if (error instanceof ProtoError) throw error;
      throw new ProtoError(`a string field is not valid UTF-8 (before byte ${this.pos})`);
    }
  }

  /** A reader over one embedded message, sharing the buffer. */
  message(): ProtoReader {
    const length = this.uint();
    this.need(length);
    const inner = new ProtoReader(this.bytes, this.pos, this.pos + length);
    this.pos += length;
    return inner;
  }

  /** Skips a field this decoder does not read (unknown fields must be ignored). */
  skip(wire: number): void {
    if (wire === VARINT) this.varint();
    else if (wire === FIXED64) this.advance(8);
    else if (wire === LEN) this.advance(this.uint());
    else if (wire === FIXED32) this.advance(4);
    else throw new ProtoError(`unsupported wire type ${wire} at byte ${this.pos}`);
  }

  /** Checks a field's wire type before it is read as that type. */
  expect(field: Field, wire: number): void {
    if (field.wire !== wire) {
      throw new ProtoError(`field ${field.number} has wire type ${field.wire}, expected ${wire} (before byte ${this.pos})`);
    }
  }

  private advance(n: number) {
    this.need(n);
    this.pos += n;
  }

  private need(n: number) {
    if (n < 0 || this.pos + n > this.end) {
      throw new ProtoError(`message truncated: needs ${n} more bytes at byte ${this.pos} of ${this.end}`);
    }
  }
}
