import type { PlaceHint, PlaceMatch } from '../domain/place.js';
import type { ThreatType, Urgency } from '../domain/taxonomy.js';

/** What the classifier makes of a warning's text. */
export interface Classification {
  threatType: ThreatType;
  /**
   * Other things the message tells of besides the primary type ("kidnapped a woman and raped
   * her": abduction, then sexual_violence), most severe first; never contains `threatType`.
   * Severity follows the worst of all of them (see severityOfTypes).
   */
  otherThreatTypes: ThreatType[];
  urgency: Urgency;
  /** 0..1: how sure the classifier is of `threatType`. */
  confidence: number;
  /** The words of the message that decided the type and urgency, shown on the officer's card. */
  evidence: string[];
  /** ISO 639-1 code of the message's language, or null when it cannot tell. */
  language: string | null;
}

/**
 * Understands a warning. Implementations are pure and synchronous so they can run in any worker;
 * the gazetteer is loaded into memory once per process.
 */
export interface WarningAnalyser {
  classify(text: string): Classification;
  findPlace(text: string, hint?: PlaceHint): PlaceMatch | null;
  /** The message's language alone (as `classify` finds it), for answering a reporter before their alert is classified. */
  language(text: string): string | null;
}
