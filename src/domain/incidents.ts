/**
 * Whether two warnings tell of the same incident (DESIGN.md, README "Alerts about the same
 * incident"): pure rules over what the analyser found in each, so they can be table-tested.
 */
import { registeredPlace, type Place, type PlaceMatch } from './place.js';
import type { ThreatType } from './taxonomy.js';

/** What is known of an incident: its alert's types and place. */
export interface IncidentFacts {
  /** Null while the alert is not classified yet (its type then separates nothing). */
  threatType: ThreatType | null;
  otherThreatTypes: readonly ThreatType[];
  place: Place | null;
}

/** What the analyser made of a new message. */
export interface MessageFacts {
  text: string;
  threatType: ThreatType;
  otherThreatTypes: readonly ThreatType[];
  /**
   * The place of the message: for a follow-up, the one it names (findPlace without the reporter's
   * registered place); for another reporter's warning, the one it names or else the reporter's
   * registered place. Null when there is none.
   */
  place: PlaceMatch | null;
}

/** How close two incidents must be (defaults: README "Alerts about the same incident"). */
export interface IncidentSettings {
  /** Places whose centres are at most this far apart are one place (km; default 10). */
  nearKm: number;
  /** A place found with less confidence than this is not taken as naming another place (default 0.9: exact or accent-forgiven names). */
  placeConfidence: number;
}

export const defaultIncidentSettings: IncidentSettings = { nearKm: 10, placeConfidence: 0.9 };

/**
 * Threat types that can be the same incident seen at another moment or from another angle
 * (symmetric). Armed men seen are the setting of whatever they do next; an attack on a village
 * brings shooting, burning and people fleeing; a clash brings shelling and flight. Kinds that call
 * for a response of their own (an abduction, sexual violence, cattle raiding beside a rape) are
 * kept apart: a wrong split costs officers a linked second card, a wrong merge hides a warning.
 */
const continuations: Record<ThreatType, readonly ThreatType[]> = {
  armed_group_presence: [
    'attack_on_civilians',
    'armed_clash',
    'abduction',
    'sexual_violence',
    'looting_destruction',
    'explosive_device',
    'intercommunal_tension',
    'displacement',
  ],
  attack_on_civilians: ['armed_group_presence', 'armed_clash', 'looting_destruction', 'explosive_device', 'displacement'],
  armed_clash: ['armed_group_presence', 'attack_on_civilians', 'explosive_device', 'displacement'],
  looting_destruction: ['armed_group_presence', 'attack_on_civilians', 'displacement'],
  explosive_device: ['armed_group_presence', 'attack_on_civilians', 'armed_clash'],
  displacement: ['armed_group_presence', 'attack_on_civilians', 'armed_clash', 'looting_destruction', 'intercommunal_tension'],
  intercommunal_tension: ['armed_group_presence', 'displacement'],
  abduction: ['armed_group_presence'],
  sexual_violence: ['armed_group_presence'],
  other: [],
};

/**
 * Whether any type of one can continue any type of the other. `other` (no threat told: "ils sont
 * toujours là", "ok merci", "2 blessés") continues anything when `otherContinues` (a reporter's
 * follow-up), and nothing otherwise (another reporter's warning must say what happened to be grouped).
 */
export function compatibleTypes(a: readonly ThreatType[], b: readonly ThreatType[], { otherContinues }: { otherContinues: boolean }): boolean {
  const told = (types: readonly ThreatType[]) => types.filter((t) => t !== 'other');
  const [x, y] = [told(a), told(b)];
  if (x.length === 0 || y.length === 0) return otherContinues;
  return x.some((t) => y.some((u) => u === t || continuations[t].includes(u)));
}

/** Words that say the same people moved, came from or went to the place named ("partis vers Bankass", "heading to Konna"). */
const movement =
  /\b(vers|direction|en route|partis?|partie?s|quitte|se dirigent|se dirige|dirigent|venus? de|venues? de|viennent de|arrivent de|en provenance|fuient|fui|towards?|heading|moving|moved|going to|gone to|left for|came from|coming from|come from|fled|fleeing)\b/;

const plain = (text: string) => text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();

/** Whether the message says people moved (to or from the place it names). */
export function tellsOfMovement(text: string): boolean {
  return movement.test(plain(text));
}

/** What a message telling only of people moving is classified as. */
const movementTypes: readonly ThreatType[] = ['displacement', 'armed_group_presence', 'other'];

const levelOf = (p: Place) => p.level ?? 4;
const adminAt = (p: Place, level: number) => (level === 1 ? p.admin1 : level === 2 ? p.admin2 : level === 3 ? p.admin3 : null);
const sameName = (a: string | null, b: string) => a !== null && plain(a) === plain(b);

