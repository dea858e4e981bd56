// Why Envoy itself refused a request or connection, from %RESPONSE_CODE_DETAILS% (HTTP),
// %CONNECTION_TERMINATION_DETAILS% (TCP RBAC), the response flags, or the 1.1–1.7 mixer status.
// Detail strings are Envoy's (source/common/http/... ResponseCodeDetails) and Istio's RBAC policy
// naming `ns[<namespace>]-policy[<name>]-rule[<index>]` (istio/istio pilot/pkg/security/authz).
import type { Attributes } from '../../agent/kit/record/record.ts';

const DETAIL_CAUSES: [prefix: string, cause: string][] = [
  ['rbac_access_denied', 'rbac'],
  ['jwt_authn_access_denied', 'jwt'],
  ['ext_authz_denied', 'ext_authz'],
  ['ext_authz_error', 'ext_authz_error'],
  ['route_not_found', 'route_not_found'],
  ['cluster_not_found', 'cluster_not_found'],
  ['request_rate_limited', 'rate_limited'],
  ['local_rate_limited', 'rate_limited'],
  ['fault_filter_abort', 'fault_injected'],
];

const FLAG_CAUSES: [flag: string, cause: string][] = [
  ['UAEX', 'ext_authz'],
  ['NR', 'route_not_found'],
  ['NC', 'cluster_not_found'],
  ['RL', 'rate_limited'],
  ['FI', 'fault_injected'],
];

const ISTIO_POLICY = /^ns\[([^\]]*)\]-policy\[([^\]]*)\]-rule\[(\d+)\]$/;

export function addDenialCause(
  a: Attributes,
  details: string | undefined,
  termination: string | undefined,
  flags: string[] | undefined,
  mixerStatus: string | undefined,
): void {
  const detail = termination?.startsWith('rbac_access_denied') ? termination : details;
  if (detail) {
    for (const [prefix, cause] of DETAIL_CAUSES) {
      if (!detail.startsWith(prefix)) continue;
      a['meshtail.denial.cause'] = cause;
      if (cause === 'rbac') addPolicy(a, detail);
      else {
        const reason = /\{([^}]*)\}$/.exec(detail);
        if (reason) a['meshtail.denial.reason'] = reason[1]!;
      }
      return;
    }
  }
  if (mixerStatus && flags?.includes('UAEX')) {
    a['meshtail.denial.cause'] = 'mixer';
    a['meshtail.denial.reason'] = mixerStatus;
    return;
  }
  if (!flags) return;
  for (const [flag, cause] of FLAG_CAUSES) {
    if (flags.includes(flag)) {
      a['meshtail.denial.cause'] = cause;
      return;
    }
  }
}

/** `rbac_access_denied_matched_policy[ns[X]-policy[Y]-rule[N]]` → policy `X/Y`, rule N. */
function addPolicy(a: Attributes, detail: string): void {
  const open = detail.indexOf('[');
  if (open < 0 || !detail.endsWith(']')) return;
  const policy = detail.slice(open + 1, -1);
  if (policy === '' || policy === 'none') return;
  const istio = ISTIO_POLICY.exec(policy);
  if (istio) {
    a['meshtail.denial.policy'] = `${istio[1]}/${istio[2]}`;
    a['meshtail.denial.rule'] = Number(istio[3]);
  } else a['meshtail.denial.policy'] = policy;
}
