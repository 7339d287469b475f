/** What the database does to a belongs_to's foreign key when the referenced row is deleted (Ash names). */
export const onDeleteActions = ['nothing', 'restrict', 'delete', 'nilify'] as const;
export type OnDelete = (typeof onDeleteActions)[number];

export interface BelongsToSpec {
  readonly kind: 'belongs_to';
  /** The destination resource's name. */
  readonly destination: string;
  /** The source attribute holding the foreign key (declared in `attributes` as a uuid). */
  readonly attribute: string;
  readonly onDelete: OnDelete;
  readonly description?: string;
}

export interface HasManySpec {
  readonly kind: 'has_many';
  readonly destination: string;
  /** The destination's attribute that points back at this resource's primary key. */
  readonly destinationAttribute: string;
  readonly description?: string;
}

export type RelationshipSpec = BelongsToSpec | HasManySpec;
export type RelationshipKind = RelationshipSpec['kind'];

/** Relationship builders. Destinations are named, not imported, so resource files never import each other. */
export const rel = {
  /**
   * A to-one relationship through a foreign key on this resource.
   * @example agent: rel.belongsTo('agent', { attribute: 'claimed_by', onDelete: 'nilify' })
   */
  belongsTo: (
    destination: string,
    options: { readonly attribute: string; readonly onDelete?: OnDelete; readonly description?: string },
  ): BelongsToSpec => ({ kind: 'belongs_to', destination, onDelete: 'nothing', ...options }),
  /**
   * A to-many relationship: rows of the destination whose `destinationAttribute` is this record's id.
   * @example work_items: rel.hasMany('work_item', { destinationAttribute: 'claimed_by' })
   */
  hasMany: (
    destination: string,
    options: { readonly destinationAttribute: string; readonly description?: string },
  ): HasManySpec => ({ kind: 'has_many', destination, ...options }),
} as const;
