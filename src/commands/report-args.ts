import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import { DeploymentError, loadDeployment } from '../deployment/load.js';
import { isTimeZone } from '../deployment/schema.js';
import type { CommandContext } from './context.js';

/**
 * A report command's options (`--from`, `--to`, `--by`, `--exercise`, …) as the query of the
 * matching HTTP endpoint, so both are checked by one schema; positionals are refused.
 */
export function reportArgs(args: string[], strings: string[], flags: string[]): { query: Record<string, string>; timezone?: string } | null {
  const options = Object.fromEntries([
    ...[...strings, 'timezone'].map((name) => [name, { type: 'string' as const }]),
    ...flags.map((name) => [name, { type: 'boolean' as const }]),
  ]);
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
    if (positionals.length > 0) return null;
    const query: Record<string, string> = {};
    for (const [name, value] of Object.entries(values)) {
      if (name === 'timezone') continue;
      query[name] = value === true ? '1' : String(value);
    }
    return { query, timezone: (values as Record<string, unknown>).timezone as string | undefined };
  } catch {
    return null;
  }
}

/** The mission's time zone: `--timezone`, else the deployment file's; null (and a line on stderr) when the file is bad. */
export async function missionTimezone(config: Config, override: string | undefined, context: CommandContext): Promise<string | null> {
  if (override) {
    if (isTimeZone(override)) return override;
    context.fail(`--timezone: unknown time zone "${override}" (use an IANA name such as Africa/Bamako)`);
    return null;
  }
  try {
    return (await loadDeployment(config.deploymentFile)).timezone;
  } catch (error) {
    if (!(error instanceof DeploymentError)) throw error;
    context.fail(error.message);
    return null;
  }
}
