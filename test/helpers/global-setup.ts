import pg from 'pg';
import { connectDatabase, migrateDatabase } from '../../src/db/index.js';
import { databaseUrl, templateDatabase, testPostgresUrl } from './env.js';

/** Builds a migrated template database once; each test clones it (CREATE DATABASE … TEMPLATE). */
export default async function setup(): Promise<void> {
  const admin = new pg.Client({ connectionString: testPostgresUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${templateDatabase} with (force)`);
  await admin.query(`create database ${templateDatabase}`);
  await admin.end();
  const database = connectDatabase(databaseUrl(templateDatabase), { max: 1 });
  await migrateDatabase(database.pool);
  await database.close();
}
