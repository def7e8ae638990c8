// The decision contract's input (policies/contract.ts) from what the proxy core hands the seam. Facts go to the
// policy as they are (their field names are the contract's); no copies of the statement are made.
import type { ColumnsInput, ResultColumn, StatementInput as ContractInput } from '../../policies/contract.js';
import type { StatementInput } from '../server/verdict-seam.js';

export function statementInput(input: StatementInput, environment: string, tickMs: number | null): ContractInput {
  const out: ContractInput = {
    identity: { user: input.identity.user, groups: input.identity.groups, auth_method: input.identity.method },
    session: {
      database: input.database,
      environment,
      application_name: input.applicationName,
      client_address: input.clientAddress,
    },
    statement: input.facts,
  };
  // Ticks are multiples of a millisecond count, so tick * 1e6 is an exact double.
  if (tickMs !== null) out.time = { now_ns: tickMs * 1_000_000 };
  return out;
}

export function columnsInput(input: StatementInput, environment: string, tickMs: number | null, columns: ResultColumn[]): ColumnsInput {
  return { ...statementInput(input, environment, tickMs), columns };
}
