Feature: Telemetry arrives over OTLP and is stored
  OpenTelemetry collectors and SDKs send the traces of the agents' work over OTLP/HTTP, as protobuf or JSON, to the
  standard /v1 paths or the seed's /api/otlp/v1 paths. Every accepted span becomes a telemetry event that can be
  read back by its trace id; the receiver answers in OTLP, never loses what it acknowledged, and pushes back when
  it is full instead of falling over.

  Background:
    Given the telemetry receiver is running on a fresh database

  Scenario: A collector sends traces as protobuf and they are stored
    When a collector sends a trace of 3 spans from service "checkout" as protobuf to "/v1/traces"
    Then the receiver answers 200 with a full success
    And the 3 spans of that trace are stored as telemetry events from source "checkout"
    And the trace reads back in Jaeger format with its root span first and times in microseconds

  Scenario: A collector sends traces as JSON to the seed's path and they are stored
    When a collector sends a trace of 2 spans from service "frontend" as JSON to "/api/otlp/v1/traces"
    Then the receiver answers 200 with a full success
    And the 2 spans of that trace are stored as telemetry events from source "frontend"
    And the request is recorded as an "otlp_api" "traces" "received" event from source "otlp_api"

  Scenario: A partly invalid batch is partly accepted
    When a collector sends 4 spans as JSON, one without a name and one with a 3-byte trace id
    Then the receiver answers 200 with a partial success rejecting 2 spans
    And the error message says "name is empty"
    And the error message says "trace_id must be 16 bytes, got 3"
    And the 2 valid spans are stored

  Scenario: A retried batch is stored once
    When a collector sends the same trace of 5 spans twice as protobuf
    Then both answers are 200
    And the 5 spans of that trace are stored as telemetry events from source "checkout"

  Scenario: An undecodable body is refused, not stored
    When a collector sends a body that is not protobuf to "/v1/traces"
    Then the receiver answers 400 with a status message saying "invalid protobuf ExportTraceServiceRequest"
    And nothing is stored

  Scenario: An overloaded receiver pushes back
    Given every pipeline of the receiver is busy and its wait queue is full
    When a collector sends a trace of 1 span from service "late" as protobuf to "/v1/traces"
    Then the receiver answers 429 with a Retry-After of 1 second and closes the connection
    And the pipeline status counts 1 export refused for capacity
    When the busy pipelines finish
    Then all of them were answered 200
    When a collector sends a trace of 1 span from service "late" as protobuf to "/v1/traces"
    Then the receiver answers 200 with a full success
    And the 1 span of that trace is stored as telemetry events from source "late"
