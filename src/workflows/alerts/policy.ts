import type { FieldOfficeRow } from '../../db/offices.js';
import type { EscalationPolicyRule } from '../../domain/escalation.js';
import type { LoadedDeployment } from '../../deployment/load.js';
import { NoEscalationPolicy } from '../errors.js';

/** The escalation policy an office follows (validated to exist at start-up). */
export function policyFor(deployment: LoadedDeployment, office: Pick<FieldOfficeRow, 'id' | 'escalationPolicy'>): EscalationPolicyRule {
  const policy = deployment.escalationPolicies[office.escalationPolicy] ?? deployment.escalationPolicies.default;
  if (!policy) throw new NoEscalationPolicy(office.id, office.escalationPolicy);
  return policy;
}
