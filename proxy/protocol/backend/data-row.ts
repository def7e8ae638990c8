import { kind } from '../message-kind.js';

/** One result row. Forwarded unread; the proxy only counts them. */
export const DataRow = kind('D', 'DataRow', 'backend');
