import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { formatIssues } from '../config.js';
import { deploymentSchema, type Deployment } from './schema.js';

/** The demo deployment shipped with Tamtam, used when `DEPLOYMENT_FILE` is not set. */
export const bundledDeploymentFile = fileURLToPath(new URL('../../deploy/demo.yaml', import.meta.url));

/** Thrown when the deployment file cannot be read or is invalid; one line per problem. */
export class DeploymentError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}:\n${problems.join('\n')}`);
    this.name = 'DeploymentError';
  }
}

/** A deployment with gazetteer paths resolved against the file's own directory. */
export type LoadedDeployment = Deployment & { file: string };

export async function loadDeployment(file: string = bundledDeploymentFile): Promise<LoadedDeployment> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new DeploymentError(file, [`cannot read the deployment file: ${(error as Error).message}`]);
  }
  return parseDeployment(text, file);
}

export function parseDeployment(text: string, file: string): LoadedDeployment {
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0)
    throw new DeploymentError(
      file,
      doc.errors.map((e) => `YAML: ${e.message.split('\n')[0]}`),
    );
  const parsed = deploymentSchema.safeParse(doc.toJS());
  if (!parsed.success) throw new DeploymentError(file, formatIssues(parsed.error.issues));
  const dir = path.dirname(file);
  return {
    ...parsed.data,
    file,
    gazetteers: parsed.data.gazetteers.map((g) => ({ ...g, path: path.resolve(dir, g.path) })),
  };
}
