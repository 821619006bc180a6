import { UnrecoverableError } from 'bullmq';

/**
 * What a workflow step signals by throwing, each with the ids involved. Errors a retry can get
 * past are plain Error subclasses (BullMQ retries the job with backoff); errors no retry can get
 * past extend BullMQ's UnrecoverableError (the job fails at once).
 */

/** An earlier message of the same sender is still in another job's hands: this one waits for it (its job is retried). */
export class EarlierMessagePending extends Error {
  override readonly name = 'EarlierMessagePending';
  constructor(readonly inboundId: number) {
    super(`inbound message ${inboundId}: waiting for the sender's earlier message`);
  }
}

/** Another run marked these messages processed while this one was writing their alerts: rolled back, the retry sees what is left. */
export class ProcessedConcurrently extends Error {
  override readonly name = 'ProcessedConcurrently';
  constructor(readonly inboundIds: number[]) {
    super(`inbound message ${inboundIds.join(', ')} processed concurrently; retrying`);
  }
}

/** The reporter's open alerts changed each time the message was decided against them (other jobs kept moving on): retried. */
export class ReporterAlertsChanging extends Error {
  override readonly name = 'ReporterAlertsChanging';
  constructor(
    readonly inboundId: number,
    readonly focalPointId: number,
  ) {
    super(`inbound message ${inboundId}: the alerts of reporter ${focalPointId} kept changing; retrying`);
  }
}

/** New warnings of one job could not be written together; each of their alerts is then created alone. */
export class WarningsNotWrittenTogether extends Error {
  override readonly name = 'WarningsNotWrittenTogether';
  constructor(
    readonly inboundIds: number[],
    override readonly cause: unknown,
  ) {
    super(`inbound messages ${inboundIds.join(', ')}: new warnings not written together: ${(cause as Error).message}`);
  }
}

/** A job's record is gone (an id that names nothing): no retry can bring it back. */
export class RecordNotFound extends UnrecoverableError {
  override readonly name = 'RecordNotFound';
  constructor(
    readonly kind: 'inbound message' | 'outbound message' | 'alert',
    readonly ids: number[],
  ) {
    super(`${kind} ${ids.join(', ')} not found`);
  }
}

/** An alert that cannot be put in front of an office: none set, or one the deployment does not know. */
export class NoOfficeForAlert extends UnrecoverableError {
  override readonly name = 'NoOfficeForAlert';
  constructor(
    readonly alertId: number | null,
    readonly officeId: string | null,
  ) {
    const which = alertId === null ? 'a new alert' : `alert ${alertId}`;
    super(officeId === null ? `${which} has no office: route it first` : `${which}: office ${officeId} not found`);
  }
}

/** No office can receive an alert: the deployment has no triage office (the deployment file requires one). */
export class NoTriageOffice extends UnrecoverableError {
  override readonly name = 'NoTriageOffice';
  constructor(readonly placeId: number | null) {
    super(`no office can receive this alert${placeId === null ? '' : ` (place ${placeId})`}: the deployment has no triage office`);
  }
}

/** A message the channel refused for good, or that failed its last attempt: recorded as failed, not retried. */
export class SendFailedForGood extends UnrecoverableError {
  override readonly name = 'SendFailedForGood';
  constructor(
    readonly outboundId: number,
    readonly channel: string,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** The office follows an escalation policy the deployment does not declare (and there is no `default`). */
export class NoEscalationPolicy extends UnrecoverableError {
  override readonly name = 'NoEscalationPolicy';
  constructor(
    readonly officeId: string,
    readonly policy: string,
  ) {
    super(`office ${officeId}: no escalation policy "${policy}"`);
  }
}

/** A message received that no attempt can process (a malformed stored update, a row that cannot be read): parked, never retried. */
export class UnprocessableMessage extends UnrecoverableError {
  override readonly name = 'UnprocessableMessage';
  constructor(
    readonly inboundId: number,
    readonly reason: string,
  ) {
    super(`inbound message ${inboundId} is unprocessable: ${reason}`);
  }
}
