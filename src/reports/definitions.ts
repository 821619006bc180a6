/**
 * What each figure of the response report means, as the report states it
 * (`definitions` in its answer): anyone reading the figures can check them against the timeline.
 */
export const responseDefinitions = {
  receivedAt:
    'When the first message of the warning reached Tamtam; the period, the month and every time are counted from it, in the mission time zone.',
  received: 'Alerts whose first message arrived in the period (exercise alerts only when asked for; a duplicate dismissed as such still counts).',
  acknowledged:
    'Alerts with a transition to acknowledged, or straight to responding (which the workflow also records as the acknowledgement), at any time up to now; resolving or dismissing without one is no acknowledgement.',
  acknowledgedInTime:
    'Acknowledged before the first acknowledge deadline, the one set from the alert severity when it was first notified (the notified event); for an alert acknowledged before it was notified, the deadline its notification would have set, counted from its creation (recorded on the acknowledged event).',
  ackRate: 'acknowledged / received (null when nothing was received).',
  inTimeRate: 'acknowledgedInTime / received (null when nothing was received): alerts never acknowledged count as not in time.',
  escalated: 'Alerts escalated at least once (escalation level 1 or higher).',
  repliedToReporter: "Alerts where an officer's reply was bridged to the reporter (the automatic confirmation does not count).",
  responding: 'Alerts that reached responding.',
  closed: 'Alerts resolved or dismissed, by now.',
  withOutcome: 'Alerts with at least one outcome recorded (the latest outcome_recorded event counts).',
  outcomes: 'Alerts per outcome id (an alert with several outcomes counts under each).',
  open: 'received − closed: alerts not yet resolved or dismissed.',
  medianTimeToNotify: 'Median seconds from receivedAt until the first card or SMS to an officer was accepted by the provider.',
  medianTimeToAcknowledge: 'Median seconds from receivedAt until the acknowledgement, over acknowledged alerts.',
  p90TimeToAcknowledge: '90th percentile (interpolated) of the same.',
  medianTimeToFirstReply: "Median seconds from receivedAt until an officer's first reply bridged to the reporter.",
  medianTimeToRespond: 'Median seconds from receivedAt until the first transition to responding.',
  medianTimeToClose: 'Median seconds from receivedAt until resolved or dismissed.',
  rounding: 'Times and their medians are rounded to the nearest second; null where no alert counts.',
} as const;
