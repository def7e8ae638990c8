// Every message kind names its type byte and which side sends it, so a reader of a trace (or of this code)
// never has to guess whether 'D' means Describe (frontend) or DataRow (backend).

export type Direction = 'frontend' | 'backend' | 'both';

export interface MessageKind {
  /** The type byte; 0 for the untyped startup-phase packets. */
  readonly code: number;
  readonly name: string;
  /** `frontend`: sent by the client; `backend`: sent by the server; `both`: the COPY messages. */
  readonly direction: Direction;
}

export function kind(char: string, name: string, direction: Direction): MessageKind {
  return Object.freeze({ code: char === '' ? 0 : char.charCodeAt(0), name, direction });
}
