import { describe, expectTypeOf, it } from 'vitest';
import { type agents, type telemetryEvents, type workItems } from '../../drizzle/schema.ts';
import { type agent } from '../../resources/agent.resource.ts';
import type { InferRecord } from '../../resources/define.ts';
import { type telemetryEvent } from '../../resources/telemetry-event.resource.ts';
import { type workItem } from '../../resources/work-item.resource.ts';
import { type books, type publishers } from '../fixtures/generated/drizzle/schema.ts';
import { type book } from '../fixtures/resources/book.resource.ts';
import { type publisher } from '../fixtures/resources/publisher.resource.ts';

describe('InferRecord agrees with the generated Drizzle select type', () => {
  it('for the seed resources', () => {
    expectTypeOf<InferRecord<typeof agent>>().toEqualTypeOf<typeof agents.$inferSelect>();
    expectTypeOf<InferRecord<typeof workItem>>().toEqualTypeOf<typeof workItems.$inferSelect>();
    expectTypeOf<InferRecord<typeof telemetryEvent>>().toEqualTypeOf<typeof telemetryEvents.$inferSelect>();
  });

  it('for every attribute kind (fixtures: integer, float, boolean, text, atom arrays, datetime, map, uuid)', () => {
    expectTypeOf<InferRecord<typeof publisher>>().toEqualTypeOf<typeof publishers.$inferSelect>();
    expectTypeOf<InferRecord<typeof book>>().toEqualTypeOf<typeof books.$inferSelect>();
  });

  it('narrows atoms to their values and keeps nil where allowed', () => {
    expectTypeOf<InferRecord<typeof workItem>['status']>().toEqualTypeOf<'pending' | 'claimed' | 'in_progress' | 'completed' | 'failed'>();
    expectTypeOf<InferRecord<typeof workItem>['claimed_by']>().toEqualTypeOf<string | null>();
    expectTypeOf<InferRecord<typeof publisher>['genres']>().toEqualTypeOf<('fiction' | 'science' | 'poetry')[]>();
    expectTypeOf<InferRecord<typeof book>['pages']>().toEqualTypeOf<number | null>();
  });
});
