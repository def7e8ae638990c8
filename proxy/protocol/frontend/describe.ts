import { kind } from '../message-kind.js';
import type { MessageReader } from '../reader.js';

/** Extended query: asks for the description of a statement ('S') or portal ('P'). */
export const Describe = kind('D', 'Describe', 'frontend');

export function readDescribe(reader: MessageReader): { target: number; name: string } {
  const target = reader.byte();
  return { target, name: reader.cstring() };
}
