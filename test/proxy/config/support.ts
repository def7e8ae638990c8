// Shared by the config tests: write a config file into a test folder, and take the message of a ConfigError.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import { ConfigError } from '../../../proxy/config/config.js';

export async function writeIn(dir: string, name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

/** The rendered message of the ConfigError `p` rejects with; fails the test when it resolves or throws another error. */
export async function errorOf(p: Promise<unknown>): Promise<string> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).message;
}
