// Reading a password without it touching a string, a log or the terminal's echo.
import type { Readable } from 'node:stream';

export type PasswordInput = Readable & { isTTY?: boolean; setRawMode?(raw: boolean): unknown };

const MAX_PASSWORD_BYTES = 1024;

/** The first line of a non-interactive stream (without its line ending), as bytes. */
export function readPasswordLine(input: Readable): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const finish = (error?: Error) => {
      input.off('data', onData);
      input.off('end', onEnd);
      input.off('error', onError);
      input.pause();
      const all = Buffer.concat(chunks, length);
      for (const c of chunks) c.fill(0);
      if (error) {
        all.fill(0);
        reject(error);
        return;
      }
      let end = all.indexOf(0x0a);
      if (end < 0) end = all.length;
      if (end > 0 && all[end - 1] === 0x0d) end--;
      const line = Buffer.from(all.subarray(0, end));
      all.fill(0);
      if (line.length > MAX_PASSWORD_BYTES) {
        line.fill(0);
        reject(new Error(`the password is longer than ${MAX_PASSWORD_BYTES} bytes`));
        return;
      }
      resolve(line);
    };
    const onData = (chunk: Buffer | string) => {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      chunks.push(buf);
      length += buf.length;
      if (buf.includes(0x0a) || length > MAX_PASSWORD_BYTES + 2) finish();
    };
    const onEnd = () => finish();
    const onError = (error: Error) => finish(new Error(`cannot read the password: ${error.message}`));
    input.on('data', onData);
    input.on('end', onEnd);
    input.on('error', onError);
    input.resume();
  });
}

/** Prompts twice on a terminal with echo off; rejects when the two differ or the user interrupts. */
export async function promptPassword(input: PasswordInput, out: { write(text: string): unknown }): Promise<Buffer> {
  // Bytes typed (or pasted) after the first line ending belong to the second prompt.
  const rest: number[] = [];
  const first = await promptOnce(input, out, 'New password: ', rest);
  let second: Buffer;
  try {
    second = await promptOnce(input, out, 'Retype new password: ', rest);
  } catch (error) {
    first.fill(0);
    throw error;
  } finally {
    rest.fill(0);
  }
  const same = first.equals(second);
  second.fill(0);
  if (!same) {
    first.fill(0);
    throw new Error('the passwords do not match');
  }
  return first;
}

function promptOnce(input: PasswordInput, out: { write(text: string): unknown }, prompt: string, rest: number[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const bytes: number[] = [];
    let finished = false;
    out.write(prompt);
    input.setRawMode?.(true);
    const done = (error?: Error) => {
      finished = true;
      input.off('data', onData);
      input.setRawMode?.(false);
      input.pause();
      out.write('\n');
      const result = Buffer.from(bytes);
      bytes.fill(0);
      if (error) {
        result.fill(0);
        reject(error);
      } else resolve(result);
    };
    /** Feeds typed bytes; returns how many it consumed (all of them unless the line ended). */
    const feed = (buf: ArrayLike<number>): number => {
      for (let i = 0; i < buf.length; i++) {
        const b = buf[i];
        if (b === 0x0d || b === 0x0a) {
          done();
          return i + 1;
        }
        if (b === 0x7f || b === 0x08) {
          // Erase one character: its UTF-8 continuation bytes, then its lead byte.
          while (bytes.length > 0 && (bytes[bytes.length - 1] & 0xc0) === 0x80) bytes.pop();
          bytes.pop();
          continue;
        }
        const error =
          b === 0x03 ? 'interrupted'
          : b === 0x04 && bytes.length === 0 ? 'no password given'
          : bytes.length >= MAX_PASSWORD_BYTES ? `the password is longer than ${MAX_PASSWORD_BYTES} bytes`
          : undefined;
        if (error !== undefined) {
          done(new Error(error));
          return buf.length;
        }
        if (b === 0x04) continue; // end-of-file after some input: ignored, as terminals do
        bytes.push(b);
      }
      return buf.length;
    };
    const onData = (chunk: Buffer | string) => {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      const used = feed(buf);
      if (finished) for (let i = used; i < buf.length; i++) rest.push(buf[i]);
    };
    if (rest.length > 0) {
      const pending = rest.splice(0, rest.length);
      const used = feed(pending);
      if (finished) rest.push(...pending.slice(used));
      pending.fill(0);
      if (finished) return;
    }
    input.on('data', onData);
    input.resume();
  });
}
