Feature: Agent coordination with zero-conflict guarantees
  Agents coordinate through /api/coordination, in the original's envelope. PostgreSQL decides every claim:
  one agent wins, the others are told to retry; claims of agents that went silent are released; everything is
  recorded as telemetry and counted for the dashboards.

  Scenario: Atomic work claiming with zero conflicts
    Given the coordination server is running
    And 5 agents are registered
    And work of type "deploy" is submitted as "release-1"
    When all 5 agents claim "release-1" at the same time
    Then exactly 1 claim succeeds and 4 are refused with 409 and a Retry-After
    And the claim of "release-1" is recorded in telemetry with the winning agent

  Scenario: The most urgent work is claimed first
    Given the coordination server is running
    And 1 agents are registered
    And work of type "build" with priority "low" is submitted as "chore"
    And work of type "build" with priority "critical" is submitted as "outage"
    And work of type "build" with priority "high" is submitted as "feature"
    When agent 1 claims the next "build" work 4 times
    Then it got "outage, feature, chore" and then nothing

  Scenario: Coordination failure recovery
    Given the coordination server is running with a lease of 500 ms swept every 50 ms
    And 2 agents are registered
    And work of type "deploy" is submitted as "release-1"
    And agent 2 claims "release-1"
    When agent 2 stops sending heartbeats
    Then "release-1" is pending again and unclaimed
    And a "coordination.work.claim_expired" event was recorded for "release-1"
    And agent 1 can claim "release-1"

  Scenario: Silent agents read as offline until they send a heartbeat
    Given the coordination server is running with heartbeats expected every 100 ms
    And 1 agents are registered
    When agent 1 stops sending heartbeats
    Then agent 1 is listed as "offline"
    When agent 1 sends a heartbeat
    Then agent 1 is listed as "active"

  Scenario: An agent cannot hoard work
    Given the coordination server is running with MAX_CONCURRENT_WORK 2
    And 1 agents are registered
    And 3 items of type "build" are submitted
    When agent 1 claims the next "build" work 3 times
    Then the first 2 claims succeed and the last is refused with 409 "Agent already holds MAX_CONCURRENT_WORK claimed or in-progress work items"

  Scenario: The operator cannot overload an agent either
    Given the coordination server is running with MAX_CONCURRENT_WORK 2
    And 1 agents are registered
    And 3 items of type "deploy" are submitted
    When the operator assigns the 3 "deploy" items to agent 1
    Then the first 2 claims succeed and the last is refused with 409 "Agent already holds MAX_CONCURRENT_WORK claimed or in-progress work items"

  Scenario: Real-time coordination monitoring
    Given the coordination server is running
    And 2 agents are registered
    And work of type "build" is submitted as "job-1"
    And work of type "build" is submitted as "job-2"
    And agent 1 claims "job-1"
    When the coordination status is read
    Then it shows 2 active agents, 1 pending and 1 claimed item, and a health score of 90

  Scenario: Comprehensive coordination telemetry
    Given the coordination server is running with the event bus
    And 1 agents are registered
    And work of type "build" for team "platform" with priority "high" is submitted as "job-1"
    When agent 1 claims "job-1"
    Then the metrics count 1 claim for team "platform", work type "build" and priority "high"
