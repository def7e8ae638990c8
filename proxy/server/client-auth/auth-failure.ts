/** A login the proxy refuses: sent to the client as FATAL with this SQLSTATE and message. */
export class AuthFailure extends Error {
  constructor(
    readonly sqlstate: string,
    message: string,
  ) {
    super(message);
    this.name = 'AuthFailure';
  }
}
