import type { Context } from 'grammy';
import type { OfficerRow } from '../../db/offices.js';
import type { WorkflowDeps } from '../deps.js';

/** A Telegram update from a known officer, with what the features need. */
export type OfficerContext = Context & { officer: OfficerRow; deps: WorkflowDeps };

/** The officer's language for a key of locales/<lng>/officer.json. */
export const tr = (ctx: OfficerContext, key: string, vars?: Record<string, unknown>) => ctx.deps.t(ctx.officer.language, `officer:${key}`, vars);
