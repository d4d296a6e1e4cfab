/**
 * tsh completion bash|zsh|fish|powershell: prints tsh's completion script. The command
 * is shared with tctl (both print the script of the program they run in), so
 * it lives with the generators.
 */
export { default } from '../../completion/completionCommand.js';
