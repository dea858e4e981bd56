// The k8s_metadata processor's own metric, declared once next to it (docs/operations.md lists it).
import type { ComponentMetrics, GaugeHandle } from '../../agent/kit/telemetry.ts';

export function apiAvailableGauge(metrics: ComponentMetrics): GaugeHandle {
  return metrics.gauge(
    'meshtail_processor_k8s_api_available',
    '1 while the k8s_metadata processor lists and watches the API server, 0 while it runs on path metadata alone.',
    ['processor'],
  );
}
