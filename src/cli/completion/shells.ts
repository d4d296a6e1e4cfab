import type { CompletionNode } from './model.js';
import { renderBash } from './bash.js';
import { renderFish } from './fish.js';
import type { Shell } from './shellNames.js';
import { renderZsh } from './zsh.js';
import { renderPowerShell } from './powershell.js';

export { shells, type Shell } from './shellNames.js';

/** The completion script of one shell for a program's tree: the single switch over shells. */
export function renderCompletion(shell: Shell, root: CompletionNode): string {
  switch (shell) {
    case 'bash':
      return renderBash(root);
    case 'zsh':
      return renderZsh(root);
    case 'fish':
      return renderFish(root);
    case 'powershell':
      return renderPowerShell(root);
  }
}
