import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { connectDatabase, migrateDatabase } from '../../src/db/index.js';
import { databaseUrl, testPostgresUrl } from './env.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** This run's migrated template database (each test clones it). */
    templateDatabase: string;
  }
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: testPostgresUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * Builds a migrated template database once per run, named for this run so that two runs on one
 * machine (a developer's and CI's) never share it; each test clones it (CREATE DATABASE … TEMPLATE).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const name = `tamtam_test_template_${randomBytes(4).toString('hex')}`;
  await admin(`create database ${name}`);
  const database = connectDatabase(databaseUrl(name), { max: 1 });
  await migrateDatabase(database.pool);
  await database.close();
  project.provide('templateDatabase', name);
  return () => admin(`drop database if exists ${name} with (force)`);
}
