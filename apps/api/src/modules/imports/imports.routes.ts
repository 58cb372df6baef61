import {
  BillingProblemSchema,
  ImportListQuerySchema,
  ImportListSchema,
  ImportParamsSchema,
  ImportProblemSchema,
  ImportReportSchema,
  ImportUploadQuerySchema,
  ProblemSchema,
  type ImportUploadQuery,
} from '@marketprep/contracts';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { AppError } from '../../errors';
import { IsoKeyCursorSchema, decodeCursor, toPage } from '../../lib/pagination';
import { requireTenant } from '../../plugins/auth';
import { encodingForCharset } from './csv-sniff';
import type { ImportUpload, ImportsService } from './imports.service';

/** Media types accepted for an upload (what browsers and curl send for a .csv file). */
export const CSV_MEDIA_TYPES = [
  'text/csv',
  'application/csv',
  'application/vnd.ms-excel',
  'application/octet-stream',
] as const;

const owner = { access: { kind: 'tenant', role: 'OWNER' } } as const;
const problems = {
  401: ProblemSchema,
  /** Not allowed, or the plan's limit (naming the plan that unlocks it). */
  403: BillingProblemSchema,
  413: ProblemSchema,
  415: ProblemSchema,
  /** The database away, or a commit aborted by concurrent writes three times: send it again. */
  503: ProblemSchema,
};
const UPLOAD_DESCRIPTION = `Send the CSV file itself as the request body (\`Content-Type: ${CSV_MEDIA_TYPES.join(
  '`, `',
)}\`; optional \`charset\`), up to 50 MB. Layouts: the plain \`date,market,product,quantity[,brought][,unit_price]\` or Square's Item Sales export (detected by its header). Encodings: UTF-8 (with or without BOM), UTF-16 LE/BE (with BOM), Windows-1252/Latin-1; delimiters comma, semicolon or tab (detected from the header line). Line 1 is the header in every error's \`line\`.`;

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function'
  );
}

/** Checks the media type and hands the body stream to the service. */
function uploadOf(request: FastifyRequest, query: ImportUploadQuery): ImportUpload {
  const tenant = requireTenant(request);
  const header = request.headers['content-type'] ?? '';
  const [mediaType = '', ...params] = header.split(';').map((p) => p.trim());
  if (!(CSV_MEDIA_TYPES as readonly string[]).includes(mediaType.toLowerCase())) {
    throw new AppError(
      'UNSUPPORTED_MEDIA_TYPE',
      `Send the CSV file as the body with Content-Type ${CSV_MEDIA_TYPES.join(' or ')}${mediaType ? `, not ${mediaType}` : ''}.`,
    );
  }
  if (!isAsyncIterable(request.body)) {
    throw new AppError('BAD_REQUEST', 'The request has no file: send the CSV as the body.');
  }
  const charset = params
    .map((p) => /^charset=(.+)$/i.exec(p)?.[1]?.replace(/^"|"$/g, ''))
    .find((c) => c !== undefined);
  const lengthHeader = request.headers['content-length'];
  const contentLength = lengthHeader === undefined ? undefined : Number(lengthHeader);
  return {
    tenant,
    body: request.body,
    contentLength: Number.isFinite(contentLength) ? contentLength : undefined,
    charsetHint: encodingForCharset(charset),
    query,
    requestId: request.id,
  };
}

/** Dependencies of the import routes. */
export interface ImportsRoutesOptions {
  imports: ImportsService;
}

/**
 * `/v1/imports`: sales import from CSV. Uploads are streamed: this plugin's scope replaces the
 * body parsers with one that hands the raw request stream to the handler (nothing is buffered);
 * the handler checks the media type after authentication, so anonymous callers get 401 first.
 */
