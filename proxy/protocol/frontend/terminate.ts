import { kind } from '../message-kind.js';

/** The client is leaving. */
export const Terminate = kind('X', 'Terminate', 'frontend');

export const TERMINATE_MESSAGE: Buffer = Buffer.from([0x58, 0, 0, 0, 4]);
