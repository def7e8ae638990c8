// ErrorResponse ('E') and NoticeResponse ('N') share a body of (field code, string) pairs.
import { kind } from '../message-kind.js';
import type { MessageReader } from '../reader.js';
import { MessageWriter } from '../writer.js';

export const ErrorResponse = kind('E', 'ErrorResponse', 'backend');
export const NoticeResponse = kind('N', 'NoticeResponse', 'backend');

export interface ErrorFields {
  severity: 'ERROR' | 'FATAL' | 'PANIC' | 'WARNING' | 'NOTICE' | string;
  /** SQLSTATE, e.g. 08P01 for protocol violations. */
  code: string;
  message: string;
  detail?: string;
  hint?: string;
}

export function errorResponse(fields: ErrorFields): Buffer {
  const w = new MessageWriter();
  w.byte(0x53).cstring(fields.severity); // S: localized severity
  w.byte(0x56).cstring(fields.severity); // V: severity, never localized
  w.byte(0x43).cstring(fields.code); // C
  w.byte(0x4d).cstring(fields.message); // M
  if (fields.detail) w.byte(0x44).cstring(fields.detail); // D
  if (fields.hint) w.byte(0x48).cstring(fields.hint); // H
  return w.byte(0).finish(ErrorResponse.code);
}

export function readErrorFields(reader: MessageReader): ErrorFields {
  const fields: ErrorFields = { severity: 'ERROR', code: 'XX000', message: '' };
  while (reader.remaining > 0) {
    const field = reader.byte();
    if (field === 0) break;
    const value = reader.cstring();
    if (field === 0x56 || (field === 0x53 && fields.severity === 'ERROR')) fields.severity = value;
    else if (field === 0x43) fields.code = value;
    else if (field === 0x4d) fields.message = value;
    else if (field === 0x44) fields.detail = value;
    else if (field === 0x48) fields.hint = value;
  }
  return fields;
}
