/** The list pages' yes/no filters (pure: unit-tested). */

/** Yes, no, or either: a select's value for a filter on a yes/no field. */
export type Tri = '' | 'yes' | 'no';

/** The filter's GraphQL argument; null asks for both. */
export const tri = (value: Tri): boolean | null => (value === '' ? null : value === 'yes');
