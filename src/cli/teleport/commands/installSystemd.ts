import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { CliContext } from '../../cliContext.js';
import { DEFAULTS, readTeleportConfig, withDefaults } from '../../../cluster/config/teleportConfig.js';
import { systemdUnit } from '../../../cluster/install/systemdUnit.js';
import { say } from '../../output.js';
import { logFilePath } from '../../../cluster/logger.js';
import { writeNewFile } from '../writeNewFile.js';

/**
 * teleport install systemd [--config FILE] [--env-file FILE] [--output FILE].
 * The config is read when it exists (its data_dir and log file become the
 * unit's writable paths, and a config that would not start is refused now
 * rather than at boot); the unit runs this very node and teleport.
 */
export default async function (ctx: CliContext, cmd: Command): Promise<void> {
  const o = cmd.opts() as { config: string; envFile: string; output?: string };
  const configPath = resolve(o.config);
  let dataDir = DEFAULTS.dataDir;
  let logFile: string | undefined;
  if (existsSync(configPath)) {
    const config = withDefaults(await readTeleportConfig(configPath));
    dataDir = config.dataDir;
    const file = logFilePath(config.log.output);
    if (file) logFile = resolve(file);
  } else {
    say(ctx, `note: ${configPath} does not exist yet (write it with \`teleport configure --output ${configPath}\`); the unit uses the data dir ${dataDir}`);
  }
  const unit = systemdUnit({ teleport: [process.execPath, resolve(process.argv[1])], configPath, dataDir, logFile, envFile: resolve(o.envFile) });
  if (!o.output) return void ctx.stdout.write(unit);
  const path = await writeNewFile(o.output, unit, 0o644);
  const name = basename(path, '.service');
  say(ctx, `Wrote ${path}. Then:\n\n  systemctl daemon-reload\n  systemctl enable --now ${name}\n  systemctl status ${name}\n  journalctl -u ${name} -f`);
}
