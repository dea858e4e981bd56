// The default access-log formats Istio and Envoy have shipped, newest first. Facts from the sources:
//
// istio      1.9+: EnvoyTextLogFormat in istio/istio pilot/pkg/model/telemetry_logging.go ("for Istio 1.9
//            onwards"); %UPSTREAM_CLUSTER_RAW% replaced %UPSTREAM_CLUSTER% in 1.23 (same text unless the
//            cluster has an alt_stat_name), so one pattern parses both.
// istio_1_8  1.8: mixer status gone, no details yet (istio/istio 1.8.3
//            pilot/pkg/networking/core/v1alpha3/accesslog.go, as quoted by imroc/istio-guide).
// istio_1_3  1.3–1.7: EnvoyTextLogFormat13 ("for Istio 1.3 onwards", pilot/pkg/networking/core/v1alpha3/
//            listener.go), with the mixer status %DYNAMIC_METADATA(istio.mixer:status)% and %ROUTE_NAME%.
// istio_1_2  1.2: EnvoyTextLogFormat12, same file: mixer status and transport failure, no route name.
// istio_1_1  1.1: EnvoyTextLogFormat, listener.go of 1.1: mixer status, no transport failure reason.
// istio_1_0  1.0: no mixer status, ends with the SNI (istio.io docs, ingress/egress gateway tasks, 2019:
//            `"GET /status/418 HTTP/1.1" 418 - 0 135 187 186 ... outbound|80||httpbin.org - ... -`).
// envoy      Envoy's own default (envoyproxy/envoy docs/root/configuration/observability/access_log/usage.rst).

const TAIL_1_9 =
  '"%REQ(X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%" "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%"';
const HEAD = '[%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE%';
const SIZES = '%BYTES_RECEIVED% %BYTES_SENT% %DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)%';
const ADDRESSES = '%UPSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_REMOTE_ADDRESS%';

export const BUILTIN_FORMATS = {
  istio:
    `${HEAD} %RESPONSE_FLAGS% %RESPONSE_CODE_DETAILS% %CONNECTION_TERMINATION_DETAILS% ` +
    `"%UPSTREAM_TRANSPORT_FAILURE_REASON%" ${SIZES} ${TAIL_1_9} %UPSTREAM_CLUSTER_RAW% ${ADDRESSES} ` +
    '%REQUESTED_SERVER_NAME% %ROUTE_NAME%\n',
  istio_1_8:
    `${HEAD} %RESPONSE_FLAGS% "%UPSTREAM_TRANSPORT_FAILURE_REASON%" ${SIZES} ${TAIL_1_9} ` +
    `%UPSTREAM_CLUSTER% ${ADDRESSES} %REQUESTED_SERVER_NAME% %ROUTE_NAME%\n`,
  istio_1_3:
    `${HEAD} %RESPONSE_FLAGS% "%DYNAMIC_METADATA(istio.mixer:status)%" "%UPSTREAM_TRANSPORT_FAILURE_REASON%" ` +
    `${SIZES} ${TAIL_1_9} %UPSTREAM_CLUSTER% ${ADDRESSES} %REQUESTED_SERVER_NAME% %ROUTE_NAME%\n`,
  istio_1_2:
    `${HEAD} %RESPONSE_FLAGS% "%DYNAMIC_METADATA(istio.mixer:status)%" "%UPSTREAM_TRANSPORT_FAILURE_REASON%" ` +
    `${SIZES} ${TAIL_1_9} %UPSTREAM_CLUSTER% ${ADDRESSES} %REQUESTED_SERVER_NAME%\n`,
  istio_1_1:
    `${HEAD} %RESPONSE_FLAGS% "%DYNAMIC_METADATA(istio.mixer:status)%" ${SIZES} ${TAIL_1_9} ` +
    `%UPSTREAM_CLUSTER% ${ADDRESSES} %REQUESTED_SERVER_NAME%\n`,
  istio_1_0: `${HEAD} %RESPONSE_FLAGS% ${SIZES} ${TAIL_1_9} %UPSTREAM_CLUSTER% ${ADDRESSES} %REQUESTED_SERVER_NAME%\n`,
  envoy: `${HEAD} %RESPONSE_FLAGS% ${SIZES} ${TAIL_1_9}\n`,
} as const;

export type BuiltinFormatName = keyof typeof BUILTIN_FORMATS;

export const BUILTIN_FORMAT_NAMES = Object.keys(BUILTIN_FORMATS) as [
  BuiltinFormatName,
  ...BuiltinFormatName[],
];
