/**
 * Reads a commander program into the completion model: the visible
 * subcommands (commander's implicit `help` included, hidden ones left out),
 * their aliases, options, option choices and arguments. The shell scripts
 * are generated from this, so they follow the tree as it changes.
 */
import type { Command, Option } from 'commander';
import type { CompletionArgument, CompletionNode, CompletionOption } from './model.js';
import { argumentValues, optionValues } from './valueSources.js';

/** commander keeps `.passThroughOptions()` private; this is the only place that reads it. */
function passesThrough(cmd: Command): boolean {
  return Boolean((cmd as unknown as { _passThroughOptions?: boolean })._passThroughOptions);
}

/** The model of `program` and everything under it. */
export function describeProgram(program: Command): CompletionNode {
  const rootLongs = new Set(program.options.map((o) => o.long).filter(Boolean));
  return describe(program.name(), program, [], false, [], rootLongs);
}

function describe(programName: string, cmd: Command, path: string[], isHelp: boolean, siblings: string[], rootLongs: Set<string | undefined>): CompletionNode {
  const help = cmd.createHelp();
  const subs = help.visibleCommands(cmd);
  const subNames = subs.map((c) => c.name()).filter((n) => n !== 'help');
  const passThrough = passesThrough(cmd);
  // After `tsh aws` only its own flags are ours: the ones every tsh command repeats are left out.
  const own = (o: Option) => !passThrough || o.long === '--help' || !rootLongs.has(o.long);
  const options: CompletionOption[] = help
    .visibleOptions(cmd)
    .filter(own)
    .map((o) => ({
      ...(o.short ? { short: o.short } : {}),
      ...(o.long ? { long: o.long } : {}),
      description: o.description,
      takesValue: o.required || o.optional,
      valueName: /[<[]([^\]>]*)[\]>]/.exec(o.flags)?.[1]?.replace(/\.\.\.$/, '') ?? '',
      values: optionValues(programName, o),
    }));
  const args: CompletionArgument[] = cmd.registeredArguments.map((a) => ({
    name: a.name(),
    description: a.description,
    required: a.required,
    variadic: a.variadic,
    values: argumentValues(programName, path, a, { isHelp, siblings }),
  }));
  const appOption = options.find((o) => o.values.type === 'dynamic' && o.values.source !== 'roles');
  const appArgument = args.findIndex((a) => a.values.type === 'dynamic' && a.values.source !== 'roles');
  return {
    name: cmd.name(),
    aliases: cmd.aliases(),
    description: cmd.description(),
    path,
    options,
    arguments: args,
    // The implicit help command is not in cmd.commands: that is how it is told apart.
    commands: subs.map((c) => describe(programName, c, [...path, c.name()], !cmd.commands.includes(c), subNames, rootLongs)),
    passThrough,
    appFrom: { ...(appOption?.long ? { option: appOption.long } : {}), ...(appArgument >= 0 ? { argument: appArgument } : {}) },
  };
}
