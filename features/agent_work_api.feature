Feature: Agents coordinate work through the JSON:API
  Agents register, submit work and claim it through /api/json, generated from the resource files.
  Claims are decided by PostgreSQL: one agent wins, the others are told why not.

  Background:
    Given the coordination server is running on a fresh database

  Scenario: An agent registers and claims pending work
    When agent "builder-1" registers with capabilities "build, test"
    And work of type "compile" with priority "high" is submitted as "job-1"
    And agent "builder-1" claims "job-1"
    Then the answer is 200
    And "job-1" is "claimed" by "builder-1"
    And listing work items with their agent included shows "job-1" claimed by "builder-1"

  Scenario: Two agents claim the same work item at once
    Given agent "builder-1" registers with capabilities "build"
    And agent "builder-2" registers with capabilities "build"
    And work of type "compile" with priority "medium" is submitted as "job-1"
    When agents "builder-1" and "builder-2" claim "job-1" at the same time
    Then exactly one claim succeeds and the other is refused with 409 "Work item must be pending to be claimed"

  Scenario: Completing work that was never started is refused and changes nothing
    Given agent "builder-1" registers with capabilities "build"
    And work of type "compile" with priority "low" is submitted as "job-1"
    And agent "builder-1" claims "job-1"
    When "job-1" is completed
    Then the answer is 409 with the error "Work item must be in progress to complete"
    And "job-1" is "claimed" by "builder-1"

  Scenario: The work queue is filtered and sorted by priority
    Given work of type "compile" with priority "low" is submitted as "job-1"
    And work of type "deploy" with priority "critical" is submitted as "job-2"
    And work of type "compile" with priority "high" is submitted as "job-3"
    When the pending "compile" work is listed by priority, highest first
    Then the list is "job-3, job-1"

  Scenario: Invalid work is refused with an error pointing at each problem
    When work is submitted with priority "urgent" and no work type
    Then the answer is 422
    And there are errors at "/data/attributes/priority" and "/data/attributes/work_type"
