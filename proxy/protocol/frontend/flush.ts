import { kind } from '../message-kind.js';

/** Extended query: asks the server to send what it has without waiting for Sync. */
export const Flush = kind('H', 'Flush', 'frontend');
