// Every component meshtail ships. Add a factory here and it is configurable, documented and tested
// by the registry conformance test.
import { alertmanagerFactory } from '../exporters/alertmanager/factory.ts';
import { debugFactory } from '../exporters/debug/factory.ts';
import { fileFactory } from '../exporters/file/factory.ts';
import { otlpGrpcFactory } from '../exporters/otlp_grpc/factory.ts';
import { otlpHttpFactory } from '../exporters/otlp_http/factory.ts';
import { anomalyFactory } from '../processors/anomaly/factory.ts';
import { attributesFactory } from '../processors/attributes/factory.ts';
import { batchFactory } from '../processors/batch/factory.ts';
import { encryptFactory } from '../processors/encrypt/factory.ts';
import { filterFactory } from '../processors/filter/factory.ts';
import { k8sMetadataFactory } from '../processors/k8s_metadata/factory.ts';
import { memoryLimiterFactory } from '../processors/memory_limiter/factory.ts';
import { meshParseFactory } from '../processors/mesh_parse/factory.ts';
import { rbacFactory } from '../processors/rbac/factory.ts';
import { redMetricsFactory } from '../processors/red_metrics/factory.ts';
import { redactFactory } from '../processors/redact/factory.ts';
import { spansFactory } from '../processors/spans/factory.ts';
import { filelogFactory } from '../receivers/filelog/factory.ts';
import { stdinFactory } from '../receivers/stdin/factory.ts';
import type { AnyFactory } from './kit/component.ts';
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
