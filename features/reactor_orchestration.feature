Feature: Reactor workflow orchestration
  The server's own workflows (the OTLP pipeline, n8n export, coordination flows) run as reactors: steps declared as
  data and wired by their arguments, run concurrently where they do not depend on each other, retried with backoff,
  timed out, compensated and undone in reverse order, traced in one trace and recorded in the Workflows domain.

  Scenario: Independent steps run in parallel, so a run takes about as long as its longest step
    Given a reactor "enrich_telemetry" whose steps "service", "resource", "environment" and "deployment" do not depend on each other
    When it runs with concurrency 5
    Then the run completes
    And 4 steps were in flight at the same time
    And every step started before any step finished

  Scenario: With async false the same steps run one at a time
    Given a reactor "enrich_telemetry" whose steps "service", "resource", "environment" and "deployment" do not depend on each other
    When it runs with async false
    Then the run completes
    And 1 step was in flight at the same time

  Scenario: Five runs of a reactor at once complete independently, each in its own trace
    Given a reactor "enrich_telemetry" whose steps "service", "resource", "environment" and "deployment" do not depend on each other
    When 5 runs of it start at once
    Then all 5 runs complete with 5 different trace ids

  Scenario: A failing step is compensated, then the completed steps are rolled back
    Given a reactor "coordinate_work" whose steps "register_agent", "submit_work", "claim_work", "start_work" and "complete_work" run in a chain
    And step "claim_work" fails with "work item already claimed"
    And step "claim_work" has a compensation that releases its claim
    When it runs
    Then the run fails at step "claim_work" saying "work item already claimed"
    And the compensation of "claim_work" ran before any undo
    And the steps were undone in the order "submit_work", "register_agent"
    And the steps "start_work" and "complete_work" never ran

  Scenario: The compensation chain runs in reverse completion order
    Given a reactor "improve_system" whose steps "analyze", "plan", "implement" and "verify" run in a chain
    And step "verify" fails with "verification failed"
    When it runs
    Then the steps were undone in the order "implement", "plan", "analyze"

  Scenario: Telemetry and structured-log middleware trace every step in one trace
    Given a reactor "enrich_telemetry" whose steps "service", "resource", "environment" and "deployment" do not depend on each other
    When it runs with the telemetry and structured-log middleware
    Then a root span "reactor.enrich_telemetry.execution" and one child span per step were sent
    And every span carries the run's trace id
    And the log says "Step `service` started" and "Step `service` completed successfully" for every step

  Scenario: A run without its required config input is refused before any step runs
    Given a reactor "deploy" that requires the input "config"
    When it runs without "config"
    Then the run fails saying "config input is required"
    And no step ran

  Scenario: A step over its timeout fails with a timeout error and is compensated
    Given a reactor "export_traces" whose steps "batch" and "send_to_jaeger" run in a chain
    And step "send_to_jaeger" takes 45 seconds and has a timeout of 30 seconds
    And step "send_to_jaeger" has a compensation that releases its claim
    When it runs and 30 seconds pass
    Then the run fails at step "send_to_jaeger" with the error code "STEP_TIMEOUT"
    And the compensation of "send_to_jaeger" ran before any undo
    And the steps were undone in the order "batch"

  Scenario: A step with max retries 3 that fails twice is retried exactly twice, then succeeds
    Given a reactor "claim" whose steps "claim_work" and "start_work" run in a chain
    And step "claim_work" has max retries 3 and fails 2 times
    When it runs
    Then the run completes
    And step "claim_work" ran 3 times
    And the waits before the retries were 100 and 200 ms

  Scenario: A recorded run cut off by a crash is marked interrupted when the server starts again
    Given a migrated database for the Workflows domain
    And a reactor "nightly_report" whose steps "collect" and "render" run in a chain
    And step "render" never finishes
    When it runs recorded and the process dies while "render" runs
    Then the workflow run "nightly_report" is "running" with the step "collect" "completed"
    When the server starts again and marks interrupted runs
    Then the workflow run "nightly_report" is "interrupted" with the step "render" "cancelled"
