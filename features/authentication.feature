Feature: Agents and clients authenticate, and policies decide what they may do
  Every request to /api/json carries a bearer token: the admin's, a collector's, or the one an agent received when
  it registered. Policies declared in the resource files decide, in SQL, what each actor may read and do.

  Background:
    Given the coordination server is running on a fresh database

  Scenario: An agent registers, receives its token once and uses it
    When agent "builder-1" registers with capabilities "build"
    Then the registration answer carries a bearer token for "builder-1"
    And "builder-1" can send a heartbeat with its token
    And the agents list shows no token or token hash

  Scenario: Requests without a valid token are refused
    When the agents are listed without a token
    Then the answer is 401 asking for a Bearer token
    When the agents are listed with the token "made-up-token"
    Then the answer is 401 asking for a Bearer token

  Scenario: An agent may only work on what it claimed
    Given agent "builder-1" registers with capabilities "build"
    And agent "builder-2" registers with capabilities "build"
    And work of type "compile" with priority "high" is submitted as "job-1"
    And agent "builder-1" claims "job-1"
    When agent "builder-2" tries to start "job-1"
    Then the answer is 403 with the error "Only the claiming agent may do this"
    And "job-1" is "claimed" by "builder-1"
