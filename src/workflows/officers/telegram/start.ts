import { getOffice } from '../../../db/offices.js';
import { tr, type OfficerTurn } from './context.js';

/** /start: greets the officer in their language and says which office they serve. */
export async function start(turn: OfficerTurn): Promise<string> {
  const office = await getOffice(turn.deps.db, turn.officer.officeId);
  return tr(turn, 'telegram.welcome', { name: turn.officer.name, office: office?.name ?? turn.officer.officeId });
}
