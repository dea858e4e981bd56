// Every component meshtail ships. Add a factory here and it is configurable, documented and tested
// by the registry conformance test.
import { alertmanagerFactory } from '../exporters/alertmanager/index.ts';
import { debugFactory } from '../exporters/debug/index.ts';
import { fileFactory } from '../exporters/file/index.ts';
import { otlpGrpcFactory } from '../exporters/otlp_grpc/index.ts';
import { otlpHttpFactory } from '../exporters/otlp_http/index.ts';
import { anomalyFactory } from '../processors/anomaly/index.ts';
import { attributesFactory } from '../processors/attributes/index.ts';
import { batchFactory } from '../processors/batch/index.ts';
import { encryptFactory } from '../processors/encrypt/index.ts';
import { filterFactory } from '../processors/filter/index.ts';
import { k8sMetadataFactory } from '../processors/k8s_metadata/index.ts';
import { memoryLimiterFactory } from '../processors/memory_limiter/index.ts';
import { meshParseFactory } from '../processors/mesh_parse/index.ts';
import { rbacFactory } from '../processors/rbac/index.ts';
import { redMetricsFactory } from '../processors/red_metrics/index.ts';
import { redactFactory } from '../processors/redact/index.ts';
import { spansFactory } from '../processors/spans/index.ts';
import { filelogFactory } from '../receivers/filelog/index.ts';
import { stdinFactory } from '../receivers/stdin/index.ts';
import type { AnyFactory } from './component.ts';
import { Registry } from './registry.ts';

const factories: AnyFactory[] = [
  filelogFactory,
  stdinFactory,
  attributesFactory,
  filterFactory,
  meshParseFactory,
  rbacFactory,
  redactFactory,
  encryptFactory,
  k8sMetadataFactory,
  anomalyFactory,
  spansFactory,
  redMetricsFactory,
  memoryLimiterFactory,
  batchFactory,
  otlpGrpcFactory,
  otlpHttpFactory,
  fileFactory,
  debugFactory,
  alertmanagerFactory,
];

export const defaultRegistry = new Registry(factories);
