import { kind } from '../message-kind.js';

/** The legacy fast-path function call. The proxy refuses it: its target is an OID that no policy can judge. */
export const FunctionCall = kind('F', 'FunctionCall', 'frontend');
