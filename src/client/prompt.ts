/**
 * Asking the user for a password or a one-time code.
 *
 * On a terminal the prompt goes to stderr and the typed characters are not
 * echoed. When standard input is not a terminal (scripts, CI), answers are
 * read as lines from it, in the order asked: password, then code.
 */
import { TshError } from '../shared/errors.js';

/** How `tsh login` asks for its answers; an interface so the login flow can be driven without a terminal. */
export interface Prompter {
  /** Shows question and resolves with the answer; `secret` answers are not echoed. */
  ask(question: string, opts: { secret: boolean }): Promise<string>;
}

/** A prompter over process stdin/stderr. */
export function terminalPrompter(stdin: NodeJS.ReadStream = process.stdin, stderr: NodeJS.WriteStream = process.stderr): Prompter {
  const lines = stdin.isTTY ? undefined : lineReader(stdin);
  return {
    async ask(question, { secret }) {
      if (lines) {
        const line = await lines.next();
        if (line === undefined) throw new TshError('USAGE', `no answer on standard input for "${question.replace(/:\s*$/, '')}"`, { hint: 'pipe the password (and the one-time code) as lines, or run on a terminal' });
        return line;
      }
      stderr.write(question);
      return readTty(stdin, stderr, secret);
    },
  };
}

function readTty(stdin: NodeJS.ReadStream, stderr: NodeJS.WriteStream, secret: boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    let value = '';
    const wasRaw = stdin.isRaw;
    stdin.setRawMode?.(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const done = (err?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode?.(wasRaw ?? false);
      stdin.pause();
      stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new TshError('INTERRUPTED', 'interrupted'));
        if (ch === '\u0004' && value === '') return done(new TshError('USAGE', 'no input'));
        if (ch === '\u007f' || ch === '\b') {
          value = value.slice(0, -1);
          continue;
        }
        value += ch;
        if (!secret) stderr.write(ch);
      }
    };
    stdin.on('data', onData);
  });
}

/** Reads standard input one line at a time, without consuming more than it has to. */
function lineReader(stdin: NodeJS.ReadableStream): { next(): Promise<string | undefined> } {
  let buffer = '';
  let ended = false;
  const waiters: Array<() => void> = [];
  stdin.setEncoding?.('utf8');
  stdin.on('data', (c) => {
    buffer += c;
    waiters.splice(0).forEach((w) => w());
  });
  stdin.on('end', () => {
    ended = true;
    waiters.splice(0).forEach((w) => w());
  });
  stdin.pause();
  return {
    async next() {
      for (;;) {
        const i = buffer.indexOf('\n');
        if (i >= 0) {
          const line = buffer.slice(0, i).replace(/\r$/, '');
          buffer = buffer.slice(i + 1);
          if (!buffer) stdin.pause();
          return line;
        }
        if (ended) {
          if (buffer) {
            const rest = buffer;
            buffer = '';
            return rest;
          }
          return undefined;
        }
        stdin.resume();
        await new Promise<void>((r) => waiters.push(r));
      }
    },
  };
}
