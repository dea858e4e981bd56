// Envoy response flags that mean the upstream failed: such a record is an error whatever its status
// code. Part of the attribute contract (envoy.response_flags, docs/attributes.md), shared by the
// processors that judge outcomes (mesh_parse severity, spans status, red_metrics errors).
export const UPSTREAM_FAILURE_FLAGS: ReadonlySet<string> = new Set([
  'UH',
  'UF',
  'UO',
  'URX',
  'NC',
  'UT',
  'LR',
  'UR',
  'UC',
  'UPE',
  'UMSDR',
  'DF',
  'OM',
  'LH',
]);
