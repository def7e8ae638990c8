import { kind } from '../message-kind.js';

/** Extended query: ends a pipeline segment; the server answers ReadyForQuery. */
export const Sync = kind('S', 'Sync', 'frontend');

/** Body-less, so one shared instance serves every connection. */
export const SYNC_MESSAGE: Buffer = Buffer.from([0x53, 0, 0, 0, 4]);
