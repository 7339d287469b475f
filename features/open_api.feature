Feature: Integrators learn the API from its OpenAPI document
  The seed's router serves the API's OpenAPI document at /open_api. Ours is generated from the resource files and
  the route contracts, so an integrator can trust it: what it promises is what the server does, and /docs shows it
  to people.

  Background:
    Given the coordination server is running on a fresh database

  Scenario: An integrator reads the document without a token and finds the agent operations
    When an integrator reads "/open_api" without a token
    Then it is an OpenAPI 3.1 document with the bearer security scheme
    And it documents "registerAgent" as "POST /api/json/agents/register"
    And it documents "claimWorkItem" as "PATCH /api/json/work_items/{id}/claim"
    And it documents "coordinationRegisterAgent" as "POST /api/coordination/agents/register"
    And it documents "otlpExportTraces" as "POST /api/otlp/v1/traces"

  Scenario: Registering, claiming and a refused second claim answer exactly as documented
    When agent "builder-1" registers with capabilities "build"
    Then the answer is what the document promises for "registerAgent"
    When work of type "compile" with priority "high" is submitted as "job-1"
    And agent "builder-1" claims "job-1"
    Then the answer is what the document promises for "claimWorkItem"
    When agent "builder-1" claims "job-1"
    Then the answer is 409 with the error "Work item must be pending to be claimed"
    And the answer is what the document promises for "claimWorkItem"

  Scenario: Invalid work is refused with the documented error codes
    When work is submitted with priority "urgent" and no work type
    Then the answer is 422
    And the answer is what the document promises for "submitWorkItem"

  Scenario: A work payload is checked against the shape its resource file declares
    When work of type "compile" is submitted with a payload whose velocity points are "many"
    Then the answer is 422
    And there is an error at "/data/attributes/payload/velocity_points"
    And the answer is what the document promises for "submitWorkItem"

  Scenario: The docs page shows the agent operations in a browser
    When an integrator opens "/docs" in a browser
    Then the page lists "POST /api/json/agents/register" and "PATCH /api/json/work_items/{id}/claim"
