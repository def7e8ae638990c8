// Which startup parameters travel to the server. PostgreSQL accepts ANY setting as a startup parameter
// (search_path, role, options=-c ...), and those would change what statements mean behind the analyzer's back,
// so only settings that affect formatting and client-side limits pass; anything else is refused by name.
const FORWARDED = new Set([
  'database',
  'application_name',
  'client_encoding',
  'DateStyle',
  'TimeZone',
  'IntervalStyle',
  'extra_float_digits',
  'statement_timeout',
  'lock_timeout',
  'idle_in_transaction_session_timeout',
]);

/** Protocol-level or harmless when empty: dropped rather than refused. */
const DROPPED = new Set(['user', 'replication', 'options']);

export type StartupParameterCheck = { ok: true; forwarded: Record<string, string> } | { ok: false; name: string };

export function upstreamParameters(parameters: Map<string, string>, database: string): StartupParameterCheck {
  const forwarded: Record<string, string> = {};
  for (const [name, value] of parameters) {
    if (name.startsWith('_pq_.')) continue; // answered by NegotiateProtocolVersion
    if (FORWARDED.has(name)) forwarded[name] = value;
    else if (DROPPED.has(name) && (name === 'user' || value === '' || value === 'false')) continue;
    else return { ok: false, name };
  }
  forwarded.database = database;
  return { ok: true, forwarded };
}
