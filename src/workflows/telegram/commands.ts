import { Composer } from 'grammy';
import { answerOfficerCommand } from '../officer-answers.js';
import { parseOfficerCommand } from '../officer-commands.js';
import type { OfficerContext } from './context.js';

/**
 * The SMS commands typed to the bot (`FIN A7K3Q patrouille`, `DOUBLON A7K3Q B8M4R`,
 * `NOTE A7K3Q …`): answered as by SMS. Anything else goes on to the next feature.
 */
export const commands = new Composer<OfficerContext>();

commands.on('message:text').filter(
  (ctx) => ctx.message.reply_to_message === undefined && parseOfficerCommand(ctx.message.text) !== null,
  async (ctx) => ctx.reply(await answerOfficerCommand(ctx.deps, ctx.officer, ctx.message.text)),
);
