import type { FieldOfficeRow } from '../db/offices.js';
import type { EscalationPolicyRule } from '../domain/escalation.js';
import type { LoadedDeployment } from '../deployment/load.js';

/** The escalation policy an office follows (validated to exist at start-up). */
export function policyFor(deployment: LoadedDeployment, office: Pick<FieldOfficeRow, 'escalationPolicy'>): EscalationPolicyRule {
  const policy = deployment.escalationPolicies[office.escalationPolicy] ?? deployment.escalationPolicies.default;
  if (!policy) throw new Error(`no escalation policy "${office.escalationPolicy}"`);
  return policy;
}
