/**
 * `google.rpc.Status` (googleapis google/rpc/status.proto): `int32 code = 1; string message = 2;
 * repeated google.protobuf.Any details = 3`. OTLP failure bodies (4xx/5xx) are this message; we send no details
 * (the spec makes them optional: "The server MAY include Status.details").
 */
export interface RpcStatus {
  readonly code: number;
  readonly message: string;
}
