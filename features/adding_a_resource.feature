Feature: A developer adds a resource
  Adding a resource is adding one file to resources/, running `npm run codegen` and restarting: the generator
  writes the Drizzle table and a migration, and the server creates the table when it starts.

  Background:
    Given a copy of the project

  Scenario: One new resource file becomes a new table after codegen and a restart
    Given the resource file "resources/ticket.resource.ts":
      """
      import { attr, create, defineResource, route, timestamps } from './define.ts';

      export const ticket = defineResource({
        name: 'ticket',
        domain: 'support',
        table: 'tickets',
        attributes: {
          id: attr.uuidPrimaryKey(),
          subject: attr.string({ maxLength: 200 }).notNull(),
          severity: attr.atom(['low', 'high']).notNull().default('low'),
          ...timestamps(),
        },
        identities: { unique_subject: ['subject'] },
        defaults: ['read', 'destroy'],
        actions: { open: create({ accept: ['subject', 'severity'] }) },
        jsonApi: { routes: [route.index('read'), route.post('open')] },
      });
      """
    When I run "npm run codegen"
    Then the command succeeds
    And a new migration in drizzle/migrations creates the table "tickets"
    And "npm run codegen:check" succeeds
    When the server starts on a fresh database
    Then GET /api/health answers 200 with the database "ok"
    And the database has a table "tickets" with the columns "id, subject, severity, inserted_at, updated_at"
    And the table "tickets" has a unique index on "subject"

  Scenario: A mistake in a resource file stops codegen and the server, naming the file and the member
    Given the resource file "resources/ticket.resource.ts":
      """
      import { attr, create, defineResource } from './define.ts';

      export const ticket = defineResource({
        name: 'ticket',
        domain: 'support',
        table: 'tickets',
        attributes: { id: attr.uuidPrimaryKey(), subject: attr.string().notNull() },
        actions: { open: create({ accept: ['subjct'] as never }) },
      });
      """
    When I run "npm run codegen"
    Then the command fails saying "resources/ticket.resource.ts: ticket.actions.open.accept names an attribute that does not exist"
    When the server starts on a fresh database
    Then it exits with status 1
    And its output says "resources/ticket.resource.ts: ticket.actions.open.accept names an attribute that does not exist"

  Scenario: A resource file changed without running codegen stops the server with a clear instruction
    Given the resource file "resources/ticket.resource.ts":
      """
      import { attr, create, defineResource } from './define.ts';

      export const ticket = defineResource({
        name: 'ticket',
        domain: 'support',
        table: 'tickets',
        attributes: { id: attr.uuidPrimaryKey(), subject: attr.string().notNull() },
        actions: { open: create({ accept: ['subject'] }) },
      });
      """
    When the server starts on a fresh database
    Then it exits with status 1
    And its output says "Run `npm run codegen`, then restart."
