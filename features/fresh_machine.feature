Feature: The server starts on a fresh machine
  An operator with only Node.js and npm runs the server without installing or configuring a database:
  `npm start` brings up an embedded PostgreSQL, migrates it and serves the API.

  Scenario: npm start with no database configured answers the health check
    Given a copy of the project with no local state
    When the server starts with no database configured
    Then GET /api/health answers 200 with the database "ok"
    And its embedded PostgreSQL cluster is running under .data/postgres
    And the log says which database it uses without printing its password
    And it prints the generated development admin token with a ready-to-paste curl line
    When the server is sent SIGTERM
    Then it exits with status 0 and stops its embedded database

  Scenario: A bad configuration value stops the start with one clear line
    Given a copy of the project with no local state
    When the server starts with "OTLP_TRACE_SAMPLING_RATE" set to "1.5"
    Then it exits with status 1
    And its output says 'OTLP_TRACE_SAMPLING_RATE="1.5" is not allowed: expected a number from 0 to 1'
