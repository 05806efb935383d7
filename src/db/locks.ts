/**
 * Every PostgreSQL advisory-lock key the app takes, in one place, so no two uses collide. Any
 * constants work as long as every instance sharing a database uses the same ones.
 */
export const LOCKS = {
  /** Session lock around lazy migrations: two instances racing on an empty database never both migrate. */
  migrate: 73_012_024,
  /** Transaction lock per group commit: appends commit in `seq` order across instances. */
  append: 73_012_025,
  /** Transaction lock (with the event type's hash as second key): one Flowcore shipper per event type. */
  forward: 7_302_025,
  /** Transaction lock around "is there a user / the last admin?" (first admin at start, user deletion). */
  accounts: 73_012_026,
  /** Transaction lock (with a hash of site and day as second key): sealing a day vs the projection changing it. */
  sealDay: 73_012_027,
} as const;
