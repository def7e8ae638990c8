// Comparison and unification operators (OPA's internal names; the infix form is what Rego source uses).
import { any, bool, category, fn } from './declare.js';

export const comparison = category('comparison', [
  fn('eq', [any, any], bool, { infix: '=' }),
  fn('equal', [any, any], bool, { infix: '==' }),
  fn('neq', [any, any], bool, { infix: '!=' }),
  fn('lt', [any, any], bool, { infix: '<' }),
  fn('lte', [any, any], bool, { infix: '<=' }),
  fn('gt', [any, any], bool, { infix: '>' }),
  fn('gte', [any, any], bool, { infix: '>=' }),
  fn('assign', [any, any], bool, { infix: ':=' }),
  fn('internal.member_2', [any, any], bool, { infix: 'in' }),
  fn('internal.member_3', [any, any, any], bool, { infix: 'in' }),
]);
