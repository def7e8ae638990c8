// Binary-format numbers as text, so masks and detectors see what a text-format client would see (a card number
// stored in an int8 or numeric is still a card number), and integers written back in binary after a mask.

/** The text form of a binary int2/int4/int8/oid, float4/float8 or numeric value; null for other types. */
export function binaryNumberText(typeOid: number, buffer: Buffer, start: number, length: number): string | null {
  switch (typeOid) {
    case 21:
      return length === 2 ? String(buffer.readInt16BE(start)) : null;
    case 23:
      return length === 4 ? String(buffer.readInt32BE(start)) : null;
    case 26:
      return length === 4 ? String(buffer.readUInt32BE(start)) : null;
    case 20:
      return length === 8 ? buffer.readBigInt64BE(start).toString() : null;
    case 700:
      return length === 4 ? String(buffer.readFloatBE(start)) : null;
    case 701:
      return length === 8 ? String(buffer.readDoubleBE(start)) : null;
    case 1700:
      return numericText(buffer, start, length);
    default:
      return null;
  }
}

/**
 * numeric's binary form: ndigits, weight, sign, dscale (int16 each), then ndigits base-10000 digits; the first
 * digit's place is 10000^weight.
 */
function numericText(buffer: Buffer, start: number, length: number): string | null {
  if (length < 8) return null;
  const ndigits = buffer.readInt16BE(start);
  const weight = buffer.readInt16BE(start + 2);
  const sign = buffer.readUInt16BE(start + 4);
  const dscale = buffer.readInt16BE(start + 6);
  if (ndigits < 0 || length !== 8 + 2 * ndigits) return null;
  if (sign === 0xc000) return 'NaN';
  if (sign === 0xd000) return 'Infinity';
  if (sign === 0xf000) return '-Infinity';
  let integer = '';
  let fraction = '';
  for (let i = 0; i < ndigits; i++) {
    const group = String(buffer.readInt16BE(start + 8 + 2 * i)).padStart(4, '0');
    if (i <= weight) integer += group;
    else fraction += group;
  }
  // Groups between the last digit and the decimal point, or between the point and the first digit, are zeros.
  if (weight >= ndigits) integer += '0000'.repeat(weight - ndigits + 1);
  if (weight < -1) fraction = '0000'.repeat(-weight - 1) + fraction;
  integer = integer.replace(/^0+(?=\d)/, '') || '0';
  fraction = dscale > 0 ? fraction.padEnd(dscale, '0').slice(0, dscale) : '';
  return `${sign === 0x4000 ? '-' : ''}${integer}${fraction ? `.${fraction}` : ''}`;
}

/** Writes a masked integer (already checked to be in range for the type) in binary; returns the byte count. */
export function writeBinaryInteger(typeOid: number, text: string, out: Buffer, at: number): number {
  switch (typeOid) {
    case 21:
      return out.writeInt16BE(Number(text), at) - at;
    case 23:
      return out.writeInt32BE(Number(text), at) - at;
    case 26:
      return out.writeUInt32BE(Number(text), at) - at;
    default:
      return out.writeBigInt64BE(BigInt(text), at) - at;
  }
}

export function binaryIntegerSize(typeOid: number): number {
  return typeOid === 20 ? 8 : typeOid === 21 ? 2 : 4;
}
