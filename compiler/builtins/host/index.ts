// Host implementations of Rego builtins, in the shape `loadPolicy(wasm, memory, customBuiltins)` of
// @open-policy-agent/opa-wasm 1.10 expects. See wire.ts for how values, undefined and errors cross the SDK.
//
// Note: the SDK consults its own bundled builtins first (`sprintf` via sprintf-js, `regex.split`,
// `json.is_valid`, `yaml.*`), so for those names these implementations only run if the back end imports them
// under another name or the SDK changes.
import { aws } from './aws.js';
import { collections } from './collections.js';
import { crypto } from './crypto.js';
import { encoding } from './encoding.js';
import { glob } from './glob.js';
import { globsMatch } from './globs-match.js';
import { graphql } from './graphql/index.js';
import { jsonPaths } from './json-paths.js';
import { jsonSchema } from './jsonschema.js';
import { http, misc } from './misc.js';
import { net } from './net.js';
import { objects } from './objects.js';
import { regex } from './regex.js';
import { strings } from './strings.js';
import { time } from './time.js';
import { tokens } from './tokens.js';
import { units } from './units.js';
import { adapt, type HostFunction, type HostOptions, type Impl } from './wire.js';

export { BuiltinError } from './errors.js';
export type { HostFunction, HostOptions } from './wire.js';

const IMPLEMENTATIONS: Record<string, Impl> = {
  ...collections,
  ...strings,
  ...regex,
  ...glob,
  ...globsMatch,
  ...time,
  ...units,
  ...encoding,
  ...jsonPaths,
  ...jsonSchema,
  ...objects,
  ...net,
  ...misc,
  ...http,
  ...crypto,
  ...tokens,
  ...aws,
  ...graphql,
};

/** Names of every builtin implemented on the host. */
export const HOST_BUILTIN_NAMES: readonly string[] = Object.keys(IMPLEMENTATIONS).sort();

export function hostBuiltins(options: HostOptions = {}): Record<string, HostFunction> {
  const out: Record<string, HostFunction> = {};
  for (const [name, impl] of Object.entries(IMPLEMENTATIONS)) out[name] = adapt(name, impl, options);
  return out;
}
