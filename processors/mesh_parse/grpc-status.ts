// gRPC status names as %GRPC_STATUS% prints them, to the numbers rpc.grpc.status_code carries
// (grpc/grpc doc/statuscodes.md).
export const GRPC_CODES: Record<string, number> = {
  OK: 0,
  Canceled: 1,
  Cancelled: 1,
  Unknown: 2,
  InvalidArgument: 3,
  DeadlineExceeded: 4,
  NotFound: 5,
  AlreadyExists: 6,
  PermissionDenied: 7,
  ResourceExhausted: 8,
  FailedPrecondition: 9,
  Aborted: 10,
  OutOfRange: 11,
  Unimplemented: 12,
  Internal: 13,
  Unavailable: 14,
  DataLoss: 15,
  Unauthenticated: 16,
};