export const importsRoutes: FastifyPluginCallbackZod<ImportsRoutesOptions> = (
  app,
  { imports },
  done,
) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, parsed) => parsed(null, payload));
  const bodyLimit = imports.maxFileBytes;
  // An answer given before the upload was read to the end (401, 403, 413, 415, a header error)
  // closes the connection, so the client stops sending and the socket is not left half-read.
  app.addHook('onSend', (request, reply, payload, next) => {
    if (request.method === 'POST' && !request.raw.complete)
      void reply.header('connection', 'close');
    next(null, payload);
  });

  app.post(
    '/v1/imports/preview',
    {
      config: { ...owner, idempotency: false },
      bodyLimit,
      schema: {
        summary: 'Preview a sales CSV',
        description: `Reads the file and reports what importing it would do: format, encoding, delimiter, rows read and valid, per-row errors with line numbers (first 200), date range, markets and products it would create, totals. Writes no sales. ${UPLOAD_DESCRIPTION}`,
        tags: ['imports'],
        consumes: [...CSV_MEDIA_TYPES],
        querystring: ImportUploadQuerySchema,
        response: { 200: ImportReportSchema, 400: ProblemSchema, ...problems },
      },
    },
    async (request) => imports.preview(uploadOf(request, request.query)),
  );

  app.post(
    '/v1/imports',
    {
      config: { ...owner, idempotency: false },
      bodyLimit,
      schema: {
        summary: 'Import a sales CSV',
        description: `Applies the file in one transaction: creates missing markets (location unknown: set it afterwards) and products, stores one sale per market, product and date, recomputes daily sales, and requests a model retrain. A file with any row error is refused with 400 and the report, and nothing is written. The same file again (same SHA-256) answers 200 with \`alreadyImported: true\` and changes nothing. ${UPLOAD_DESCRIPTION}`,
        tags: ['imports'],
        consumes: [...CSV_MEDIA_TYPES],
        querystring: ImportUploadQuerySchema,
        response: {
          200: ImportReportSchema,
          201: ImportReportSchema,
          400: ImportProblemSchema,
          ...problems,
        },
      },
    },
    async (request, reply) => {
      const result = await imports.commit(uploadOf(request, request.query));
      if (result.outcome === 'refused') {
        const { report } = result;
        return reply
          .status(400)
          .type('application/problem+json')
          .send({
            type: 'https://marketprep.app/problems/bad-request',
            code: 'bad-request',
            title: 'Bad request',
            status: 400,
            detail: `The file has ${report.errorCount} row error(s); nothing was imported. Fix them and upload the file again.`,
            requestId: request.id,
            errors: report.errors.map((e) => ({
              path: e.column ? `line ${e.line}, ${e.column}` : `line ${e.line}`,
              message: e.message,
            })),
            report,
          });
      }
      return reply.status(result.report.alreadyImported ? 200 : 201).send(result.report);
    },
  );

  app.get(
    '/v1/imports',
    {
      config: owner,
      schema: {
        summary: 'List sales imports',
        description: 'Previewed, committed and refused files, newest first.',
        tags: ['imports'],
        querystring: ImportListQuerySchema,
        response: {
          200: ImportListSchema,
          400: ProblemSchema,
          401: ProblemSchema,
          403: ProblemSchema,
        },
      },
    },
    async (request) => {
      const after = decodeCursor(request.query.cursor, IsoKeyCursorSchema);
      const records = await imports.listImports(
        requireTenant(request),
        request.query.limit + 1,
        after ? { createdAt: new Date(after[0]), id: after[1] } : undefined,
      );
      const summaries = records.map((r) => ({
        id: r.id,
        fileName: r.fileName,
        fileSha256: r.fileSha256,
        format: r.format,
        status: r.status,
        rowCount: r.rowCount,
        errorCount: r.errorCount,
        createdAt: r.createdAt.toISOString(),
        committedAt: r.committedAt?.toISOString() ?? null,
      }));
      return toPage(summaries, request.query.limit, (s) => [s.createdAt, s.id]);
    },
  );

  app.get(
    '/v1/imports/:importId',
    {
      config: owner,
      schema: {
        summary: 'Get a sales import report',
        tags: ['imports'],
        params: ImportParamsSchema,
        response: {
          200: ImportReportSchema,
          400: ProblemSchema,
          401: ProblemSchema,
          403: ProblemSchema,
          404: ProblemSchema,
        },
      },
    },
    async (request) => imports.getImport(requireTenant(request), request.params.importId),
  );
  done();
};
