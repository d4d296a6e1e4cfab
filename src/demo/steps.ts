/**
 * How the demo shows each step: the command as a user would type it, then
 * its output, with a spinner on stderr while a step takes a moment.
 */
import { spawn, type SpawnOptions } from 'node:child_process';
import type { ChalkInstance } from 'chalk';

/** What the demo script calls to narrate itself, so each step reads like a terminal session a user could repeat. */
export interface StepRunner {
  /** Prints a section title. */
  title(text: string): void;
  /** Prints a note in dim text. */
  note(text: string): void;
  /** Prints `$ shown` and runs argv; echoes its output; throws when it fails. */
  run(shown: string, argv: string[], opts?: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string; allowFail?: boolean }): Promise<{ code: number; stdout: string; stderr: string }>;
  /** Shows a spinner with a label while fn runs. */
  spin<T>(label: string, fn: () => Promise<T>): Promise<T>;
}

/** A step runner writing to the process's stdout/stderr. */
export function stepRunner(c: ChalkInstance, tty: boolean): StepRunner {
  const out = process.stdout;
  const spin = async <T>(label: string, fn: () => Promise<T>): Promise<T> => {
    if (!tty) {
      process.stderr.write(`${label}...\n`);
      return fn();
    }
    const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
    let i = 0;
    const timer = setInterval(() => process.stderr.write(`\r${c.cyan(frames[i++ % frames.length])} ${label}`), 80);
    try {
      const r = await fn();
      process.stderr.write(`\r${c.green('✔')} ${label}\n`);
      return r;
    } catch (err) {
      process.stderr.write(`\r${c.red('✘')} ${label}\n`);
      throw err;
    } finally {
      clearInterval(timer);
    }
  };
  return {
    title: (text) => out.write(`\n${c.bold.underline(text)}\n\n`),
    note: (text) => out.write(`${c.dim(text)}\n`),
    spin,
    async run(shown, argv, opts = {}) {
      out.write(`${c.bold.green('$')} ${c.bold(shown)}\n`);
      const exec = () => runCaptured(argv, { env: opts.env, cwd: opts.cwd }, opts.input);
      const result = tty ? await spin(`running ${shown.split(' ')[0]}`, exec) : await exec();
      if (result.stderr) out.write(c.yellow(result.stderr.endsWith('\n') ? result.stderr : result.stderr + '\n'));
      if (result.stdout) out.write(result.stdout.endsWith('\n') ? result.stdout : result.stdout + '\n');
      if (result.code !== 0 && !opts.allowFail) throw new Error(`"${shown}" failed with exit code ${result.code}`);
      return result;
    },
  };
}

/** Runs a program to completion and captures its output. */
export function runCaptured(argv: string[], opts: SpawnOptions, input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { ...opts, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin!.end(input ?? '');
  });
}
