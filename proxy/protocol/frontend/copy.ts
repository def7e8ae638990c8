import { kind } from '../message-kind.js';

// COPY traffic: CopyData and CopyDone travel both ways (client → server for COPY FROM STDIN, server → client for
// COPY TO STDOUT); CopyFail only from the client. The proxy forwards them without reading them.
export const CopyData = kind('d', 'CopyData', 'both');
export const CopyDone = kind('c', 'CopyDone', 'both');
export const CopyFail = kind('f', 'CopyFail', 'frontend');
