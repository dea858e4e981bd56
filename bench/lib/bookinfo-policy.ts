// The rbac policy of the side-by-side pipeline (and of the encrypt bench's pipeline records): tenants
// by namespace, bookinfo's one tenant and the rest another, no aggregates (they would add records).
export const BOOKINFO_POLICY = `roles:
  sre: { description: Every record }
  "team:bookinfo": { description: The bookinfo team }
rules:
  - name: bookinfo
    match: { namespace: default }
    tenant: bookinfo
    audience: [sre, "team:bookinfo"]
default: { tenant: platform, classification: internal, audience: [sre] }
`;
