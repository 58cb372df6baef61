import { z } from 'zod';
import { PaginationQuerySchema, pageSchema } from './pagination';

/** Status of an export or erasure request. */
export const DataRequestStatusSchema = z.enum([
  'PENDING',
  'RUNNING',
  'COMPLETED',
  'FAILED',
  'CANCELLED',
  'EXPIRED',
]);

/** An export of the whole business (one zip of CSVs, a manifest and a README). */
export const DataExportSchema = z
  .object({
    id: z.uuid(),
    status: DataRequestStatusSchema,
    progress: z.number().int().min(0).max(100).describe('Percent of rows written while RUNNING'),
    sizeBytes: z.number().int().nonnegative().nullable(),
    error: z.string().nullable(),
    requestedAt: z.iso.datetime(),
    completedAt: z.iso.datetime().nullable(),
    expiresAt: z.iso.datetime().nullable().describe('The download link works until then'),
    downloadedAt: z.iso.datetime().nullable().describe('The link works once: set by the download'),
    downloadable: z.boolean().describe('COMPLETED, not expired and not downloaded yet'),
  })
  .meta({ id: 'DataExport' });

/** `GET /v1/data-exports`. */
export const DataExportListSchema = pageSchema(DataExportSchema).meta({ id: 'DataExportList' });

/** `/v1/data-exports/:exportId`. */
export const DataExportParamsSchema = z.object({ exportId: z.uuid() });

/** The typed confirmation of deleting the business: its exact name. */
export const BusinessErasureBodySchema = z
  .object({
    confirm: z
      .string()
      .min(1)
      .max(200)
      .describe("The business's name, typed exactly, to confirm the deletion"),
  })
  .strict()
  .meta({ id: 'BusinessErasureBody' });

/** A scheduled deletion of the business (7-day grace, restorable until then). */
export const BusinessErasureSchema = z
  .object({
    id: z.uuid(),
    status: DataRequestStatusSchema,
    requestedAt: z.iso.datetime(),
    scheduledFor: z.iso.datetime().describe('Nothing is deleted before; restore until then'),
    cancelledAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'BusinessErasure' });

/** `GET /v1/vendor/erasure`: the pending deletion, or null. */
export const BusinessErasureStateSchema = z
  .object({ erasure: BusinessErasureSchema.nullable() })
  .meta({ id: 'BusinessErasureState' });

/** The typed confirmation of deleting one's own account: the account's email. */
export const AccountErasureBodySchema = z
  .object({
    confirm: z.string().min(1).max(320).describe("The account's email, typed to confirm"),
  })
  .strict()
  .meta({ id: 'AccountErasureBody' });

/** `GET /v1/account/export`: the signed-in user's own data. */
export const AccountExportSchema = z
  .object({
    exportedAt: z.iso.datetime(),
    account: z.object({
      id: z.uuid(),
      email: z.string(),
      name: z.string(),
      createdAt: z.iso.datetime(),
      emailVerifiedAt: z.iso.datetime().nullable(),
    }),
    memberships: z.array(
      z.object({ vendorId: z.uuid(), vendorName: z.string(), role: z.enum(['OWNER', 'STAFF']) }),
    ),
    sessions: z.array(
      z.object({
        createdAt: z.iso.datetime(),
        lastSeenAt: z.iso.datetime(),
        expiresAt: z.iso.datetime(),
        revokedAt: z.iso.datetime().nullable(),
        ip: z.string().nullable(),
        userAgent: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'AccountExport' });

/** One entry of the audit trail. */
export const AuditEntrySchema = z
  .object({
    id: z.string().describe('Entry id (a decimal string)'),
    createdAt: z.iso.datetime(),
    actorType: z.string().describe('user, api_token or system'),
    actorUserId: z.uuid().nullable(),
    actorName: z.string().nullable().describe('Null for API tokens, the system, erased accounts'),
    action: z.string().describe('e.g. "market.updated", "auth.signed_in"'),
    targetType: z.string().nullable(),
    targetId: z.string().nullable(),
    metadata: z.unknown().nullable(),
  })
  .meta({ id: 'AuditEntry' });

/** `GET /v1/audit-log`. */
export const AuditLogPageSchema = pageSchema(AuditEntrySchema).meta({ id: 'AuditLogPage' });

const entity = z
  .string()
  .regex(/^[a-z][a-z_]{0,49}$/, 'A lower-case entity name such as market or auth');

/** `?actor=&entity=&from=&to=` plus pagination. */
export const AuditLogQuerySchema = PaginationQuerySchema.extend({
  actor: z.uuid().optional().describe('Only entries by this user id'),
  entity: entity
    .optional()
    .describe('Only entries about this entity (target type) or of this action family'),
  from: z.iso.date().optional().describe('From this UTC date (inclusive)'),
  to: z.iso.date().optional().describe('Through this UTC date (inclusive)'),
});

/** An export of the business. */
export type DataExport = z.infer<typeof DataExportSchema>;
/** A scheduled deletion of the business. */
export type BusinessErasure = z.infer<typeof BusinessErasureSchema>;
/** An audit entry. */
export type AuditEntry = z.infer<typeof AuditEntrySchema>;
/** The signed-in user's own data. */
export type AccountExport = z.infer<typeof AccountExportSchema>;
