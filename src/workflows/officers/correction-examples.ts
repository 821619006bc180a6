import type { AlertEventRow, AlertRow } from '../../db/alerts.js';

/** An alert's analysis: what the classifier and router said, or what an officer made of it. */
export interface AnalysisLabels {
  threatType: string | null;
  /** The other types the warning tells of, most severe first. */
  otherThreatTypes: string[];
  urgency: string | null;
  /** The place's gazetteer name. */
  place: string | null;
  /** The office id. */
  office: string | null;
}

/** One officer's correction as a labelled example (a line of `tamtam export corrections`). */
export interface CorrectionExample {
  ref: string;
  text: string;
  language: string | null;
  predicted: AnalysisLabels;
  /** The labels after this correction (earlier corrections of the same alert included). */
  corrected: AnalysisLabels;
  /** What this correction changed. */
  fields: string[];
  /** The officer's id. */
  by: string;
  at: string;
}

const name = (value: unknown) => (value && typeof value === 'object' && 'name' in value ? String(value.name) : null);

/**
 * The corrections of one alert, from its `classified`, `routed`, `corrected` and `rerouted` events
 * (in order). The events of one correction share their actor and time (one transaction).
 */
export function correctionExamples(alert: AlertRow, events: readonly AlertEventRow[]): CorrectionExample[] {
  const classified = events.find((e) => e.type === 'classified')?.data ?? {};
  const routed = events.find((e) => e.type === 'routed')?.data ?? {};
  const predicted: AnalysisLabels = {
    threatType: (classified.threatType as string | undefined) ?? null,
    otherThreatTypes: (classified.otherThreatTypes as string[] | undefined) ?? [],
    urgency: (classified.urgency as string | undefined) ?? null,
    place: name(classified.place),
    office: (routed.office as string | undefined) ?? null,
  };
  const current = { ...predicted };
  const examples: CorrectionExample[] = [];
  let open: CorrectionExample | null = null;
  for (const event of events) {
    if ((event.type !== 'corrected' && event.type !== 'rerouted') || !event.actor.startsWith('officer:')) continue;
    const by = event.actor.slice('officer:'.length);
    const at = event.at.toISOString();
    if (!open || open.by !== by || open.at !== at) {
      open = { ref: alert.ref, text: alert.text, language: alert.language, predicted, corrected: current, fields: [], by, at };
      examples.push(open);
    }
    const field = event.type === 'rerouted' ? 'office' : String(event.data.field);
    if (field === 'threatType') current.threatType = event.data.to as string;
    else if (field === 'otherThreatTypes') current.otherThreatTypes = event.data.to as string[];
    else if (field === 'place') current.place = name(event.data.to);
    else if (field === 'office') current.office = event.data.to as string;
    else continue; // severity follows from the type
    if (!open.fields.includes(field)) open.fields.push(field);
    open.corrected = { ...current };
  }
  return examples;
}