/** `inner` lies within the admin unit `outer` (a village of a cercle, a commune of a region). */
function within(inner: Place, outer: Place): boolean {
  const level = levelOf(outer);
  return level < levelOf(inner) && sameName(adminAt(inner, level), outer.name);
}

/** Great-circle distance in km. */
function distanceKm(a: Place, b: Place): number | null {
  if (a.lat === null || a.lon === null || b.lat === null || b.lon === null) return null;
  const rad = Math.PI / 180;
  const h = Math.sin(((b.lat - a.lat) * rad) / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(((b.lon - a.lon) * rad) / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Whether two places are one for an incident: the same entry, one inside the other, or centres at
 * most `nearKm` apart. Two different places with exactly the same centre are not taken as near:
 * the gazetteer gave them their parent's centre (Open Admin Data's arrondissements share their
 * cercle's), which says nothing of the distance between them.
 */
export function samePlace(a: Place, b: Place, nearKm: number): boolean {
  if (a.id === b.id) return true;
  if (within(a, b) || within(b, a)) return true;
  if (a.lat === b.lat && a.lon === b.lon) return false;
  const km = distanceKm(a, b);
  return km !== null && km <= nearKm;
}

/** Why a message is, or is not, about the incident it was compared with. */
export type IncidentVerdict =
  | { same: true; reason: 'no other place' | 'same place' | 'movement' }
  | { same: false; reason: 'another place' | 'another threat' };

/**
 * Whether a reporter's message inside the follow-up window adds to their alert (`same`) or tells
 * of a different incident. Different when it names, with confidence, a place that is not the
 * alert's, not inside it nor containing it, and not within `nearKm` (unless it says the people
 * moved there: "ils sont partis vers Bankass"); or when it tells of a threat that cannot continue
 * the alert's (see `continuations`; a message telling only of people moving continues any). A message that tells of no threat and names no place
 * ("ils st tjrs la", "une vingtaine", "ok merci") always follows up.
 */
export function followUpVerdict(alert: IncidentFacts, message: MessageFacts, settings: IncidentSettings = defaultIncidentSettings): IncidentVerdict {
  const alertTypes = alert.threatType ? [alert.threatType, ...alert.otherThreatTypes] : [];
  const messageTypes = [message.threatType, ...message.otherThreatTypes];
  // "ils sont partis vers Bankass" reads as people fleeing or armed men moving: after any incident, its actors moving on.
  const movingOn = tellsOfMovement(message.text) && messageTypes.every((t) => movementTypes.includes(t));
  if (alertTypes.length > 0 && !movingOn && !compatibleTypes(alertTypes, messageTypes, { otherContinues: true }))
    return { same: false, reason: 'another threat' };
  const named = message.place && message.place.confidence >= settings.placeConfidence ? message.place.place : null;
  if (!named || !alert.place) return { same: true, reason: 'no other place' };
  if (samePlace(alert.place, named, settings.nearKm)) return { same: true, reason: 'same place' };
  if (tellsOfMovement(message.text)) return { same: true, reason: 'movement' };
  return { same: false, reason: 'another place' };
}

/**
 * Whether another reporter's warning is about the incident of an alert (corroboration): both
 * tell of a threat, of compatible types, and at one place (see samePlace). The warning's place is
 * the one it names with confidence, or else its reporter's registered place: people of a village
 * under attack text "on nous attaque" without naming the village they are in. A warning with
 * neither, an alert without a place, or a place only guessed ("tiré" → Tièrè), is never grouped:
 * nothing says it is the same incident. The time window is the caller's (the alerts it compares with).
 */
export function corroborates(
  alert: IncidentFacts,
  warning: Omit<MessageFacts, 'text'>,
  settings: IncidentSettings = defaultIncidentSettings,
): boolean {
  if (!alert.threatType || !alert.place || !warning.place || !placeKnown(warning.place, settings)) return false;
  if (!compatibleTypes([alert.threatType, ...alert.otherThreatTypes], [warning.threatType, ...warning.otherThreatTypes], { otherContinues: false }))
    return false;
  return samePlace(alert.place, warning.place.place, settings.nearKm);
}

/** Whether a warning's place can tell it is the same incident: named with confidence, or its reporter's registered place. */
export function placeKnown(place: PlaceMatch, settings: IncidentSettings = defaultIncidentSettings): boolean {
  return place.confidence >= settings.placeConfidence || place.matched === registeredPlace;
}
