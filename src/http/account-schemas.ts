import { Type } from "@sinclair/typebox";

/**
 * Request and response shapes of the auth and admin APIs, for validation and /swagger. Field
 * rules beyond the type (slug, time zone, password strength…) are checked in src/accounts/ so the
 * CLI and the API say the same thing. Examples never contain a real secret.
 */
const Id = Type.Integer({ minimum: 1 });
const Time = Type.String({ format: "date-time" });
const MaybeTime = Type.Union([Time, Type.Null()]);

export const UserOut = Type.Object({ id: Id, email: Type.String(), role: Type.Union([Type.Literal("admin"), Type.Literal("viewer")]), createdAt: Time });
export const UserWithProjectsOut = Type.Composite([UserOut, Type.Object({ projectIds: Type.Array(Id) })]);
export const ProjectOut = Type.Object({
  id: Id,
  slug: Type.String(),
  name: Type.String(),
  domains: Type.Array(Type.String()),
  timezone: Type.String(),
  settings: Type.Record(Type.String(), Type.Unknown()),
  createdAt: Time,
});
export const KeyOut = Type.Object({ id: Id, projectId: Id, name: Type.String(), prefix: Type.String(), createdAt: Time, lastUsedAt: MaybeTime, revokedAt: MaybeTime });
export const TokenOut = Type.Object({
  id: Id,
  userId: Id,
  name: Type.String(),
  scope: Type.Union([Type.Literal("read"), Type.Literal("admin")]),
  prefix: Type.String(),
  createdAt: Time,
  lastUsedAt: MaybeTime,
  revokedAt: MaybeTime,
});
export const ShareOut = Type.Object({
  id: Id,
  projectId: Id,
  name: Type.String(),
  prefix: Type.String(),
  hasPassword: Type.Boolean(),
  createdAt: Time,
  lastUsedAt: MaybeTime,
  revokedAt: MaybeTime,
});
export const SessionOut = Type.Object({ id: Id, client: Type.Union([Type.String(), Type.Null()]), createdAt: Time, lastSeenAt: Time, expiresAt: Time, current: Type.Boolean() });

export const LoginBody = Type.Object({
  email: Type.String({ maxLength: 254, examples: ["admin@example.com"] }),
  password: Type.String({ maxLength: 1024, examples: ["<your password>"] }),
});
export const ShareUnlockBody = Type.Object({ slug: Type.String({ maxLength: 64 }), password: Type.String({ maxLength: 1024 }) });
export const TokenBody = Type.Object({
  name: Type.String({ maxLength: 100, examples: ["Grafana"] }),
  scope: Type.Optional(Type.Union([Type.Literal("read"), Type.Literal("admin")], { description: "default read" })),
});
export const ProjectBody = Type.Object({
  name: Type.String({ maxLength: 100, examples: ["Example shop"] }),
  slug: Type.Optional(Type.String({ maxLength: 48, description: "default: from the name" })),
  domains: Type.Optional(Type.Array(Type.String({ maxLength: 253 }), { maxItems: 50, examples: [["example.com"]] })),
  timezone: Type.Optional(Type.String({ maxLength: 64, examples: ["Europe/Copenhagen"] })),
  settings: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  key: Type.Optional(Type.String({ maxLength: 200, description: "import this public key instead of generating one" })),
});
export const ProjectPatch = Type.Object({
  name: Type.Optional(Type.String({ maxLength: 100 })),
  domains: Type.Optional(Type.Array(Type.String({ maxLength: 253 }), { maxItems: 50 })),
  timezone: Type.Optional(Type.String({ maxLength: 64 })),
  settings: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});
export const KeyBody = Type.Object({ name: Type.Optional(Type.String({ maxLength: 100 })), key: Type.Optional(Type.String({ maxLength: 200 })) });
export const ShareBody = Type.Object({ name: Type.Optional(Type.String({ maxLength: 100 })), password: Type.Optional(Type.String({ maxLength: 256 })) });
export const UserBody = Type.Object({
  email: Type.String({ maxLength: 254 }),
  password: Type.String({ maxLength: 256, description: "at least 10 characters" }),
  role: Type.Union([Type.Literal("admin"), Type.Literal("viewer")]),
  projectIds: Type.Optional(Type.Array(Id, { maxItems: 1000, description: "viewer: the projects they may read" })),
});
export const UserPatch = Type.Object({
  role: Type.Optional(Type.Union([Type.Literal("admin"), Type.Literal("viewer")])),
  password: Type.Optional(Type.String({ maxLength: 256 })),
});
